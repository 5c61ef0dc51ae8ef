package programme_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/programme"
	"allot/storetest"
	"allot/world"
)

// invitationMails returns the invitation mails queued, by the invitation
// they are of, each as its job carries it.
func invitationMails(t *testing.T, w *world.World) map[int64][]allot.Mail {
	t.Helper()
	out := map[int64][]allot.Mail{}
	err := w.Svc.Store.Read(context.Background(), func(tx allot.Tx) error {
		jobs, err := tx.Jobs(allot.JobFilter{Kind: allot.JobMail, Limit: allot.MaxLimit})
		for _, j := range jobs {
			var m allot.Mail
			if err := json.Unmarshal([]byte(j.Payload), &m); err != nil {
				return err
			}
			if m.Kind == allot.MailInvitation {
				if !j.RunAt.Equal(m.DueAt) || j.Key != m.Key() {
					t.Errorf("job %s runs at %s, its mail is due %s", j.Key, j.RunAt, m.DueAt)
				}
				out[m.InvitationID] = append(out[m.InvitationID], m)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInviteScheduled walks an invitation through its life: planned with
// its problems named, refused while any remains, confirmed for a later
// time with the seats reserved at once and the people out of the member
// list, sent once at its instant, and members with their statuses.
func TestInviteScheduled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		cm := w.As(w.Acme.CM)
		pg := world.Must(w.Programs.Create(cm, programme.NewProgramme{CompanyID: w.Acme.Company.ID, Name: "Leaders",
			Products: []string{"premium", "coaching"}, Lang: "de"}))(t)
		in := programme.Invite{ProgrammeID: pg.ID, Experiences: []programme.Experience{{Product: "coaching", Months: 6}},
			Emails: "ana@acme.test, not-an-address\nana@ACME.test;learner@acme.test cm@globex.test  bo@acme.test",
			At:     programme.Wall{Year: 2026, Month: time.March, Day: 29, Hour: 2, Minute: 30}, Zone: "Europe/Berlin"}

		pl := world.Must(w.Programs.Plan(cm, in))(t)
		if want := []string{"ana@acme.test", "learner@acme.test", "bo@acme.test"}; !slices.Equal(pl.Emails, want) {
			t.Errorf("invites %v, want %v", pl.Emails, want)
		}
		if !slices.Equal(pl.Merged, []string{"ana@acme.test"}) {
			t.Errorf("merged %v, want ana once", pl.Merged)
		}
		if len(pl.Problems) != 2 || pl.Problems[0].Email != "not-an-address" || pl.Problems[1].Email != "cm@globex.test" {
			t.Errorf("problems %+v, want the bad address and Globex's manager", pl.Problems)
		}
		// 2:30 does not exist in Berlin on 29 March 2026: clocks go
		// forward at 2:00, and it is sent at 3:00 local, 1:00 UTC.
		if pl.Send.Shift != programme.Gap || !pl.Send.At.Equal(time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)) || pl.Lang != "de" {
			t.Errorf("sent %v at %s in %s, want after the gap at 01:00 UTC in German", pl.Send.Shift, pl.Send.At, pl.Lang)
		}
		if len(pl.Draws) != 1 || pl.Draws[0].Count != 3 || pl.Draws[0].Short || !pl.Draws[0].Ends.Equal(world.T0.AddDate(0, 6, 0)) {
			t.Errorf("draws %+v, want three 6-month coaching seats", pl.Draws)
		}

		_, err := w.Programs.Confirm(cm, in)
		world.WantError(t, err, allot.EINVALID, "emails")
		if !strings.Contains(allot.ErrorMessage(err), "not-an-address") || !strings.Contains(allot.ErrorMessage(err), "cm@globex.test") {
			t.Errorf("the error %q names each address", allot.ErrorMessage(err))
		}
		if used := w.Reload(w.Acme.Coaching).Used; used != 0 {
			t.Fatalf("a refused invitation used %d seats", used)
		}

		in.Emails = "ana@acme.test learner@acme.test bo@acme.test"
		done := world.Must(w.Programs.Confirm(cm, in))(t)
		if done.Scheduled != 3 || done.Sent != 0 || done.Sentence() != "0 invitations sent, 3 scheduled." {
			t.Errorf("confirmed %+v", done)
		}
		if used := w.Reload(w.Acme.Coaching).Used; used != 3 {
			t.Errorf("the coaching pool has %d seats used, want the 3 reserved", used)
		}
		reserved := world.Must(w.Programs.Reserved(cm, w.Acme.Company.ID))(t)
		if reserved[w.Acme.Coaching.ID] != 3 {
			t.Errorf("reserved %v, want 3 of the coaching pool", reserved)
		}
		members := world.Must(w.Svc.Users(cm, allot.UserFilter{CompanyID: w.Acme.Company.ID, Limit: allot.MaxLimit}))(t)
		if slices.Contains(world.Emails(members), "ana@acme.test") || !slices.Contains(world.Emails(members), "learner@acme.test") {
			t.Errorf("members %v: ana is not listed until her invitation goes out; the learner stays", world.Emails(members))
		}
		if _, err := w.Programs.Confirm(cm, in); allot.ErrorCode(err) != allot.EINVALID || !strings.Contains(allot.ErrorMessage(err), "invited to Leaders already") {
			t.Errorf("inviting them again: %v", err)
		}

		// Bo's invitation moves an hour later; the learner's is cancelled,
		// which frees its seat; Ana's goes out at its instant, once.
		sched := world.Must(w.Programs.Scheduled(cm, w.Acme.Company.ID))(t)
		byEmail := map[string]programme.Invitation{}
		for _, inv := range sched {
			byEmail[inv.Email] = inv
		}
		if len(sched) != 3 || byEmail["ana@acme.test"].Local.Hour != 2 || byEmail["ana@acme.test"].Shift != programme.Gap {
			t.Fatalf("scheduled %+v", sched)
		}
		bo, r := world.Must2(w.Programs.Reschedule(cm, byEmail["bo@acme.test"].ID, programme.Reschedule{
			At: programme.Wall{Year: 2026, Month: time.March, Day: 29, Hour: 4}, Lang: "fr"}))(t)
		if r.Shift != programme.NoShift || !bo.SendAt.Equal(time.Date(2026, 3, 29, 2, 0, 0, 0, time.UTC)) || bo.Lang != "fr" {
			t.Errorf("rescheduled to %s (%v) in %s", bo.SendAt, r.Shift, bo.Lang)
		}
		world.Must(w.Programs.Cancel(cm, byEmail["learner@acme.test"].ID))(t)
		if used := w.Reload(w.Acme.Coaching).Used; used != 2 {
			t.Errorf("after a cancel the pool has %d used, want 2", used)
		}
		if _, err := w.Programs.Cancel(cm, byEmail["learner@acme.test"].ID); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("cancelling twice: %v", err)
		}
		if _, err := w.Programs.Cancel(w.As(w.Globex.CM), byEmail["ana@acme.test"].ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager cancelling: %v, want not found", err)
		}

		mails := invitationMails(t, w)
		w.Clock.Set(time.Date(2026, 3, 29, 2, 0, 0, 0, time.UTC))
		sys := context.Background()
		ana := mails[byEmail["ana@acme.test"].ID]
		if len(ana) != 1 {
			t.Fatalf("ana's mails %+v, want one", ana)
		}
		m, owed, err := w.Programs.Sending(sys, ana[0])
		if err != nil || !owed || m.Email != "ana@acme.test" || m.Lang != "de" || m.Programme != "Leaders" || m.Product != "Coaching" ||
			m.SignIn || !m.EndsAt.Equal(world.T0.AddDate(0, 6, 0)) {
			t.Errorf("ana's mail goes out as %+v (owed %v, %v)", m, owed, err)
		}
		if _, owed, _ := w.Programs.Sending(sys, ana[0]); !owed {
			t.Errorf("a retry of ana's mail, whose first try was not recorded, is owed again")
		}
		for _, m := range mails[byEmail["bo@acme.test"].ID] {
			if _, owed, _ := w.Programs.Sending(sys, m); owed != m.DueAt.Equal(bo.SendAt) {
				t.Errorf("bo's mail due %s owed %v; he was moved to %s", m.DueAt, owed, bo.SendAt)
			}
		}
		for _, m := range mails[byEmail["learner@acme.test"].ID] {
			if _, owed, _ := w.Programs.Sending(sys, m); owed {
				t.Errorf("the cancelled invitation's mail is owed")
			}
		}
		members = world.Must(w.Svc.Users(cm, allot.UserFilter{CompanyID: w.Acme.Company.ID, Limit: allot.MaxLimit}))(t)
		if !slices.Contains(world.Emails(members), "ana@acme.test") || !slices.Contains(world.Emails(members), "bo@acme.test") {
			t.Errorf("members %v: ana and bo are listed once their invitations went out", world.Emails(members))
		}

		status := map[string]string{}
		for _, inv := range world.Must(w.Programs.Members(cm, pg.ID))(t) {
			status[inv.Email] = inv.Status(w.Clock.Now())
		}
		if status["ana@acme.test"] != programme.StatusInvited || status["learner@acme.test"] != programme.StatusCancelled {
			t.Errorf("statuses %v", status)
		}
		if _, err := w.Programs.Members(cm, pg.ID, "nope"); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("an unknown status filter: %v", err)
		}
	})
}

// TestInviteSeats: an experience longer than its pool is warned of and
// gets the pool's end; more people than free seats is refused whole;
// sending now lists the person at once and says so.
func TestInviteSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.NewWith(t, b, world.Options{Seats: 2})
		cm := w.As(w.Acme.CM)
		pg := world.Must(w.Programs.Create(cm, programme.NewProgramme{CompanyID: w.Acme.Company.ID, Name: "Coaching",
			Products: []string{"coaching"}}))(t)
		w.Clock.Set(world.T0.AddDate(0, 8, 0)) // the pools end in 4 months
		in := programme.Invite{ProgrammeID: pg.ID, Experiences: []programme.Experience{{Product: "coaching", Months: 6}},
			Emails: "a@acme.test b@acme.test c@acme.test"}
		_, err := w.Programs.Plan(cm, in)
		if allot.ErrorCode(err) != allot.ECONFLICT || !strings.Contains(allot.ErrorMessage(err), "only 2 free seats") {
			t.Errorf("three people for two seats: %v", err)
		}
		in.Emails = "a@acme.test b@acme.test"
		pl := world.Must(w.Programs.Plan(cm, in))(t)
		if !pl.Draws[0].Short || !pl.Draws[0].Ends.Equal(w.Acme.Coaching.EndsAt) || !pl.Now {
			t.Errorf("draw %+v: a 6-month access from a pool ending in 4 months is short and ends with it", pl.Draws[0])
		}
		done := world.Must(w.Programs.Confirm(cm, in))(t)
		if done.Sent != 2 {
			t.Errorf("confirmed %+v, want 2 sent", done)
		}
		members := world.Must(w.Svc.Users(cm, allot.UserFilter{CompanyID: w.Acme.Company.ID, Limit: allot.MaxLimit}))(t)
		if !slices.Contains(world.Emails(members), "a@acme.test") {
			t.Errorf("members %v: an invitation sent now lists its person at once", world.Emails(members))
		}
		seat := w.Seat(world.Must(w.Svc.UserByEmail(w.As(w.Admin), "a@acme.test"))(t), "coaching")
		if !seat.EndsAt.Equal(w.Acme.Coaching.EndsAt) {
			t.Errorf("the seat ends %s, want the pool's end %s", seat.EndsAt, w.Acme.Coaching.EndsAt)
		}
		if _, err := w.Programs.Confirm(cm, programme.Invite{ProgrammeID: pg.ID, PoolID: w.Acme.Coaching.ID, Emails: "d@acme.test"}); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("inviting into a full subscription: %v, want a conflict", err)
		}
	})
}

// TestPreview writes the exact mail in the language asked, with a link
// that works for the person and no secret.
func TestPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		cm := w.As(w.Acme.CM)
		pg := world.Must(w.Programs.Create(cm, programme.NewProgramme{CompanyID: w.Acme.Company.ID, Name: "Leaders",
			Products: []string{"coaching"}}))(t)
		r := world.Must(w.Programs.Preview(cm, programme.Invite{ProgrammeID: pg.ID, PoolID: w.Acme.Coaching.ID,
			Emails: "new@acme.test", Lang: "fr", Zone: "Europe/Paris"}, "https://allot.example"))(t)
		if r.Lang != "fr" || !strings.Contains(r.Subject, "Leaders") || !strings.Contains(r.Text, "https://allot.example/link/") ||
			!strings.Contains(r.HTML, "Accepter l") {
			t.Errorf("preview %q in %s:\n%s", r.Subject, r.Lang, r.Text)
		}
	})
}

// TestInviteTwoProgrammes: a person invited later to two programmes stays
// unlisted while either waits, leaves with the last one cancelled, and is
// listed at once when invited now to a third.
func TestInviteTwoProgrammes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		cm := w.As(w.Acme.CM)
		acme := w.Acme.Company.ID
		made := func(name, product string) programme.Programme {
			return world.Must(w.Programs.Create(cm, programme.NewProgramme{CompanyID: acme, Name: name, Products: []string{product}}))(t)
		}
		coaching, premium, more := made("Coaching", "coaching"), made("Premium", "premium"), made("More", "coaching")
		later := programme.Wall{Year: 2026, Month: time.April, Day: 1, Hour: 9}
		for _, pg := range []programme.Programme{coaching, premium} {
			world.Must(w.Programs.Confirm(cm, programme.Invite{ProgrammeID: pg.ID, Experiences: []programme.Experience{{Product: pg.Products[0], Months: 3}},
				Emails: "zoe@acme.test", At: later}))(t)
		}
		listed := func() bool {
			users := world.Must(w.Svc.Users(cm, allot.UserFilter{CompanyID: acme, Limit: allot.MaxLimit}))(t)
			return slices.Contains(world.Emails(users), "zoe@acme.test")
		}
		sched := world.Must(w.Programs.Scheduled(cm, acme))(t)
		if len(sched) != 2 || listed() {
			t.Fatalf("%d scheduled, zoe listed %v: want 2 and unlisted", len(sched), listed())
		}
		world.Must(w.Programs.Cancel(cm, sched[0].ID))(t)
		zoe := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "zoe@acme.test"))(t)
		if !zoe.RemovedAt.IsZero() || !zoe.Pending {
			t.Errorf("after one of two cancelled, zoe is %+v: still pending, not removed", zoe)
		}
		world.Must(w.Programs.Cancel(cm, sched[1].ID))(t)
		if zoe = world.Must(w.Svc.UserByEmail(w.As(w.Admin), "zoe@acme.test"))(t); zoe.RemovedAt.IsZero() {
			t.Errorf("after both cancelled, zoe is %+v: removed", zoe)
		}
		world.Must(w.Programs.Confirm(cm, programme.Invite{ProgrammeID: more.ID, Experiences: []programme.Experience{{Product: "coaching", Months: 3}},
			Emails: "zoe@acme.test"}))(t)
		if !listed() {
			t.Errorf("zoe invited now is not listed")
		}
		world.Must(w.Programs.Confirm(cm, programme.Invite{ProgrammeID: premium.ID, Experiences: []programme.Experience{{Product: "premium", Months: 3}},
			Emails: "yan@acme.test", At: later}))(t)
		world.Must(w.Programs.Confirm(cm, programme.Invite{ProgrammeID: more.ID, Experiences: []programme.Experience{{Product: "coaching", Months: 3}},
			Emails: "yan@acme.test"}))(t)
		if yan := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "yan@acme.test"))(t); yan.Pending {
			t.Errorf("yan, invited later to one programme and now to another, is still unlisted")
		}
	})
}

// TestRemindAndResend: a reminder comes N days after the invitation went
// out, and is owed only to a member who has not signed in since; one not
// answered can be sent again, one accepted cannot.
func TestRemindAndResend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		cm := w.As(w.Acme.CM)
		pg := world.Must(w.Programs.Create(cm, programme.NewProgramme{CompanyID: w.Acme.Company.ID, Name: "Coaching",
			Products: []string{"coaching"}}))(t)
		done := world.Must(w.Programs.Confirm(cm, programme.Invite{ProgrammeID: pg.ID, PoolID: w.Acme.Coaching.ID,
			Emails: "ann@acme.test bob@acme.test", RemindDays: 3}))(t)
		mails := invitationMails(t, w)
		ann, bob := done.IDs[0], done.IDs[1]
		for _, id := range done.IDs {
			if len(mails[id]) != 2 || mails[id][0].Again == mails[id][1].Again {
				t.Fatalf("invitation %d has mails %+v, want the first and a reminder", id, mails[id])
			}
		}
		reminder := func(id int64) allot.Mail {
			for _, m := range mails[id] {
				if m.Again {
					return m
				}
			}
			return allot.Mail{}
		}
		if due := reminder(ann).DueAt; !due.Equal(world.T0.AddDate(0, 0, 3)) {
			t.Errorf("the reminder is due %s, want three days after %s", due, world.T0)
		}
		w.Clock.Advance(time.Hour)
		world.Must(w.Programs.Resend(cm, ann))(t)
		annUser := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "ann@acme.test"))(t)
		world.Must(0, w.Svc.RecordLogin(w.As(annUser.Principal()), annUser.ID))(t)
		if _, err := w.Programs.Resend(cm, ann); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("sending an accepted invitation again: %v, want a conflict", err)
		}
		w.Clock.Set(world.T0.AddDate(0, 0, 3))
		sys := context.Background()
		if _, owed, err := w.Programs.Sending(sys, reminder(ann)); owed || err != nil {
			t.Errorf("ann signed in: her reminder is owed %v (%v)", owed, err)
		}
		if _, owed, err := w.Programs.Sending(sys, reminder(bob)); !owed || err != nil {
			t.Errorf("bob did not sign in: his reminder is owed %v (%v)", owed, err)
		}
		status := map[int64]string{}
		for _, inv := range world.Must(w.Programs.Members(cm, pg.ID, programme.StatusActive, programme.StatusInvited))(t) {
			status[inv.ID] = inv.Status(w.Clock.Now())
		}
		if status[ann] != programme.StatusActive || status[bob] != programme.StatusInvited {
			t.Errorf("statuses %v: ann active, bob invited", status)
		}
	})
}
