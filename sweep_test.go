package allot_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

// mails returns the queued mails of kind, by recipient e-mail.
func (f *fixture) mails(kind string) map[string][]allot.Mail {
	f.t.Helper()
	out := map[string][]allot.Mail{}
	err := f.svc.Store.Read(context.Background(), func(tx allot.Tx) error {
		jobs, err := tx.Jobs(allot.JobFilter{Kind: allot.JobMail, Limit: allot.MaxLimit})
		for _, j := range jobs {
			var m allot.Mail
			if err := json.Unmarshal([]byte(j.Payload), &m); err != nil {
				return err
			}
			if !j.RunAt.Equal(m.DueAt) || j.Key != m.Key() {
				f.t.Errorf("job %s runs at %s, its mail is due %s", j.Key, j.RunAt, m.DueAt)
			}
			if m.Kind == kind {
				out[m.Email] = append(out[m.Email], m)
			}
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) sweep(at time.Time) allot.SweepResult {
	f.t.Helper()
	f.clock.Set(at)
	return must(f.svc.Sweep(context.Background()))(f.t)
}

func TestAssignmentMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		o := must(f.svc.RequestOrder(f.as(f.pm), allot.NewOrder{CompanyID: f.company.ID, ProductCode: "premium", Quantity: 4}))(t)
		_, p := must2(f.svc.AssignOrder(f.as(f.pm), o.ID))(t)
		got := f.mails(allot.MailAssigned)
		if len(got) != 2 || len(got["cm@acme.test"]) != 1 || len(got["pm@channel.test"]) != 1 {
			t.Fatalf("assigned mails to %v, want the company manager and the requester once each", got)
		}
		m := got["cm@acme.test"][0]
		if m.Seats != 4 || m.Free != 4 || !m.EndsAt.Equal(p.EndsAt) || m.Product != "Premium" || m.Company != "Acme" || !m.DueAt.Equal(t0) {
			t.Errorf("assigned mail %+v", m)
		}
	})
}

func TestReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		p := f.pool(f.company, 3)
		f.learner(f.company, "a@acme.test")
		before := p.EndsAt.Add(-allot.ExpiringWindow)
		recipients := []string{"cm@acme.test", "pm@channel.test"}

		if r := f.sweep(before.Add(-time.Microsecond)); r.Reminders != 0 {
			t.Errorf("a reminder was queued before its time: %+v", r)
		}
		if r := f.sweep(before); r.Reminders != 2 {
			t.Errorf("72 hours before the end: %d reminders, want 2", r.Reminders)
		}
		f.sweep(before.Add(time.Hour))
		got := f.mails(allot.MailReminder)
		for _, to := range recipients {
			if len(got[to]) != 1 || !got[to][0].DueAt.Equal(before) || got[to][0].Offset != allot.ExpiringWindow {
				t.Errorf("72-hour reminders to %s: %+v, want one due %s", to, got[to], before)
			}
		}
		// On the day: at the start of the last day of access, in UTC.
		day := time.Date(p.EndsAt.Year(), p.EndsAt.Month(), p.EndsAt.Day(), 0, 0, 0, 0, time.UTC)
		f.sweep(day)
		f.sweep(day.Add(time.Minute))
		got = f.mails(allot.MailReminder)
		for _, to := range recipients {
			if len(got[to]) != 2 || !got[to][1].DueAt.Equal(day) && !got[to][0].DueAt.Equal(day) {
				t.Errorf("reminders to %s after the day began: %+v, want the 72-hour one and the day's", to, got[to])
			}
		}

		// The end: the pool is recorded expired, its seats closed, the
		// managers told once, and the company has lapsed.
		r := f.sweep(p.EndsAt)
		if r.PoolsEnded != 1 || r.SeatsClosed != 1 {
			t.Errorf("sweep at the end: %+v, want one pool and one seat", r)
		}
		if r := f.sweep(p.EndsAt.Add(time.Minute)); r.PoolsEnded != 0 || r.SeatsClosed != 0 {
			t.Errorf("a second sweep recorded again: %+v", r)
		}
		expired := f.mails(allot.MailExpired)
		for _, to := range recipients {
			if len(expired[to]) != 1 {
				t.Errorf("expiry mails to %s: %d, want 1", to, len(expired[to]))
			}
		}
		if got := f.reload(p); !got.ExpiredAt.Equal(p.EndsAt) {
			t.Errorf("pool expired at %s, want %s", got.ExpiredAt, p.EndsAt)
		}
		events := must(f.svc.Events(f.as(f.admin), allot.EventFilter{CompanyID: f.company.ID}))(t)
		if !slices.ContainsFunc(events, func(e allot.Event) bool { return e.Action == "company.lapse" }) {
			t.Error("no company.lapse event after the company's last pool ended")
		}
	})
}

func TestChangedReminderOffsets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		p := f.pool(f.company, 3)
		if _, err := f.svc.SetReminderOffsets(f.as(f.cm), f.company.ID, "72h, 1x"); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("a bad offset: %v, want invalid", err)
		}
		c := must(f.svc.SetReminderOffsets(f.as(f.cm), f.company.ID, "72h 30d, 0, 7d"))(t)
		if c.ReminderOffsets != "30d, 7d, 72h, 0" {
			t.Errorf("offsets stored as %q", c.ReminderOffsets)
		}
		f.sweep(p.EndsAt.Add(-30 * 24 * time.Hour))
		got := f.mails(allot.MailReminder)["cm@acme.test"]
		if len(got) != 1 || got[0].Offset != 30*24*time.Hour {
			t.Fatalf("30 days before: %+v, want the 30-day reminder", got)
		}
		// Dropping the 7-day reminder before it is due: it is never sent.
		must(f.svc.SetReminderOffsets(f.as(f.cm), f.company.ID, "30d, 72h"))(t)
		f.sweep(p.EndsAt.Add(-7 * 24 * time.Hour))
		if got := f.mails(allot.MailReminder)["cm@acme.test"]; len(got) != 1 {
			t.Errorf("after the 7-day offset was dropped: %d reminders, want 1", len(got))
		}
		f.sweep(p.EndsAt.Add(-allot.ExpiringWindow))
		if got := f.mails(allot.MailReminder)["cm@acme.test"]; len(got) != 2 {
			t.Errorf("72 hours before: %d reminders, want 2", len(got))
		}
		if _, err := f.svc.SetReminderOffsets(f.as(f.learner(f.company, "l@acme.test").Principal()), f.company.ID, "0"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a learner setting reminders: %v, want not found", err)
		}
	})
}

func TestParseOffsets(t *testing.T) {
	for in, want := range map[string]string{"": "72h, 0", "0": "0", "30d,7d": "30d, 7d", "48h 2d": "48h", "14d 336h": "14d", "120m": "2h"} {
		got, err := allot.ParseOffsets(in)
		if err != nil || allot.FormatOffsets(got) != want {
			t.Errorf("ParseOffsets(%q) = %q, %v; want %q", in, allot.FormatOffsets(got), err, want)
		}
	}
	for _, bad := range []string{"-1h", "400d", "soon", "90m", "1.5h", "1d,2d,3d,4d,5d,6d,7d,8d,9d,10d,11d"} {
		if _, err := allot.ParseOffsets(bad); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("ParseOffsets(%q): %v, want invalid", bad, err)
		}
	}
}

func TestNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		p := f.pool(f.company, 3)
		n := must(f.svc.Notifications(f.as(f.cm), f.company.ID))(t)
		if len(n.Coming) != 2 || n.Coming[0].Offset != allot.ExpiringWindow || !n.Coming[0].DueAt.Equal(p.EndsAt.Add(-allot.ExpiringWindow)) {
			t.Errorf("reminders to come: %+v, want the 72-hour one first, then the day's", n.Coming)
		}
		if len(n.Queued) != 1 { // the assignment mail to the manager
			t.Errorf("queued: %d, want 1", len(n.Queued))
		}
		f.sweep(p.EndsAt.Add(-allot.ExpiringWindow))
		n = must(f.svc.Notifications(f.as(f.cm), f.company.ID))(t)
		if len(n.Coming) != 1 || len(n.Queued) != 3 {
			t.Errorf("after the 72-hour reminder: %d to come, %d queued; want 1 and 3", len(n.Coming), len(n.Queued))
		}
		other, _ := must2(f.svc.CreateCompany(f.as(f.admin), allot.NewCompany{Name: "Elsewhere"}))(t)
		if _, err := f.svc.Notifications(f.as(f.cm), other.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's notifications: %v, want not found", err)
		}
		if _, _, err := f.svc.Outbox(f.as(f.cm), allot.MailFilter{}); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a company manager's outbox: %v, want forbidden", err)
		}
	})
}
