package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"allot"
)

func (t *tx) Enqueue(j *allot.Job) (bool, error) {
	if j.MaxAttempts == 0 {
		j.MaxAttempts = allot.DefaultMaxAttempts
	}
	if j.Status == "" {
		j.Status = allot.JobPending
	}
	var id int64
	err := t.insert(&id, `INSERT INTO jobs (kind, key, payload, run_at, max_attempts, status, created_at, company_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING RETURNING id`,
		j.Kind, j.Key, j.Payload, micros(j.RunAt), j.MaxAttempts, string(j.Status), micros(j.CreatedAt), j.CompanyID)
	switch {
	case errors.Is(err, sql.ErrNoRows): // the key exists
		return false, nil
	case err != nil:
		return false, err
	}
	j.ID = id
	return true, nil
}

const jobColumns = `id, kind, key, payload, run_at, attempts, max_attempts, lease_until, status, last_error, created_at, done_at,
	company_id`

func scanJob(j *allot.Job) func(scanner) error {
	return func(s scanner) error {
		var runAt, lease, created, done int64
		err := s.Scan(&j.ID, &j.Kind, &j.Key, &j.Payload, &runAt, &j.Attempts, &j.MaxAttempts, &lease, &j.Status,
			&j.LastError, &created, &done, &j.CompanyID)
		j.RunAt, j.LeaseUntil, j.CreatedAt, j.DoneAt = fromMicros(runAt), fromMicros(lease), fromMicros(created), fromMicros(done)
		return err
	}
}

func (t *tx) Jobs(f allot.JobFilter) ([]allot.Job, error) {
	var w where
	if len(f.Statuses) > 0 {
		whereIn(&w, "status", f.Statuses)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.CompanyID != 0 {
		w.add("company_id = ?", f.CompanyID)
	}
	var (
		out []allot.Job
		j   allot.Job
	)
	err := t.list(func(s scanner) error {
		err := scanJob(&j)(s)
		out = append(out, j)
		return err
	}, `SELECT `+jobColumns+` FROM jobs`+w.sql()+` ORDER BY id DESC LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

// ClaimJobs leases due jobs in one statement; on PostgreSQL rows locked by
// another claim are skipped, on SQLite the write lock orders the claims.
func (db *DB) ClaimJobs(ctx context.Context, now time.Time, lease time.Duration, n int) ([]allot.Job, error) {
	var out []allot.Job
	err := db.run(ctx, db.write, nil, func(t *tx) error {
		var j allot.Job
		return t.list(func(s scanner) error {
			err := scanJob(&j)(s)
			out = append(out, j)
			return err
		}, `UPDATE jobs SET lease_until = $2, attempts = attempts + 1
			WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $1 AND lease_until <= $1
				ORDER BY run_at, id LIMIT $3`+db.dialect.skipLocked+`)
			RETURNING `+jobColumns, micros(now), micros(now.Add(lease)), n)
	})
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	return out, nil
}

// whereClaimed is the condition that a job's claim, numbered by its attempt,
// still holds: no one has claimed the job since, nor finished it.
const whereClaimed = ` WHERE id = $1 AND attempts = $2 AND status = 'pending'`

// RenewLease extends the lease of a claimed job.
func (db *DB) RenewLease(ctx context.Context, j allot.Job, until time.Time) error {
	return db.run(ctx, db.write, nil, func(t *tx) error {
		return t.claimed(j, `UPDATE jobs SET lease_until = $3`+whereClaimed, micros(until))
	})
}

// FinishJob records how a claimed job ended.
func (db *DB) FinishJob(ctx context.Context, j allot.Job, now time.Time, jobErr error, retryAt time.Time) error {
	return db.run(ctx, db.write, nil, func(t *tx) error {
		switch {
		case jobErr == nil:
			return t.claimed(j, `UPDATE jobs SET status = 'done', done_at = $3, lease_until = 0, last_error = ''`+whereClaimed, micros(now))
		case !retryAt.IsZero():
			return t.claimed(j, `UPDATE jobs SET run_at = $3, lease_until = 0, last_error = $4`+whereClaimed, micros(retryAt), jobErr.Error())
		}
		return t.claimed(j, `UPDATE jobs SET status = 'failed', done_at = $3, lease_until = 0, last_error = $4`+whereClaimed,
			micros(now), jobErr.Error())
	})
}

// claimed runs update, whose $1 and $2 are the job's ID and attempt, on
// job j while its claim holds.
func (t *tx) claimed(j allot.Job, update string, args ...any) error {
	return t.execOne(allot.Errorf(allot.ECONFLICT, "job %d: its claim of attempt %d is lost: claimed again since, or finished", j.ID, j.Attempts),
		update, append([]any{j.ID, j.Attempts}, args...)...)
}

func (t *tx) RecordMail(m *allot.SentMail) (bool, error) {
	err := t.insert(&m.ID, `INSERT INTO mails (job_key, company_id, kind, recipient, subject, text_body, html_body, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (job_key) DO NOTHING RETURNING id`,
		m.JobKey, m.CompanyID, m.Kind, m.To, m.Subject, m.Text, m.HTML, m.Status, micros(m.At))
	switch {
	case errors.Is(err, sql.ErrNoRows): // recorded already
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// mailWhere is the condition of the mails f selects, whatever its BeforeID.
func mailWhere(f allot.MailFilter) where {
	var w where
	if f.ID != 0 {
		w.add("id = ?", f.ID)
	}
	if f.CompanyID != 0 {
		w.add("company_id = ?", f.CompanyID)
	}
	if f.JobKey != "" {
		w.add("job_key = ?", f.JobKey)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.To != "" {
		w.add(`lower(recipient) LIKE ? ESCAPE '\'`, likePattern(f.To))
	}
	return w
}

func (t *tx) CountMails(f allot.MailFilter) (int, error) {
	w := mailWhere(f)
	return t.count(`SELECT COUNT(*) FROM mails`+w.sql(), w.args...)
}

func (t *tx) Mails(f allot.MailFilter) ([]allot.SentMail, error) {
	w := mailWhere(f)
	if f.BeforeID != 0 {
		w.add("id < ?", f.BeforeID)
	}
	var (
		out []allot.SentMail
		m   allot.SentMail
	)
	err := t.list(func(s scanner) error {
		var at int64
		err := s.Scan(&m.ID, &m.JobKey, &m.CompanyID, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Status, &at)
		m.At = fromMicros(at)
		out = append(out, m)
		return err
	}, `SELECT id, job_key, company_id, kind, recipient, subject, text_body, html_body, status, created_at FROM mails`+
		w.sql()+` ORDER BY id DESC LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}
