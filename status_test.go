package allot_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"

	"pgregory.net/rapid"
)

// TestStatusForms pins together the three forms of a learner's licence
// status at random instants: Seat.Status as the service computes it for a
// member, the bounds Members filters by in the database (Members with
// Status s lists exactly the members whose status is s), and the status of
// the entitlement decision. Each check is a company of a few learners, each
// waiting, holding no seat, or holding a seat of a random window that may
// have been released, with an older released seat behind it or not.
func TestStatusForms(t *testing.T) {
	statuses := []allot.Status{allot.StatusScheduled, allot.StatusActive, allot.StatusExpiring, allot.StatusExpired,
		allot.StatusReleased, allot.StatusUnlicensed}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		n := 0
		rapid.Check(t, func(rt *rapid.T) {
			n++
			// The learners are added before the company has a pool, so
			// that they wait for a seat; those that do not wait are then
			// given theirs through the store, their windows drawn.
			c, _ := world.Must2(f.Svc.CreateCompany(f.As(f.Admin), allot.NewCompany{Name: fmt.Sprintf("Status %d", n),
				DefaultProductCode: "premium"}))(t)
			at := world.T0
			pool := f.Assigned(allot.NewOrder{CompanyID: c.ID, Quantity: 1, TermDays: 1})
			f.Clock.Set(pool.EndsAt) // no seat is free: learners added now wait
			type learner struct {
				user    allot.User
				waiting bool
				seat    *allot.Seat // the newest
			}
			var ls []learner
			for i := range rapid.IntRange(1, 5).Draw(rt, "learners") {
				u := f.Learner(c, fmt.Sprintf("l%d@status%d.test", i, n))
				ls = append(ls, learner{user: u})
			}
			day := func(label string) time.Duration {
				return time.Duration(rapid.Int64Range(-20*24, 20*24).Draw(rt, label)) * time.Hour
			}
			err := f.Svc.Store.Write(t.Context(), func(tx allot.Tx) error {
				for i := range ls {
					switch rapid.IntRange(0, 3).Draw(rt, "kind") {
					case 0: // waits for a seat
						ls[i].waiting = true
						continue
					case 1: // holds none, and no longer waits
						if err := tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: []int64{ls[i].user.ID}}); err != nil {
							return err
						}
						continue
					}
					if rapid.Bool().Draw(rt, "released before") {
						old := allot.Seat{PoolID: pool.ID, CompanyID: c.ID, ProductID: f.Product.ID, StartsAt: at.Add(-60 * 24 * time.Hour),
							EndsAt: at.Add(-30 * 24 * time.Hour), CreatedAt: at.Add(-60 * 24 * time.Hour)}
						if err := give(tx, &old, ls[i].user.ID); err != nil {
							return err
						}
						if err := tx.ReleaseSeat(old.ID, old.StartsAt.Add(time.Hour), allot.ReasonOther); err != nil {
							return err
						}
					}
					start := at.Add(day("start"))
					s := allot.Seat{PoolID: pool.ID, CompanyID: c.ID, ProductID: f.Product.ID, StartsAt: start,
						EndsAt: start.Add(time.Duration(rapid.Int64Range(1, 20*24).Draw(rt, "hours")) * time.Hour), CreatedAt: start}
					if err := give(tx, &s, ls[i].user.ID); err != nil {
						return err
					}
					if rapid.Bool().Draw(rt, "released") {
						s.ReleasedAt, s.ReleaseReason = s.StartsAt.Add(time.Hour), allot.ReasonLeft
						if err := tx.ReleaseSeat(s.ID, s.ReleasedAt, s.ReleaseReason); err != nil {
							return err
						}
					}
					if err := tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: []int64{ls[i].user.ID}}); err != nil {
						return err
					}
					ls[i].seat = &s
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}

			// An instant near the windows, at one of their edges often.
			now := at.Add(day("now"))
			if edge := rapid.IntRange(0, 3).Draw(rt, "edge"); edge > 0 {
				var seats []allot.Seat
				for _, l := range ls {
					if l.seat != nil {
						seats = append(seats, *l.seat)
					}
				}
				if len(seats) > 0 {
					s := rapid.SampledFrom(seats).Draw(rt, "edge of")
					now = []time.Time{s.StartsAt, s.EndsAt, s.EndsAt.Add(-allot.ExpiringWindow)}[edge-1]
				}
			}
			f.Clock.Set(now)

			want := map[string]allot.Status{}
			for _, l := range ls {
				switch {
				case l.seat != nil:
					want[l.user.Email] = l.seat.Status(now)
				case l.waiting:
					want[l.user.Email] = allot.StatusUnlicensed
				default:
					want[l.user.Email] = ""
				}
			}
			as := f.As(f.Admin)
			for _, m := range world.Must(f.Svc.Members(as, c.ID, allot.MemberFilter{}))(t) {
				if m.Status != want[m.Email] {
					t.Fatalf("at %s, %s has status %q, want %q (seat %+v)", now, m.Email, m.Status, want[m.Email], m.Seat)
				}
			}
			for _, st := range statuses {
				var got, wantIn []string
				for _, m := range world.Must(f.Svc.Members(as, c.ID, allot.MemberFilter{Status: st}))(t) {
					got = append(got, m.Email)
				}
				for _, l := range ls {
					if want[l.user.Email] == st {
						wantIn = append(wantIn, l.user.Email)
					}
				}
				if !slices.Equal(got, wantIn) {
					t.Fatalf("at %s, members %s: %v, want %v", now, st, got, wantIn)
				}
			}
			for _, l := range ls {
				if d := f.Check(l.user, "premium"); d.Status != want[l.user.Email] {
					t.Fatalf("at %s, the check of %s says %q, want %q", now, l.user.Email, d.Status, want[l.user.Email])
				}
			}
		})
	})
}

// give gives user userID the seat s, through the store, and sets its ID.
func give(tx allot.Tx, s *allot.Seat, userID int64) error {
	ids, err := tx.GiveSeats(allot.GiveSeatsParams{Seat: *s, UserIDs: []int64{userID},
		Event: allot.Event{At: s.CreatedAt, Action: "seat.allocate", SubjectType: "seat", After: "{}"}})
	if err == nil && len(ids) != 1 {
		err = fmt.Errorf("%d seats given, want 1", len(ids))
	}
	if err == nil {
		s.ID, s.UserID = ids[0], userID
	}
	return err
}
