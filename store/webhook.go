package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"allot"
	"allot/webhook"
)

// Webhook returns the store of package webhook: its transactions are the ledger's
// with the package's tables beside it, over the same database.
func (db *DB) Webhook() webhook.Store { return webhookStore{db} }

// webhookStore is a DB as package webhook's Store.
type webhookStore struct{ db *DB }

var _ webhook.Store = webhookStore{}

func (s webhookStore) Write(ctx context.Context, fn func(webhook.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s webhookStore) Read(ctx context.Context, fn func(webhook.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}

const endpointColumns = `id, partner_id, url, description, types, secrets, disabled, disabled_at, disabled_reason, failing_since,
	created_at, created_by`

// secretRow is a secret as the endpoints' secrets column keeps it.
type secretRow struct {
	Value     string `json:"value"`
	CreatedAt int64  `json:"created_at"`
	ExpiresAt int64  `json:"expires_at"`
}

func secretsJSON(ss []webhook.Secret) string {
	rows := make([]secretRow, len(ss))
	for i, s := range ss {
		rows[i] = secretRow{s.Value, micros(s.CreatedAt), micros(s.ExpiresAt)}
	}
	b, _ := json.Marshal(rows)
	return string(b)
}

func scanEndpoint(e *webhook.Endpoint) func(scanner) error {
	return func(s scanner) error {
		var types, secrets string
		var disabledAt, failing, created int64
		err := s.Scan(&e.ID, &e.PartnerID, &e.URL, &e.Description, &types, &secrets, &e.Disabled, &disabledAt,
			&e.DisabledReason, &failing, &created, &e.CreatedBy)
		if err != nil {
			return err
		}
		e.Types = strings.Split(types, ",")
		e.DisabledAt, e.FailingSince, e.CreatedAt = fromMicros(disabledAt), fromMicros(failing), fromMicros(created)
		var rows []secretRow
		if err := json.Unmarshal([]byte(secrets), &rows); err != nil {
			return fmt.Errorf("webhook endpoint %d: secrets: %w", e.ID, err)
		}
		e.Secrets = make([]webhook.Secret, len(rows))
		for i, r := range rows {
			e.Secrets[i] = webhook.Secret{Value: r.Value, CreatedAt: fromMicros(r.CreatedAt), ExpiresAt: fromMicros(r.ExpiresAt)}
		}
		return nil
	}
}

func (t *tx) WebhookEndpoints(f webhook.EndpointFilter) ([]webhook.Endpoint, error) {
	w := endpointWhere(f, "")
	var out []webhook.Endpoint
	err := t.list(func(s scanner) error {
		var e webhook.Endpoint
		err := scanEndpoint(&e)(s)
		out = append(out, e)
		return err
	}, `SELECT `+endpointColumns+` FROM webhook_endpoints`+w.sql()+` ORDER BY id`, w.args...)
	return out, err
}

// endpointWhere is the condition of the endpoints f selects, of the table
// named by prefix ("" or "e.").
func endpointWhere(f webhook.EndpointFilter, prefix string) where {
	var w where
	if !f.All {
		w.add(prefix+"partner_id = ?", f.PartnerID)
	}
	if f.Enabled {
		w.add("NOT " + prefix + "disabled")
	}
	return w
}

func (t *tx) WebhookEndpoint(id int64) (webhook.Endpoint, error) {
	var e webhook.Endpoint
	err := t.get("webhook endpoint", scanEndpoint(&e), `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id = $1`, id)
	return e, err
}

// LockWebhookEndpoint locks the row FOR NO KEY UPDATE on PostgreSQL: the
// lock an UPDATE of the row takes, so that changes of the endpoint follow
// one another, while deliveries referring to it are still enqueued
// (their foreign key takes a KEY SHARE lock, which this one lets be).
// SQLite's write transaction holds the database already.
func (t *tx) LockWebhookEndpoint(id int64) (webhook.Endpoint, error) {
	var e webhook.Endpoint
	err := t.get("webhook endpoint", scanEndpoint(&e), `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id = $1`+
		t.rowLock(" FOR NO KEY UPDATE"), id)
	return e, err
}

// rowLock returns lock on PostgreSQL, to end a SELECT of rows the
// transaction changes next; nothing on SQLite, whose write transaction
// holds the database already.
func (t *tx) rowLock(lock string) string {
	if t.d.name == "postgres" {
		return lock
	}
	return ""
}

func (t *tx) AddWebhookEndpoint(e *webhook.Endpoint) error {
	return t.insert(&e.ID, `INSERT INTO webhook_endpoints (partner_id, url, description, types, secrets, disabled, disabled_at,
			disabled_reason, failing_since, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		e.PartnerID, e.URL, e.Description, strings.Join(e.Types, ","), secretsJSON(e.Secrets), e.Disabled, micros(e.DisabledAt),
		e.DisabledReason, micros(e.FailingSince), micros(e.CreatedAt), e.CreatedBy)
}

func (t *tx) UpdateWebhookEndpoint(e webhook.Endpoint) error {
	return t.execOne(allot.NotFound("webhook endpoint"), `UPDATE webhook_endpoints SET url = $2, description = $3, types = $4,
			secrets = $5, disabled = $6, disabled_at = $7, disabled_reason = $8, failing_since = $9
		WHERE id = $1`,
		e.ID, e.URL, e.Description, strings.Join(e.Types, ","), secretsJSON(e.Secrets), e.Disabled, micros(e.DisabledAt),
		e.DisabledReason, micros(e.FailingSince))
}

// DeleteWebhookEndpoint deletes the endpoint in one statement: its
// deliveries and their attempts go with it (ON DELETE CASCADE), those
// enqueued by a transaction that commits meanwhile among them.
func (t *tx) DeleteWebhookEndpoint(id int64) error {
	return t.execOne(allot.NotFound("webhook endpoint"), `DELETE FROM webhook_endpoints WHERE id = $1`, id)
}

func (t *tx) DisableWebhookEndpoint(id int64, at time.Time, reason string) (bool, error) {
	err := t.execOne(errNone, `UPDATE webhook_endpoints SET disabled = true, disabled_at = $2, disabled_reason = $3
		WHERE id = $1 AND NOT disabled`, id, micros(at), reason)
	if err == errNone {
		return false, nil
	}
	return err == nil, err
}

func (t *tx) SetWebhookFailing(id int64, since time.Time) error {
	q := `UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1 AND failing_since = 0`
	if since.IsZero() {
		q = `UPDATE webhook_endpoints SET failing_since = 0 WHERE id = $1 AND failing_since <> $2`
	}
	_, err := t.exec(q, id, micros(since))
	return err
}

func (t *tx) LockWebhookCursor() (webhook.Cursor, error) {
	var c webhook.Cursor
	err := t.get("webhook cursor", func(s scanner) error { return s.Scan(&c.TxID, &c.EventID) },
		`SELECT txid, event_id FROM webhook_cursor WHERE id = 1`+t.rowLock(" FOR UPDATE"))
	return c, err
}

// EventsAfter reads on from c. SQLite commits one write transaction at a
// time and numbers events in that order: the ID orders the log. On
// PostgreSQL events are read in the order of their transaction IDs (not
// always the order the transactions committed in), and only those of
// transactions older than every one still running: a younger one may
// still commit an event that goes before.
func (t *tx) EventsAfter(c webhook.Cursor, limit int) ([]allot.Event, webhook.Cursor, error) {
	var (
		out  []allot.Event
		last = c
	)
	const columns = `SELECT id, at, actor_id, actor_email, company_id, partner_id, manage_mode, action, subject_type, subject_id,
			before_json, after_json, `
	query, args := columns+`0 FROM events WHERE id > $1 ORDER BY id LIMIT $2`, []any{c.EventID, limit}
	if t.d.name == "postgres" {
		query = columns + `txid FROM events
			WHERE (txid, id) > ($1, $2) AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
			ORDER BY txid, id LIMIT $3`
		args = []any{c.TxID, c.EventID, limit}
	}
	err := t.list(func(s scanner) error {
		var e allot.Event
		var at int64
		err := s.Scan(&e.ID, &at, &e.ActorID, &e.ActorEmail, &e.CompanyID, &e.PartnerID, &e.ManageMode, &e.Action,
			&e.SubjectType, &e.SubjectID, &e.Before, &e.After, &last.TxID)
		e.At, last.EventID = fromMicros(at), e.ID
		out = append(out, e)
		return err
	}, query, args...)
	return out, last, err
}

func (t *tx) SetWebhookCursor(c webhook.Cursor) error {
	_, err := t.exec(`UPDATE webhook_cursor SET txid = $1, event_id = $2 WHERE id = 1`, c.TxID, c.EventID)
	return err
}

func (t *tx) AddDeliveries(ds []webhook.NewDelivery) (int, error) {
	n := 0
	for _, d := range ds {
		err := t.execOne(errNone, `INSERT INTO webhook_deliveries (endpoint_id, event_id, message_id, type, next_attempt_at, payload,
				created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $5) ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
			d.EndpointID, d.EventID, d.MessageID, d.Type, micros(d.At), string(d.Payload))
		switch err {
		case nil:
			n++
		case errNone:
		default:
			return n, err
		}
	}
	return n, nil
}

const deliveryColumns = `d.id, d.endpoint_id, d.event_id, d.message_id, d.type, d.status, d.attempts, d.next_attempt_at, d.last_status,
	d.last_error, d.created_at, d.delivered_at`

func scanDelivery(d *webhook.Delivery, more ...any) func(scanner) error {
	return func(s scanner) error {
		var next, created, delivered int64
		err := s.Scan(append([]any{&d.ID, &d.EndpointID, &d.EventID, &d.MessageID, &d.Type, &d.Status, &d.Attempts, &next,
			&d.LastStatus, &d.LastError, &created, &delivered}, more...)...)
		d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = fromMicros(next), fromMicros(created), fromMicros(delivered)
		return err
	}
}

func (t *tx) ClaimDeliveries(now time.Time, lease time.Duration, n int) ([]webhook.Claim, error) {
	var out []webhook.Claim
	err := t.list(func(s scanner) error {
		var c webhook.Claim
		var payload string
		var base int
		err := scanDelivery(&c.Delivery, &base, &payload)(s)
		c.Round, c.Payload = c.Attempts-base, []byte(payload)
		out = append(out, c)
		return err
	}, `UPDATE webhook_deliveries SET lease_until = $2, attempts = attempts + 1
		WHERE id IN (SELECT id FROM webhook_deliveries
			WHERE status = 'pending' AND next_attempt_at <= $1 AND lease_until <= $1
				AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE NOT disabled)
			ORDER BY next_attempt_at, id LIMIT $3`+t.d.skipLocked+`)
		RETURNING `+strings.ReplaceAll(deliveryColumns, "d.", "")+`, round_base, payload`, micros(now), micros(now.Add(lease)), n)
	return out, err
}

func (t *tx) FinishAttempt(c webhook.Claim, a webhook.Attempt, next webhook.Delivery) error {
	err := t.execOne(allot.Errorf(allot.ECONFLICT, "delivery %d: its claim of attempt %d is lost", c.ID, c.Attempts),
		`UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, lease_until = 0, last_status = $5, last_error = $6,
			delivered_at = $7
		WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
		c.ID, c.Attempts, string(next.Status), micros(next.NextAttemptAt), next.LastStatus, next.LastError, micros(next.DeliveredAt))
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO webhook_attempts (delivery_id, n, at, status, duration, error, response)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.ID, a.N, micros(a.At), a.Status, a.Duration.Microseconds(), a.Error, a.Response)
	return err
}

func (t *tx) WebhookDeliveries(scope webhook.EndpointFilter, f webhook.DeliveryFilter) ([]webhook.Delivery, error) {
	w := endpointWhere(scope, "e.")
	if f.EndpointID != 0 {
		w.add("d.endpoint_id = ?", f.EndpointID)
	}
	if f.Status != "" {
		w.add("d.status = ?", string(f.Status))
	}
	if f.BeforeID != 0 {
		w.add("d.id < ?", f.BeforeID)
	}
	var out []webhook.Delivery
	err := t.list(func(s scanner) error {
		var d webhook.Delivery
		err := scanDelivery(&d)(s)
		out = append(out, d)
		return err
	}, `SELECT `+deliveryColumns+` FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id`+w.sql()+
		` ORDER BY d.id DESC LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

func (t *tx) WebhookDelivery(id int64) (webhook.Delivery, []byte, error) {
	var d webhook.Delivery
	var payload string
	err := t.get("webhook delivery", scanDelivery(&d, &payload), `SELECT `+deliveryColumns+`, d.payload FROM webhook_deliveries d WHERE d.id = $1`, id)
	return d, []byte(payload), err
}

func (t *tx) WebhookAttempts(id int64) ([]webhook.Attempt, error) {
	var out []webhook.Attempt
	err := t.list(func(s scanner) error {
		var a webhook.Attempt
		var at, dur int64
		err := s.Scan(&a.DeliveryID, &a.N, &at, &a.Status, &dur, &a.Error, &a.Response)
		a.At, a.Duration = fromMicros(at), time.Duration(dur)*time.Microsecond
		out = append(out, a)
		return err
	}, `SELECT delivery_id, n, at, status, duration, error, response FROM webhook_attempts WHERE delivery_id = $1 ORDER BY n DESC`, id)
	return out, err
}

// ReplayDelivery refuses a delivery whose attempt is being sent
// (lease_until after now): that attempt's outcome, recorded when it ends,
// would undo the replay.
func (t *tx) ReplayDelivery(id int64, now time.Time) error {
	return t.execOne(allot.Errorf(allot.ECONFLICT, "an attempt is being sent now; replay it when it ends"),
		`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2, lease_until = 0, round_base = attempts,
			delivered_at = 0
		WHERE id = $1 AND lease_until <= $2`, id, micros(now))
}
