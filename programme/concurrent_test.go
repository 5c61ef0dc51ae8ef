package programme_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/programme"
	"allot/storetest"
	"allot/world"
)

// The race of TestInviteLastSeats: its subscription of raceSeats coaching
// seats, raceTaken of them reserved before it starts; raceHandles stores
// opened on one database, as many processes would, each with raceWorkers
// managers confirming raceRequests invitations of racePeople people at once.
const (
	raceSeats    = 30
	raceTaken    = 6
	raceHandles  = 3
	raceWorkers  = 4
	raceRequests = 3
	racePeople   = 2
)

// raceRequest is one invitation confirmed in the race, and what came of it.
type raceRequest struct {
	emails []string
	done   programme.Confirmed
	err    error
}

// TestInviteLastSeats has managers of one company, through several stores
// on one database, invite people into the last free seats of a
// subscription at once, asking for more seats than are free: exactly the
// free seats are given, each invitation refused is a conflict that leaves
// nothing behind, the pool is full and never beyond, nobody holds two
// seats, and there is one invitation, holding one seat, for each seat
// taken.
func TestInviteLastSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		w := world.NewWith(t, storetest.Backend{Name: b.Name, URL: func(testing.TB) string { return url }},
			world.Options{Seats: raceSeats})
		cm := w.As(w.Acme.CM)
		pg := world.Must(w.Programs.Create(cm, programme.NewProgramme{CompanyID: w.Acme.Company.ID, Name: "Last seats",
			Products: []string{"coaching"}}))(t)
		first := world.Must(w.Programs.Confirm(cm, programme.Invite{ProgrammeID: pg.ID, PoolID: w.Acme.Coaching.ID,
			Emails: raceEmails("early", raceTaken)}))(t)
		if len(first.IDs) != raceTaken {
			t.Fatalf("the first invitation reserved %d seats, want %d", len(first.IDs), raceTaken)
		}
		free := raceSeats - raceTaken
		if asked := raceHandles * raceWorkers * raceRequests * racePeople; asked <= free {
			t.Fatalf("the race asks for %d seats of %d free: it must ask for more", asked, free)
		}

		services := []*programme.Service{w.Programs}
		for range raceHandles - 1 {
			db := storetest.OpenURL(t, url)
			services = append(services, &programme.Service{Ledger: allot.NewService(db, w.Clock, nil), Store: db.Programme()})
		}
		requests := race(t, w, pg, services)

		given, refused := 0, 0
		var invitedEmails, refusedEmails []string
		for _, r := range requests {
			switch {
			case r.err == nil && len(r.done.IDs) == len(r.emails):
				given += len(r.done.IDs)
				invitedEmails = append(invitedEmails, r.emails...)
			case r.err == nil:
				t.Errorf("inviting %v made %d invitations", r.emails, len(r.done.IDs))
			case allot.ErrorCode(r.err) == allot.ECONFLICT:
				refused++
				refusedEmails = append(refusedEmails, r.emails...)
			default:
				t.Errorf("inviting %v: %v, want it done or refused as a conflict", r.emails, r.err)
			}
		}
		if given != free || refused != len(requests)-free/racePeople {
			t.Errorf("%d seats given and %d invitations refused, want the %d free seats given and %d refused",
				given, refused, free, len(requests)-free/racePeople)
		}
		if pool := w.Reload(w.Acme.Coaching); pool.Used != pool.Quantity || pool.Quantity != raceSeats {
			t.Errorf("the subscription has %d of %d seats used, want all %d", pool.Used, pool.Quantity, raceSeats)
		}
		checkRaceSeats(t, w, pg, raceTaken+given)
		if people := storedPeople(t, w, refusedEmails); len(people) != 0 {
			t.Errorf("refused invitations left %d people behind, the first %s", len(people), people[0].Email)
		}
		if people := storedPeople(t, w, invitedEmails); len(people) != len(invitedEmails) {
			t.Errorf("%d people stored for the %d invited", len(people), len(invitedEmails))
		}
	})
}

// race runs the invitations of the race, raceWorkers managers on each of
// services, all starting together, and returns each request with its
// outcome. The managers take turns: the company's and its partner's in
// manage mode, through the subscription or an experience of its product,
// sent now or scheduled.
func race(t *testing.T, w *world.World, pg programme.Programme, services []*programme.Service) []raceRequest {
	t.Helper()
	var (
		start    = make(chan struct{})
		wg       sync.WaitGroup
		requests = make([]raceRequest, len(services)*raceWorkers*raceRequests)
		later    = w.Clock.Now().Add(48 * time.Hour)
	)
	for h, svc := range services {
		for k := range raceWorkers {
			worker := h*raceWorkers + k
			ctx := w.As(w.Acme.CM)
			if worker%2 == 1 {
				ctx = w.Ctx(t, "pm@acme")
			}
			wg.Go(func() {
				<-start
				for i := range raceRequests {
					n := worker*raceRequests + i
					in := programme.Invite{ProgrammeID: pg.ID, Emails: raceEmails(fmt.Sprintf("w%dr%d", worker, i), racePeople)}
					if n%2 == 0 {
						in.PoolID = w.Acme.Coaching.ID
					} else {
						in.Experiences = []programme.Experience{{Product: "coaching", Months: 3}}
					}
					if n%3 == 0 {
						in.At = programme.Wall{Year: later.Year(), Month: later.Month(), Day: later.Day(), Hour: 9}
					}
					r := &requests[n]
					r.emails = emailList(in.Emails)
					r.done, r.err = svc.Confirm(ctx, in)
				}
			})
		}
	}
	close(start)
	wg.Wait()
	return requests
}

// checkRaceSeats checks the coaching seats and the invitations of pg after
// the race: taken seats, each held by another person, each reserved by one
// invitation of that person, and one mail queued for each invitation.
func checkRaceSeats(t *testing.T, w *world.World, pg programme.Programme, taken int) {
	t.Helper()
	admin := w.As(w.Admin)
	seats := world.Must(w.Svc.Seats(admin, allot.SeatFilter{CompanyID: w.Acme.Company.ID, ProductID: w.Coaching.ID,
		Limit: allot.MaxLimit}))(t)
	holder := map[int64]int64{} // seat by user
	for _, s := range seats {
		if other, ok := holder[s.UserID]; ok {
			t.Errorf("user %d holds seats %d and %d", s.UserID, other, s.ID)
		}
		holder[s.UserID] = s.ID
		if s.PoolID != w.Acme.Coaching.ID || !s.ReleasedAt.IsZero() {
			t.Errorf("seat %+v: want a seat of the subscription, held", s)
		}
	}
	if len(seats) != taken {
		t.Errorf("%d coaching seats, want the %d taken", len(seats), taken)
	}
	members := world.Must(w.Programs.Members(w.As(w.Acme.CM), pg.ID))(t)
	if len(members) != taken {
		t.Errorf("%d invitations, want one for each of the %d seats taken", len(members), taken)
	}
	for _, inv := range members {
		if len(inv.Seats) != 1 || inv.Seats[0].UserID != inv.UserID || holder[inv.UserID] != inv.Seats[0].ID {
			t.Errorf("the invitation of %s holds seats %+v, want the one seat of its person", inv.Email, inv.Seats)
		}
		delete(holder, inv.UserID)
	}
	if len(holder) != 0 {
		t.Errorf("%d seats reserved by no invitation", len(holder))
	}
	if mails := invitationMails(t, w); len(mails) != len(members) {
		t.Errorf("invitation mails queued for %d invitations, want %d", len(mails), len(members))
	}
}

// storedPeople returns the people of the e-mails the store holds, whatever
// their state.
func storedPeople(t *testing.T, w *world.World, emails []string) []allot.User {
	t.Helper()
	var out []allot.User
	if len(emails) == 0 {
		return nil
	}
	if err := w.DB.Read(context.Background(), func(tx allot.Tx) error {
		var err error
		out, err = tx.UsersByEmail(emails)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// raceEmails returns n addresses at Acme with prefix, on one line.
func raceEmails(prefix string, n int) string {
	s := ""
	for i := range n {
		s += fmt.Sprintf("%s.%d@acme.test ", prefix, i)
	}
	return s
}

// emailList returns the addresses of text, as ParseEmails finds them.
func emailList(text string) []string {
	emails, _ := programme.ParseEmails(text)
	return emails
}
