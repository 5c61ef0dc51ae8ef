package allot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds of mail allot sends.
const (
	MailAssigned = "assigned" // licences are ready to allocate
	MailReminder = "reminder" // licences expire soon, or today
	MailExpired  = "expired"  // licences expired
)

// Kinds of job of the domain: delivering one Mail, and the Sweep.
const (
	JobMail  = "mail"
	JobSweep = "sweep"
)

// Mail is a notification owed to one person, queued as a job in the same
// transaction as the change that owes it. Its job key names the pool, the
// kind, the due time and the recipient, so nobody is owed the same mail
// twice.
type Mail struct {
	Kind      string        `json:"kind"`
	PoolID    int64         `json:"pool_id"`
	CompanyID int64         `json:"company_id"`
	Company   string        `json:"company"`
	UserID    int64         `json:"user_id"`
	Email     string        `json:"email"`
	Name      string        `json:"name"`
	Lang      string        `json:"lang"`
	Zone      string        `json:"zone"`
	Product   string        `json:"product"`
	Seats     int           `json:"seats"`
	Free      int           `json:"free"`
	EndsAt    time.Time     `json:"ends_at"`
	Offset    time.Duration `json:"offset,omitempty"` // reminders: how long before the end
	DueAt     time.Time     `json:"due_at"`
}

// Key is the mail's unique job key.
func (m Mail) Key() string {
	return fmt.Sprintf("mail/%s/pool:%d/due:%s/user:%d", m.Kind, m.PoolID, m.DueAt.UTC().Format(time.RFC3339), m.UserID)
}

// DefaultReminderOffsets are when managers hear of an expiry: 72 hours
// before it, and on the day.
var DefaultReminderOffsets = []time.Duration{ExpiringWindow, 0}

// ParseOffsets reads a list of reminder offsets such as "30d, 7d, 72h, 0";
// the empty string is the default. Offsets are whole days or hours from 0 to
// 365 days, at most ten.
func ParseOffsets(s string) ([]time.Duration, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultReminderOffsets, nil
	}
	var out []time.Duration
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		d, err := parseOffset(part)
		if err != nil || d < 0 || d > 365*24*time.Hour {
			return nil, Invalid("reminder_offsets", "%q is not an offset: write days (30d), hours (72h) or 0, up to 365d", part)
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) > 10 {
		return nil, Invalid("reminder_offsets", "at most ten reminders")
	}
	slices.SortFunc(out, func(a, b time.Duration) int { return int(b - a) })
	return out, nil
}

func parseOffset(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err != nil || fmt.Sprint(n) != days {
			return 0, fmt.Errorf("bad days %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err == nil && d%time.Hour != 0 {
		return 0, fmt.Errorf("not whole hours: %q", s)
	}
	return d, err
}

// FormatOffsets writes offsets as ParseOffsets reads them: whole weeks and
// more in days, less in hours.
func FormatOffsets(offsets []time.Duration) string {
	parts := make([]string, len(offsets))
	for i, d := range offsets {
		switch {
		case d == 0:
			parts[i] = "0"
		case d%(24*time.Hour) == 0 && d >= 7*24*time.Hour:
			parts[i] = fmt.Sprintf("%dd", d/(24*time.Hour))
		default:
			parts[i] = fmt.Sprintf("%dh", d/time.Hour)
		}
	}
	return strings.Join(parts, ", ")
}

// ReminderDue is when the reminder offset before end is due: offset before
// the end, or for offset 0 ("on the day") at the start of the last day of
// access, in UTC.
func ReminderDue(end time.Time, offset time.Duration) time.Time {
	if offset == 0 {
		return end.Add(-time.Microsecond).UTC().Truncate(24 * time.Hour)
	}
	return end.Add(-offset)
}

// queueMails queues a mail of kind about pool p, of product pr, to each
// recipient, due at due, in the caller's transaction.
func queueMails(tx Tx, kind string, c Company, p Pool, pr Product, recipients []User, offset time.Duration, due, now time.Time) error {
	for _, u := range recipients {
		m := Mail{Kind: kind, PoolID: p.ID, CompanyID: c.ID, Company: c.Name, UserID: u.ID, Email: u.Email, Name: u.Name(),
			Lang: u.Lang, Zone: u.Zone,
			Product: pr.Name, Seats: p.Quantity, Free: p.Free(), EndsAt: p.EndsAt, Offset: offset, DueAt: due}
		payload, err := json.Marshal(m)
		if err != nil {
			return err
		}
		j := Job{Kind: JobMail, Key: m.Key(), Payload: string(payload), CompanyID: c.ID, RunAt: due, CreatedAt: now}
		if _, err := tx.Enqueue(&j); err != nil {
			return fmt.Errorf("queue %s mail: %w", kind, err)
		}
	}
	return nil
}

// sweepReads is what one sweep reads once for all the pools it tells
// about, which share few products and partners: each product, and each
// partner's managers.
type sweepReads struct {
	products map[int64]Product
	partners map[int64][]User // partner managers, by partner
}

// newSweepReads returns a sweepReads that has read nothing yet.
func newSweepReads() sweepReads {
	return sweepReads{products: map[int64]Product{}, partners: map[int64][]User{}}
}

// product returns product id, read at its first use.
func (r sweepReads) product(tx Tx, id int64) (Product, error) {
	pr, ok := r.products[id]
	if ok {
		return pr, nil
	}
	pr, err := tx.Product(id)
	if err == nil {
		r.products[id] = pr
	}
	return pr, err
}

// managers returns who hears about company c's licences: its managers, and
// its partner's managers (read at their first use) for a partner's customer.
func (r sweepReads) managers(tx Tx, c Company) ([]User, error) {
	out, err := tx.Users(UserFilter{CompanyID: c.ID, Roles: []Role{RoleCompanyManager}, Limit: MaxLimit})
	if err != nil || c.PartnerID == 0 {
		return out, err
	}
	pms, ok := r.partners[c.PartnerID]
	if !ok {
		if pms, err = tx.Users(UserFilter{PartnerID: c.PartnerID, Roles: []Role{RolePartnerManager}, Limit: MaxLimit}); err != nil {
			return nil, err
		}
		r.partners[c.PartnerID] = pms
	}
	return append(out, pms...), nil
}

// SetReminderOffsets sets when company id's managers hear of an expiry,
// e.g. "30d, 7d, 72h, 0"; the empty string restores the default. Those who
// manage the company, and its partner's managers, may. Reminders not yet
// queued follow the new offsets.
func (s *Service) SetReminderOffsets(ctx context.Context, id int64, offsets string) (Company, error) {
	var c Company
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, err := visibleCompany(tx, p, id)
		if err != nil {
			return err
		}
		if !p.canManage(before) && !p.canAssign(before) {
			return Errorf(EFORBIDDEN, "you may not change %s's reminders", before.Name)
		}
		parsed, err := ParseOffsets(offsets)
		if err != nil {
			return err
		}
		c = before
		if c.ReminderOffsets = FormatOffsets(parsed); strings.TrimSpace(offsets) == "" {
			c.ReminderOffsets = ""
		}
		if err := tx.UpdateCompany(c); err != nil {
			return fmt.Errorf("set reminders of company %d: %w", id, err)
		}
		return s.record(tx, p, c, "company.reminders", "company", c.ID, before, c)
	})
	return c, err
}

// SweepResult says what a sweep recorded.
type SweepResult struct {
	SeatsClosed int64
	PoolsEnded  int
	Reminders   int // reminder mails queued
}

// Sweep records what time has ended and queues the mail that is due: seats
// past their end are closed, pools past their end are marked expired (with
// a mail to the managers, and an event when a company has no live pool
// left), and reminders whose time has come are queued, once each. Access
// never waits for it: it is computed from the time. It runs as the system.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	now := s.Clock.Now()
	err := s.Store.Write(ctx, func(tx Tx) error {
		r := newSweepReads()
		var err error
		if res.SeatsClosed, err = tx.CloseAllEndedSeats(now); err != nil {
			return err
		}
		ended, err := tx.Pools(PoolFilter{EndedUnrecorded: now})
		if err != nil {
			return err
		}
		for _, p := range ended {
			if err := s.poolEnded(tx, r, p, now); err != nil {
				return fmt.Errorf("sweep pool %d: %w", p.ID, err)
			}
		}
		res.PoolsEnded = len(ended)
		res.Reminders, err = s.queueReminders(tx, r, now)
		return err
	})
	return res, err
}

// poolEnded records that pool p ended and tells the company's managers.
func (s *Service) poolEnded(tx Tx, r sweepReads, p Pool, now time.Time) error {
	if err := tx.MarkPoolExpired(p.ID, now); err != nil {
		return err
	}
	c, err := tx.Company(p.CompanyID)
	if err != nil {
		return err
	}
	to, err := r.managers(tx, c)
	if err != nil {
		return err
	}
	pr, err := r.product(tx, p.ProductID)
	if err != nil {
		return err
	}
	if err := queueMails(tx, MailExpired, c, p, pr, to, 0, p.EndsAt, now); err != nil {
		return err
	}
	if err := s.record(tx, System, c, "pool.expire", "pool", p.ID, nil, p); err != nil {
		return err
	}
	live, err := tx.Pools(PoolFilter{CompanyID: c.ID, LiveAt: now})
	if err != nil || len(live) > 0 {
		return err
	}
	return s.record(tx, System, c, "company.lapse", "company", c.ID, nil, nil)
}

// queueReminders queues, for each live pool, the reminder of its company's
// latest offset whose time has come. After a pause of the sweep, earlier
// offsets that were missed are not sent late.
func (s *Service) queueReminders(tx Tx, r sweepReads, now time.Time) (int, error) {
	pools, err := tx.Pools(PoolFilter{LiveAt: now, EndsBy: now.Add(365 * 24 * time.Hour)})
	if err != nil {
		return 0, err
	}
	n := 0
	companies := map[int64]Company{}
	for _, p := range pools {
		c, ok := companies[p.CompanyID]
		if !ok {
			if c, err = tx.Company(p.CompanyID); err != nil {
				return n, err
			}
			companies[c.ID] = c
		}
		offsets, err := ParseOffsets(c.ReminderOffsets)
		if err != nil {
			offsets = DefaultReminderOffsets
		}
		var due time.Time
		var offset time.Duration
		for _, o := range offsets { // longest first: the last one due wins
			if d := ReminderDue(p.EndsAt, o); !d.After(now) && d.After(p.StartsAt) {
				due, offset = d, o
			}
		}
		if due.IsZero() || !due.After(p.RemindedDue) {
			continue
		}
		if err := tx.MarkPoolReminded(p.ID, due); err != nil {
			return n, err
		}
		to, err := r.managers(tx, c)
		if err != nil {
			return n, err
		}
		pr, err := r.product(tx, p.ProductID)
		if err != nil {
			return n, err
		}
		if err := queueMails(tx, MailReminder, c, p, pr, to, offset, due, now); err != nil {
			return n, err
		}
		n += len(to)
	}
	return n, nil
}

// Notifications is what a company's managers were told and will be told.
type Notifications struct {
	Sent    []SentMail // newest first
	Queued  []Job      // mail jobs not sent yet, and those that failed
	Coming  []Reminder // reminders of live pools still to come
	Offsets []time.Duration
}

// Reminder is a reminder still to come for a pool.
type Reminder struct {
	Pool   Pool
	Offset time.Duration
	DueAt  time.Time
}

// Notifications returns company id's mail: sent, queued and to come. Those
// who may see the company may.
func (s *Service) Notifications(ctx context.Context, id int64) (Notifications, error) {
	var n Notifications
	err := s.read(ctx, func(tx Tx, p Principal) error {
		c, err := visibleCompany(tx, p, id)
		if err != nil {
			return err
		}
		if p.Role == RoleLearner {
			return NotFound("company")
		}
		if n.Sent, err = tx.Mails(MailFilter{CompanyID: c.ID, Limit: MaxLimit}); err != nil {
			return err
		}
		if n.Queued, err = tx.Jobs(JobFilter{Kind: JobMail, CompanyID: c.ID, Statuses: []JobStatus{JobPending, JobFailed}, Limit: MaxLimit}); err != nil {
			return err
		}
		if n.Offsets, err = ParseOffsets(c.ReminderOffsets); err != nil {
			n.Offsets = DefaultReminderOffsets
		}
		now := s.Clock.Now()
		pools, err := tx.Pools(PoolFilter{CompanyID: c.ID, LiveAt: now})
		for _, pool := range pools {
			for _, o := range n.Offsets {
				if due := ReminderDue(pool.EndsAt, o); due.After(now) && due.After(pool.StartsAt) {
					n.Coming = append(n.Coming, Reminder{Pool: pool, Offset: o, DueAt: due})
				}
			}
		}
		slices.SortFunc(n.Coming, func(a, b Reminder) int { return a.DueAt.Compare(b.DueAt) })
		return err
	})
	return n, err
}

// Outbox returns the mail allot recorded, newest first, and the jobs that
// are pending or failed: the vendor admin's view of what went out and what
// is stuck.
func (s *Service) Outbox(ctx context.Context, f MailFilter) ([]SentMail, []Job, error) {
	var (
		mails []SentMail
		jobs  []Job
	)
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if p.Role != RoleVendorAdmin {
			return Errorf(EFORBIDDEN, "the outbox is for the vendor admin")
		}
		f.Limit = clampLimit(f.Limit)
		var err error
		if mails, err = tx.Mails(f); err != nil {
			return err
		}
		jobs, err = tx.Jobs(JobFilter{Statuses: []JobStatus{JobPending, JobFailed}, Limit: MaxLimit})
		return err
	})
	return mails, jobs, err
}
