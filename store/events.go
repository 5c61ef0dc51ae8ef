package store

import "allot"

func (t *tx) AddEvent(e *allot.Event) error {
	return t.insert(&e.ID, `INSERT INTO events (at, actor_id, actor_email, company_id, partner_id, manage_mode, action,
			subject_type, subject_id, before_json, after_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		micros(e.At), e.ActorID, e.ActorEmail, e.CompanyID, e.PartnerID, e.ManageMode, e.Action,
		e.SubjectType, e.SubjectID, e.Before, e.After)
}

// eventWhere returns the conditions of f but its paging.
func eventWhere(f allot.EventFilter) where {
	var w where
	if f.CompanyID != 0 {
		w.add("company_id = ?", f.CompanyID)
	}
	if f.PartnerID != 0 {
		w.add("partner_id = ?", f.PartnerID)
	}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", micros(f.From))
	}
	if !f.To.IsZero() {
		w.add("at < ?", micros(f.To))
	}
	return w
}

func (t *tx) Events(f allot.EventFilter) ([]allot.Event, error) {
	w := eventWhere(f)
	if f.BeforeID != 0 {
		w.add("id < ?", f.BeforeID)
	}
	return t.events(w.sql()+` ORDER BY id DESC LIMIT `+w.arg(limit(f.Limit)), w.args...)
}

// events reads the events the rest of a query after its FROM selects.
func (t *tx) events(rest string, args ...any) ([]allot.Event, error) {
	var (
		out []allot.Event
		e   allot.Event
	)
	err := t.list(func(s scanner) error {
		var at int64
		err := s.Scan(&e.ID, &at, &e.ActorID, &e.ActorEmail, &e.CompanyID, &e.PartnerID, &e.ManageMode, &e.Action,
			&e.SubjectType, &e.SubjectID, &e.Before, &e.After)
		e.At = fromMicros(at)
		out = append(out, e)
		return err
	}, `SELECT id, at, actor_id, actor_email, company_id, partner_id, manage_mode, action, subject_type, subject_id,
			before_json, after_json
		FROM events`+rest, args...)
	return out, err
}

func (t *tx) CountEvents(f allot.EventFilter) (int, error) {
	w := eventWhere(f)
	return t.count(`SELECT COUNT(*) FROM events`+w.sql(), w.args...)
}
