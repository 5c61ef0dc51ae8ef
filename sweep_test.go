package allot_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

func sweep(f *world.Fixture, at time.Time) allot.SweepResult {
	f.T.Helper()
	f.Clock.Set(at)
	return world.Must(f.Svc.Sweep(context.Background()))(f.T)
}

func TestAssignmentMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		o := world.Must(f.Svc.RequestOrder(f.As(f.PM), allot.NewOrder{CompanyID: f.Company.ID, ProductCode: "premium", Quantity: 4}))(t)
		_, p := world.Must2(f.Svc.AssignOrder(f.As(f.PM), o.ID))(t)
		got := f.Mails(allot.MailAssigned)
		if len(got) != 2 || len(got["cm@acme.test"]) != 1 || len(got["pm@channel.test"]) != 1 {
			t.Fatalf("assigned mails to %v, want the company manager and the requester once each", got)
		}
		m := got["cm@acme.test"][0]
		if m.Seats != 4 || m.Free != 4 || !m.EndsAt.Equal(p.EndsAt) || m.Product != "Premium" || m.Company != "Acme" || !m.DueAt.Equal(world.T0) {
			t.Errorf("assigned mail %+v", m)
		}
	})
}

func TestReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		p := f.Pool(f.Company, 3)
		f.Learner(f.Company, "a@acme.test")
		before := p.EndsAt.Add(-allot.ExpiringWindow)
		recipients := []string{"cm@acme.test", "pm@channel.test"}

		if r := sweep(f, before.Add(-time.Microsecond)); r.Reminders != 0 {
			t.Errorf("a reminder was queued before its time: %+v", r)
		}
		if r := sweep(f, before); r.Reminders != 2 {
			t.Errorf("72 hours before the end: %d reminders, want 2", r.Reminders)
		}
		sweep(f, before.Add(time.Hour))
		got := f.Mails(allot.MailReminder)
		for _, to := range recipients {
			if len(got[to]) != 1 || !got[to][0].DueAt.Equal(before) || got[to][0].Offset != allot.ExpiringWindow {
				t.Errorf("72-hour reminders to %s: %+v, want one due %s", to, got[to], before)
			}
		}
		// On the day: at the start of the last day of access, in UTC.
		day := time.Date(p.EndsAt.Year(), p.EndsAt.Month(), p.EndsAt.Day(), 0, 0, 0, 0, time.UTC)
		sweep(f, day)
		sweep(f, day.Add(time.Minute))
		got = f.Mails(allot.MailReminder)
		for _, to := range recipients {
			if len(got[to]) != 2 || !got[to][1].DueAt.Equal(day) && !got[to][0].DueAt.Equal(day) {
				t.Errorf("reminders to %s after the day began: %+v, want the 72-hour one and the day's", to, got[to])
			}
		}

		// The end: the pool is recorded expired, its seats closed, the
		// managers told once, and the company has lapsed.
		r := sweep(f, p.EndsAt)
		if r.PoolsEnded != 1 || r.SeatsClosed != 1 {
			t.Errorf("sweep at the end: %+v, want one pool and one seat", r)
		}
		if r := sweep(f, p.EndsAt.Add(time.Minute)); r.PoolsEnded != 0 || r.SeatsClosed != 0 {
			t.Errorf("a second sweep recorded again: %+v", r)
		}
		expired := f.Mails(allot.MailExpired)
		for _, to := range recipients {
			if len(expired[to]) != 1 {
				t.Errorf("expiry mails to %s: %d, want 1", to, len(expired[to]))
			}
		}
		if got := f.Reload(p); !got.ExpiredAt.Equal(p.EndsAt) {
			t.Errorf("pool expired at %s, want %s", got.ExpiredAt, p.EndsAt)
		}
		events := world.Must(f.Svc.Events(f.As(f.Admin), allot.EventFilter{CompanyID: f.Company.ID}))(t)
		if !slices.ContainsFunc(events, func(e allot.Event) bool { return e.Action == "company.lapse" }) {
			t.Error("no company.lapse event after the company's last pool ended")
		}
	})
}

func TestChangedReminderOffsets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		p := f.Pool(f.Company, 3)
		if _, err := f.Svc.SetReminderOffsets(f.As(f.CM), f.Company.ID, "72h, 1x"); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("a bad offset: %v, want invalid", err)
		}
		c := world.Must(f.Svc.SetReminderOffsets(f.As(f.CM), f.Company.ID, "72h 30d, 0, 7d"))(t)
		if c.ReminderOffsets != "30d, 7d, 72h, 0" {
			t.Errorf("offsets stored as %q", c.ReminderOffsets)
		}
		sweep(f, p.EndsAt.Add(-30*24*time.Hour))
		got := f.Mails(allot.MailReminder)["cm@acme.test"]
		if len(got) != 1 || got[0].Offset != 30*24*time.Hour {
			t.Fatalf("30 days before: %+v, want the 30-day reminder", got)
		}
		// Dropping the 7-day reminder before it is due: it is never sent.
		world.Must(f.Svc.SetReminderOffsets(f.As(f.CM), f.Company.ID, "30d, 72h"))(t)
		sweep(f, p.EndsAt.Add(-7*24*time.Hour))
		if got := f.Mails(allot.MailReminder)["cm@acme.test"]; len(got) != 1 {
			t.Errorf("after the 7-day offset was dropped: %d reminders, want 1", len(got))
		}
		sweep(f, p.EndsAt.Add(-allot.ExpiringWindow))
		if got := f.Mails(allot.MailReminder)["cm@acme.test"]; len(got) != 2 {
			t.Errorf("72 hours before: %d reminders, want 2", len(got))
		}
		if _, err := f.Svc.SetReminderOffsets(f.As(f.Learner(f.Company, "l@acme.test").Principal()), f.Company.ID, "0"); allot.ErrorCode(err) != allot.ENOTFOUND {
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
		f := world.Setup(t, b)
		p := f.Pool(f.Company, 3)
		n := world.Must(f.Svc.Notifications(f.As(f.CM), f.Company.ID))(t)
		if len(n.Coming) != 2 || n.Coming[0].Offset != allot.ExpiringWindow || !n.Coming[0].DueAt.Equal(p.EndsAt.Add(-allot.ExpiringWindow)) {
			t.Errorf("reminders to come: %+v, want the 72-hour one first, then the day's", n.Coming)
		}
		if len(n.Queued) != 2 { // the request's mail to the partner's manager, the assignment's to the company's
			t.Errorf("queued: %d, want 2", len(n.Queued))
		}
		sweep(f, p.EndsAt.Add(-allot.ExpiringWindow))
		n = world.Must(f.Svc.Notifications(f.As(f.CM), f.Company.ID))(t)
		if len(n.Coming) != 1 || len(n.Queued) != 4 {
			t.Errorf("after the 72-hour reminder: %d to come, %d queued; want 1 and 4", len(n.Coming), len(n.Queued))
		}
		other, _ := world.Must2(f.Svc.CreateCompany(f.As(f.Admin), allot.NewCompany{Name: "Elsewhere"}))(t)
		if _, err := f.Svc.Notifications(f.As(f.CM), other.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's notifications: %v, want not found", err)
		}
		if _, _, err := f.Svc.Outbox(f.As(f.CM), allot.MailFilter{}); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a company manager's outbox: %v, want forbidden", err)
		}
	})
}
