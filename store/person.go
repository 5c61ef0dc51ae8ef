package store

import (
	"slices"

	"allot"
)

// DirectoryOwned reads whether a directory provisioned the user in their
// company and, when it did, the fields it owns there: every person field
// unless the company said otherwise (as OwnedFields).
func (t *tx) DirectoryOwned(id int64) ([]string, error) {
	var company int64
	err := t.get("provisioned person", func(s scanner) error { return s.Scan(&company) },
		`SELECT p.company_id FROM provisioned p JOIN users u ON u.id = p.user_id AND u.company_id = p.company_id
		WHERE p.user_id = $1`, id)
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	}
	owned, err := t.OwnedFields(company)
	return slices.Clip(owned), err
}

// PersonEvents reads the company's events, newest first, keeping those
// about the user or one of their seats.
func (t *tx) PersonEvents(p allot.PersonEventsParams) ([]allot.Event, error) {
	return t.events(`
		WHERE company_id = $1 AND (subject_type = 'user' AND subject_id = $2
			OR subject_type = 'seat' AND subject_id IN (SELECT id FROM seats WHERE user_id = $2))
		ORDER BY id DESC LIMIT $3`, p.CompanyID, p.UserID, limit(p.Limit))
}
