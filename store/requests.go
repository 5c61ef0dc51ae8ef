package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"allot"

	"allot/support"
)

func (t *tx) Routes() ([]support.Route, error) {
	var out []support.Route
	err := t.list(func(s scanner) error {
		var r support.Route
		err := s.Scan(&r.Category, &r.Label, &r.Team)
		out = append(out, r)
		return err
	}, `SELECT category, label, team FROM support_routes ORDER BY position`)
	return out, err
}

func (t *tx) SetRoutes(rs []support.Route) error {
	if _, err := t.exec(`DELETE FROM support_routes`); err != nil {
		return err
	}
	for i, r := range rs {
		if _, err := t.exec(`INSERT INTO support_routes (category, label, team, position) VALUES ($1, $2, $3, $4)`,
			r.Category, r.Label, r.Team, i); err != nil {
			return err
		}
	}
	return nil
}

// policyColumns are the columns of a policy, in the order scanPolicy reads.
const policyColumns = `id, name, calendar, targets, is_default, updated_at`

// scanPolicy reads a policy of policyColumns.
func scanPolicy(s scanner) (support.Policy, error) {
	var (
		p         support.Policy
		cal, tgts string
		updated   int64
	)
	if err := s.Scan(&p.ID, &p.Name, &cal, &tgts, &p.Default, &updated); err != nil {
		return p, err
	}
	p.UpdatedAt = fromMicros(updated)
	if err := json.Unmarshal([]byte(cal), &p.Calendar); err != nil {
		return p, fmt.Errorf("policy %d's calendar: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(tgts), &p.Targets); err != nil {
		return p, fmt.Errorf("policy %d's targets: %w", p.ID, err)
	}
	return p, nil
}

func (t *tx) Policies() ([]support.Policy, error) {
	var out []support.Policy
	err := t.list(func(s scanner) error {
		p, err := scanPolicy(s)
		out = append(out, p)
		return err
	}, `SELECT `+policyColumns+` FROM support_policies ORDER BY is_default DESC, name`)
	return out, err
}

func (t *tx) Policy(id int64) (support.Policy, error) {
	var p support.Policy
	err := t.get("policy", func(s scanner) (err error) {
		p, err = scanPolicy(s)
		return err
	}, `SELECT `+policyColumns+` FROM support_policies WHERE id = $1`, id)
	return p, err
}

func (t *tx) SavePolicy(p *support.Policy) error {
	cal, err := json.Marshal(p.Calendar)
	if err != nil {
		return err
	}
	tgts, err := json.Marshal(p.Targets)
	if err != nil {
		return err
	}
	if p.Default {
		if _, err := t.exec(`UPDATE support_policies SET is_default = false WHERE is_default AND id <> $1`, p.ID); err != nil {
			return err
		}
	}
	if p.ID == 0 {
		return t.insert(&p.ID, `INSERT INTO support_policies (name, calendar, targets, is_default, updated_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.Name, string(cal), string(tgts), p.Default, micros(p.UpdatedAt))
	}
	return t.execOne(allot.NotFound("policy"), `UPDATE support_policies SET name = $2, calendar = $3, targets = $4,
		is_default = $5, updated_at = $6 WHERE id = $1`, p.ID, p.Name, string(cal), string(tgts), p.Default, micros(p.UpdatedAt))
}

func (t *tx) Account(companyID, partnerID int64) (support.Account, error) {
	a := support.Account{CompanyID: companyID, PartnerID: partnerID}
	err := t.get("support account", func(s scanner) error {
		return s.Scan(&a.SuccessID, &a.Success, &a.PolicyID)
	}, `SELECT a.success_id, COALESCE(u.email, ''), a.policy_id FROM support_accounts a
		LEFT JOIN users u ON u.id = a.success_id WHERE a.company_id = $1 AND a.partner_id = $2`, companyID, partnerID)
	return a, err
}

func (t *tx) SetAccount(a support.Account) error {
	_, err := t.exec(`INSERT INTO support_accounts (company_id, partner_id, success_id, policy_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (company_id, partner_id) DO UPDATE SET success_id = excluded.success_id, policy_id = excluded.policy_id`,
		a.CompanyID, a.PartnerID, a.SuccessID, a.PolicyID)
	return err
}

func (t *tx) CreateRequest(r *support.Request, m *support.Message, ts []support.TargetState) error {
	if err := t.insert(&r.ID, `INSERT INTO support_requests (company_id, partner_id, requester_id, subject, category, team,
		priority, urgent, status, assignee_id, policy_id, due_at, warn_at, breached, escalated_at, token, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		r.CompanyID, r.PartnerID, r.RequesterID, r.Subject, r.Category, r.Team, r.Priority, r.Priority == support.Urgent,
		r.Status, r.AssigneeID, r.PolicyID, micros(r.DueAt), micros(r.WarnAt), r.Breached, micros(r.Escalated), r.Token,
		micros(r.CreatedAt), micros(r.UpdatedAt)); err != nil {
		return err
	}
	m.RequestID = r.ID
	if err := t.AddMessage(m); err != nil {
		return err
	}
	return t.saveTargets(r.ID, ts)
}

// saveTargets inserts the targets of ts that are new and updates the
// others, setting the IDs of the new.
func (t *tx) saveTargets(requestID int64, ts []support.TargetState) error {
	for i := range ts {
		g := &ts[i]
		g.RequestID = requestID
		args := []any{requestID, g.Kind, int64(g.Length / time.Microsecond), micros(g.StartedAt), micros(g.Due), micros(g.WarnAt),
			g.Paused, int64(g.Left / time.Microsecond), int64(g.WarnLeft / time.Microsecond), micros(g.MetAt)}
		if g.ID == 0 {
			if err := t.insert(&g.ID, `INSERT INTO support_targets (request_id, kind, length_us, started_at, due_at, warn_at,
				paused, left_us, warn_left_us, met_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, args...); err != nil {
				return err
			}
			continue
		}
		// warned_at and breached_at are the sweep's alone: never written here.
		if err := t.execOne(allot.NotFound("target"), `UPDATE support_targets SET length_us = $3, started_at = $4, due_at = $5,
			warn_at = $6, paused = $7, left_us = $8, warn_left_us = $9, met_at = $10 WHERE id = $11 AND request_id = $1 AND kind = $2`,
			append(args, g.ID)...); err != nil {
			return err
		}
	}
	return nil
}

// requestColumns are the columns of a request, as r, in the order
// scanRequest reads.
const requestColumns = `r.id, r.company_id, COALESCE(c.name, ''), r.partner_id, r.requester_id, q.email, r.subject,
	r.category, r.team, r.priority, r.status, r.assignee_id, COALESCE(a.email, ''), r.policy_id, r.due_at, r.warn_at, r.breached,
	r.escalated_at, r.token, r.created_at, r.updated_at`

// requestFrom joins what requestColumns reads.
const requestFrom = ` FROM support_requests r JOIN users q ON q.id = r.requester_id
	LEFT JOIN companies c ON c.id = r.company_id LEFT JOIN users a ON a.id = r.assignee_id `

// scanRequest reads a request of requestColumns.
func scanRequest(s scanner) (support.Request, error) {
	var (
		r                                      support.Request
		due, warn, escalated, created, updated int64
	)
	err := s.Scan(&r.ID, &r.CompanyID, &r.Company, &r.PartnerID, &r.RequesterID, &r.Requester, &r.Subject,
		&r.Category, &r.Team, &r.Priority, &r.Status, &r.AssigneeID, &r.Assignee, &r.PolicyID, &due, &warn, &r.Breached,
		&escalated, &r.Token, &created, &updated)
	r.DueAt, r.WarnAt, r.Escalated = fromMicros(due), fromMicros(warn), fromMicros(escalated)
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return r, err
}

func (t *tx) Request(id int64) (support.Request, error) {
	return t.request(`r.id = $1`, id)
}

func (t *tx) RequestByToken(token string) (support.Request, error) {
	return t.request(`r.token = $1`, token)
}

// request returns the one request where holds, with its targets and
// copies.
func (t *tx) request(where string, arg any) (support.Request, error) {
	var r support.Request
	err := t.get("request", func(s scanner) (err error) {
		r, err = scanRequest(s)
		return err
	}, `SELECT `+requestColumns+requestFrom+`WHERE `+where, arg)
	if err != nil {
		return r, err
	}
	if r.Targets, err = t.targets(`t.request_id = $1 ORDER BY t.id`, r.ID); err != nil {
		return r, err
	}
	r.Copies, err = column[int64](t, `SELECT user_id FROM support_copies WHERE request_id = $1 ORDER BY user_id`, r.ID)
	return r, err
}

// targetColumns are the columns of a target, as t, in the order scanTarget
// reads.
const targetColumns = `t.id, t.request_id, t.kind, t.length_us, t.started_at, t.due_at, t.warn_at, t.paused, t.left_us,
	t.warn_left_us, t.met_at, t.warned_at, t.breached_at`

// scanTarget reads a target of targetColumns, and then into more.
func scanTarget(s scanner, more ...any) (support.TargetState, error) {
	var (
		g                                          support.TargetState
		length, started, due, warn, left, warnLeft int64
		met, warned, breached                      int64
	)
	err := s.Scan(append([]any{&g.ID, &g.RequestID, &g.Kind, &length, &started, &due, &warn, &g.Paused, &left, &warnLeft,
		&met, &warned, &breached}, more...)...)
	g.Length, g.Left, g.WarnLeft = time.Duration(length)*time.Microsecond, time.Duration(left)*time.Microsecond, time.Duration(warnLeft)*time.Microsecond
	g.StartedAt, g.Due, g.WarnAt = fromMicros(started), fromMicros(due), fromMicros(warn)
	g.MetAt, g.WarnedAt, g.BreachedAt = fromMicros(met), fromMicros(warned), fromMicros(breached)
	return g, err
}

// targets returns the targets where holds.
func (t *tx) targets(where string, args ...any) ([]support.TargetState, error) {
	var out []support.TargetState
	err := t.list(func(s scanner) error {
		g, err := scanTarget(s)
		out = append(out, g)
		return err
	}, `SELECT `+targetColumns+` FROM support_targets t WHERE `+where, args...)
	return out, err
}

func (t *tx) Requests(f support.RequestFilter) ([]support.Request, int, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.RequesterID != 0 {
		add(`r.requester_id = $%d`, f.RequesterID)
	}
	if f.CompanyID != 0 {
		add(`r.company_id = $%d`, f.CompanyID)
	}
	if f.PartnerID != 0 {
		add(`r.partner_id = $%d`, f.PartnerID)
	}
	if f.Team != "" {
		add(`r.team = $%d`, f.Team)
	}
	if f.Priority != "" {
		add(`r.priority = $%d`, f.Priority)
	}
	if f.AssigneeID != 0 {
		add(`r.assignee_id = $%d`, f.AssigneeID)
	}
	if f.Unassigned {
		where = append(where, `r.assignee_id = 0`)
	}
	if f.Breached {
		where = append(where, `r.breached`)
	}
	switch {
	case f.Active && (f.RequesterID != 0 || f.CompanyID != 0 || f.PartnerID != 0 || f.AssigneeID != 0):
		// The same condition in other words, which the queue's partial
		// index does not answer: a narrower index leads instead.
		where = append(where, `r.status IN ('new', 'open', 'waiting')`)
	case f.Active:
		where = append(where, `r.status NOT IN ('solved', 'closed')`)
	}
	if len(f.Statuses) > 0 {
		marks := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			args = append(args, st)
			marks[i] = fmt.Sprintf("$%d", len(args))
		}
		where = append(where, `r.status IN (`+strings.Join(marks, ", ")+`)`)
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}
	var total int
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COUNT(*) FROM support_requests r`+cond, args...).Scan(&total); err != nil {
		return nil, 0, t.d.translate(err)
	}
	// The queue: urgent first, then by due time, those with no running
	// target (due_at 0) last.
	order := ` ORDER BY r.id DESC`
	if f.Queue {
		order = ` ORDER BY r.urgent DESC, r.due_at = 0, r.due_at, r.id`
	}
	var out []support.Request
	err := t.list(func(s scanner) error {
		r, err := scanRequest(s)
		out = append(out, r)
		return err
	}, `SELECT `+requestColumns+requestFrom+cond+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(0, f.Offset)), args...)
	return out, total, err
}

func (t *tx) UpdateRequest(r support.Request, ts []support.TargetState) error {
	if err := t.execOne(allot.NotFound("request"), `UPDATE support_requests SET team = $2, priority = $3, urgent = $4,
		status = $5, assignee_id = $6, due_at = $7, warn_at = $8, escalated_at = $9, updated_at = $10 WHERE id = $1`,
		r.ID, r.Team, r.Priority, r.Priority == support.Urgent, r.Status, r.AssigneeID, micros(r.DueAt), micros(r.WarnAt),
		micros(r.Escalated), micros(r.UpdatedAt)); err != nil {
		return err
	}
	return t.saveTargets(r.ID, ts)
}

func (t *tx) AddCopy(requestID, userID int64) error {
	_, err := t.exec(`INSERT INTO support_copies (request_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, requestID, userID)
	return err
}

func (t *tx) AddMessage(m *support.Message) error {
	if err := t.insert(&m.ID, `INSERT INTO support_messages (request_id, kind, author_id, author, body, via, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, m.RequestID, m.Kind, m.AuthorID, m.Author, m.Body, m.Via,
		micros(m.CreatedAt)); err != nil {
		return err
	}
	for i := range m.Attachments {
		a := &m.Attachments[i]
		a.RequestID, a.MessageID = m.RequestID, m.ID
		if err := t.insert(&a.ID, `INSERT INTO support_attachments (request_id, message_id, name, content_type, size, data)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, a.RequestID, a.MessageID, a.Name, a.Type, a.Size, a.Data); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) Messages(requestID int64, notes bool) ([]support.Message, error) {
	var out []support.Message
	err := t.list(func(s scanner) error {
		var (
			m       support.Message
			created int64
		)
		err := s.Scan(&m.ID, &m.RequestID, &m.Kind, &m.AuthorID, &m.Author, &m.Body, &m.Via, &created)
		m.CreatedAt = fromMicros(created)
		out = append(out, m)
		return err
	}, `SELECT id, request_id, kind, author_id, author, body, via, created_at FROM support_messages
		WHERE request_id = $1 AND ($2 OR kind <> 'note') ORDER BY id`, requestID, notes)
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := make(map[int64]int, len(out))
	for i, m := range out {
		at[m.ID] = i
	}
	return out, t.list(func(s scanner) error {
		var a support.Attachment
		if err := s.Scan(&a.ID, &a.RequestID, &a.MessageID, &a.Name, &a.Type, &a.Size); err != nil {
			return err
		}
		if i, ok := at[a.MessageID]; ok {
			out[i].Attachments = append(out[i].Attachments, a)
		}
		return nil
	}, `SELECT id, request_id, message_id, name, content_type, size FROM support_attachments WHERE request_id = $1 ORDER BY id`, requestID)
}

func (t *tx) Attachment(id int64) (support.Attachment, error) {
	var a support.Attachment
	err := t.get("attachment", func(s scanner) error {
		return s.Scan(&a.ID, &a.RequestID, &a.MessageID, &a.Name, &a.Type, &a.Size, &a.Data, &a.Note)
	}, `SELECT a.id, a.request_id, a.message_id, a.name, a.content_type, a.size, a.data, m.kind = 'note'
		FROM support_attachments a JOIN support_messages m ON m.id = a.message_id WHERE a.id = $1`, id)
	return a, err
}

func (t *tx) DueTargets(now time.Time, warn bool, limit int) ([]support.TargetState, error) {
	cond := `t.met_at = 0 AND t.breached_at = 0 AND NOT t.paused AND t.due_at <= $1`
	if warn {
		cond = `t.met_at = 0 AND t.warned_at = 0 AND NOT t.paused AND t.warn_at <= $1`
	}
	var out []support.TargetState
	err := t.list(func(s scanner) error {
		var r support.Request
		g, err := scanTarget(s, &r.ID, &r.CompanyID, &r.Company, &r.PartnerID, &r.Subject, &r.Team, &r.Priority, &r.AssigneeID, &r.Token)
		g.Request = r
		out = append(out, g)
		return err
	}, `SELECT `+targetColumns+`, r.id, r.company_id, COALESCE(c.name, ''), r.partner_id, r.subject, r.team, r.priority,
		r.assignee_id, r.token FROM support_targets t JOIN support_requests r ON r.id = t.request_id
		LEFT JOIN companies c ON c.id = r.company_id WHERE `+cond+fmt.Sprintf(` ORDER BY t.id LIMIT %d`, limit), micros(now))
	return out, err
}

func (t *tx) MarkTarget(id int64, warn bool, at time.Time) (bool, error) {
	col := "breached_at"
	if warn {
		col = "warned_at"
	}
	err := t.execOne(errNone, `UPDATE support_targets SET `+col+` = $2 WHERE id = $1 AND `+col+` = 0 AND met_at = 0`, id, micros(at))
	if err == errNone {
		return false, nil
	}
	if err != nil || warn {
		return err == nil, err
	}
	_, err = t.exec(`UPDATE support_requests SET breached = true WHERE id = (SELECT request_id FROM support_targets WHERE id = $1)`, id)
	return err == nil, err
}

// errNone says a guarded update changed no row.
var errNone = fmt.Errorf("no row changed")
