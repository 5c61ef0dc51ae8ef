package allot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

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

// Offsets returns when the company's managers hear of an expiry: its own
// offsets, or the default.
func (c Company) Offsets() []time.Duration {
	offsets, err := ParseOffsets(c.ReminderOffsets)
	if err != nil {
		return DefaultReminderOffsets
	}
	return offsets
}

// Reminder is a reminder of a pool's end.
type Reminder struct {
	Pool   Pool
	Offset time.Duration
	DueAt  time.Time
}

// Reminders returns the reminders of pool p at the offsets, soonest due
// first: each is due at ReminderDue, and only those due after the pool
// starts are sent.
func Reminders(p Pool, offsets []time.Duration) []Reminder {
	var out []Reminder
	for _, o := range offsets {
		if due := ReminderDue(p.EndsAt, o); due.After(p.StartsAt) {
			out = append(out, Reminder{Pool: p, Offset: o, DueAt: due})
		}
	}
	slices.SortFunc(out, func(a, b Reminder) int { return a.DueAt.Compare(b.DueAt) })
	return out
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

// SetReminderOffsets sets when company id's managers hear of an expiry,
// e.g. "30d, 7d, 72h, 0"; the empty string restores the default
// (ActSetReminders). Reminders not yet queued follow the new offsets.
func (s *Service) SetReminderOffsets(ctx context.Context, id int64, offsets string) (Company, error) {
	var c Company
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, err := CompanyFor(tx, p, id, ActSetReminders)
		if err != nil {
			return err
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
		return s.Record(tx, p, c, "company.reminders", "company", c.ID, before, c)
	})
	return c, err
}
