package store

import (
	"time"

	"allot"
	"allot/account"
)

func (t *tx) PutFactor(f account.Factor) error {
	_, err := t.exec(`INSERT INTO second_factors (user_id, secret, created_at, confirmed_at, last_step)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
			confirmed_at = excluded.confirmed_at, last_step = excluded.last_step`,
		f.UserID, f.Secret, micros(f.CreatedAt), micros(f.ConfirmedAt), f.LastStep)
	return err
}

func (t *tx) Factor(userID int64) (account.Factor, error) {
	var (
		f                  account.Factor
		created, confirmed int64
	)
	err := t.get("second factor", func(s scanner) error {
		err := s.Scan(&f.UserID, &f.Secret, &created, &confirmed, &f.LastStep)
		f.CreatedAt, f.ConfirmedAt = fromMicros(created), fromMicros(confirmed)
		return err
	}, `SELECT user_id, secret, created_at, confirmed_at, last_step FROM second_factors WHERE user_id = $1`, userID)
	return f, err
}

// UpdateFactor only moves the last step forward, so that of two uses of
// one code at once, one fails.
func (t *tx) UpdateFactor(f account.Factor) error {
	return t.execOne(allot.Errorf(allot.EUNAUTHORIZED, "wrong code"),
		`UPDATE second_factors SET confirmed_at = $2, last_step = $3 WHERE user_id = $1 AND last_step < $3`,
		f.UserID, micros(f.ConfirmedAt), f.LastStep)
}

func (t *tx) DeleteFactor(userID int64) error {
	if _, err := t.exec(`DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM second_factors WHERE user_id = $1`, userID)
	return err
}

func (t *tx) PutRecoveryCodes(userID int64, hashes []string) error {
	if _, err := t.exec(`DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := t.exec(`INSERT INTO recovery_codes (user_id, hash) VALUES ($1, $2)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) UseRecoveryCode(userID int64, h string, at time.Time) error {
	return t.execOne(allot.NotFound("recovery code"),
		`UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND hash = $2 AND used_at = 0`, userID, h, micros(at))
}

func (t *tx) SecondFactorRequired(companyID int64) (bool, error) {
	var n int
	err := t.get("rule", func(s scanner) error { return s.Scan(&n) },
		`SELECT count(*) FROM second_factor_required WHERE company_id = $1`, companyID)
	return n > 0, err
}

func (t *tx) SetSecondFactorRequired(companyID int64, required bool) error {
	q := `DELETE FROM second_factor_required WHERE company_id = $1`
	if required {
		q = `INSERT INTO second_factor_required (company_id) VALUES ($1) ON CONFLICT (company_id) DO NOTHING`
	}
	_, err := t.exec(q, companyID)
	return err
}
