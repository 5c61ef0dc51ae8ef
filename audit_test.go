package allot_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

// TestAuditEvents checks that changes are recorded with the real actor, the
// company concerned, its partner, and whether the actor was in
// manage-company mode there.
func TestAuditEvents(t *testing.T) {
	cases := []struct {
		name       string
		who        string
		customer   func(w *world.World) world.Customer
		do         func(t *testing.T, ctx context.Context, w *world.World) (subjectID int64)
		action     string
		manageMode bool
		hasBefore  bool
	}{
		{
			name: "request by a partner manager", who: "pm", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				return world.Must(w.Svc.RequestOrder(ctx, allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "premium", Quantity: 2}))(t).ID
			},
			action: "order.request",
		},
		{
			name: "assign by a partner manager", who: "pm", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				o := w.NewOrder(t, w.Acme.Company)
				world.Must2(w.Svc.AssignOrder(ctx, o.ID))(t)
				return o.ID
			},
			action: "order.assign", hasBefore: true,
		},
		{
			name: "assign in manage-company mode", who: "pm@acme", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				o := w.NewOrder(t, w.Acme.Company)
				world.Must2(w.Svc.AssignOrder(ctx, o.ID))(t)
				return o.ID
			},
			action: "order.assign", manageMode: true, hasBefore: true,
		},
		{
			name: "allocate by the company's manager", who: "acme cm", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				return world.Must(w.Svc.Allocate(ctx, w.NewLearner(t, w.Acme).ID, "coaching", 0))(t).ID
			},
			action: "seat.allocate",
		},
		{
			name: "allocate in manage-company mode", who: "pm@acme", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				return world.Must(w.Svc.Allocate(ctx, w.NewLearner(t, w.Acme).ID, "coaching", 0))(t).ID
			},
			action: "seat.allocate", manageMode: true,
		},
		{
			name: "automatic allocation in a direct customer", who: "admin@solo", customer: func(w *world.World) world.Customer { return w.Solo },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				u := world.Must(w.Svc.AddUser(ctx, allot.NewUser{Email: w.NewEmail(), CompanyID: w.Solo.Company.ID}))(t)
				seats := world.Must(w.Svc.Seats(ctx, allot.SeatFilter{CompanyID: w.Solo.Company.ID, UserID: u.ID}))(t)
				if len(seats) != 1 {
					t.Fatalf("%s holds %d seats, want 1", u.Email, len(seats))
				}
				return seats[0].ID
			},
			action: "seat.allocate", manageMode: true,
		},
		{
			name: "release by the company's manager", who: "acme cm", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				return world.Must(w.Svc.Release(ctx, w.NewSeat(t, w.Acme, "premium").ID, allot.ReasonNeverLoggedIn))(t).ID
			},
			action: "seat.release", hasBefore: true,
		},
		{
			name: "release in manage-company mode", who: "pm2@globex", customer: func(w *world.World) world.Customer { return w.Globex },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				return world.Must(w.Svc.Release(ctx, w.NewSeat(t, w.Globex, "premium").ID, allot.ReasonLeft))(t).ID
			},
			action: "seat.release", manageMode: true, hasBefore: true,
		},
		{
			name: "remove by the company's manager", who: "acme cm", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				return world.Must(w.Svc.RemoveUser(ctx, w.NewLearner(t, w.Acme).ID))(t).ID
			},
			action: "user.remove", hasBefore: true,
		},
		{
			name: "remove in manage-company mode by vendor staff", who: "agent@beta", customer: func(w *world.World) world.Customer { return w.Beta },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				return world.Must(w.Svc.RemoveUser(ctx, w.NewLearner(t, w.Beta).ID))(t).ID
			},
			action: "user.remove", manageMode: true, hasBefore: true,
		},
		{
			name: "removal releases the seat", who: "acme cm", customer: func(w *world.World) world.Customer { return w.Acme },
			do: func(t *testing.T, ctx context.Context, w *world.World) int64 {
				seat := w.NewSeat(t, w.Acme, "premium")
				world.Must(w.Svc.RemoveUser(ctx, seat.UserID))(t)
				return seat.ID
			},
			action: "seat.release", hasBefore: true,
		},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				w.Clock.Advance(time.Minute)
				actor := w.Who[tc.who]
				c := tc.customer(w).Company
				subject := tc.do(t, w.Ctx(t, tc.who), w)
				events := world.Must(w.Svc.Events(w.As(w.Admin), allot.EventFilter{CompanyID: c.ID, Limit: allot.MaxLimit}))(t)
				var e *allot.Event
				for i := range events {
					if events[i].Action == tc.action && events[i].SubjectID == subject {
						e = &events[i]
						break
					}
				}
				if e == nil {
					t.Fatalf("no %s event for subject %d in %s", tc.action, subject, c.Name)
				}
				if e.ActorID != actor.UserID || e.ActorEmail != actor.Email {
					t.Errorf("actor = %d %s, want %d %s", e.ActorID, e.ActorEmail, actor.UserID, actor.Email)
				}
				if e.CompanyID != c.ID || e.PartnerID != c.PartnerID || e.ManageMode != tc.manageMode {
					t.Errorf("company %d, partner %d, manage mode %v; want %d, %d, %v",
						e.CompanyID, e.PartnerID, e.ManageMode, c.ID, c.PartnerID, tc.manageMode)
				}
				if !e.At.Equal(w.Clock.Now()) {
					t.Errorf("at %s, want %s", e.At, w.Clock.Now())
				}
				if (e.Before != "") != tc.hasBefore || e.After == "" {
					t.Errorf("before %q, after %q; want a before state: %v, an after state: true", e.Before, e.After, tc.hasBefore)
				}
			})
		}
	})
}

// TestEventsScope checks that each principal reads the audit log of its own
// scope only: a company's managers their company, a partner its customers.
func TestEventsScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		cases := []struct {
			who         string
			partnerID   int64   // every event's partner, when not 0
			companies   []int64 // companies whose events must show
			unseen      []int64 // companies whose events must not show
			onlyCompany int64   // every event's company, when not 0
		}{
			{who: "acme cm", onlyCompany: w.Acme.Company.ID, companies: []int64{w.Acme.Company.ID}},
			{who: "solo cm", onlyCompany: w.Solo.Company.ID, companies: []int64{w.Solo.Company.ID}},
			{who: "pm@acme", onlyCompany: w.Acme.Company.ID, companies: []int64{w.Acme.Company.ID}},
			{who: "pm", partnerID: w.Partner.ID, companies: []int64{w.Acme.Company.ID, w.Beta.Company.ID},
				unseen: []int64{w.Globex.Company.ID, w.Solo.Company.ID}},
			{who: "pm2", partnerID: w.Partner2.ID, companies: []int64{w.Globex.Company.ID},
				unseen: []int64{w.Acme.Company.ID, w.Beta.Company.ID, w.Solo.Company.ID}},
			{who: "agent", companies: []int64{w.Acme.Company.ID, w.Beta.Company.ID, w.Globex.Company.ID, w.Solo.Company.ID}},
		}
		for _, tc := range cases {
			t.Run(tc.who, func(t *testing.T) {
				events := world.Must(w.Svc.Events(w.Ctx(t, tc.who), allot.EventFilter{Limit: allot.MaxLimit}))(t)
				seen := map[int64]bool{}
				for _, e := range events {
					seen[e.CompanyID] = true
					if tc.partnerID != 0 && e.PartnerID != tc.partnerID {
						t.Errorf("event %d (%s) of partner %d, want only partner %d", e.ID, e.Action, e.PartnerID, tc.partnerID)
					}
					if tc.onlyCompany != 0 && e.CompanyID != tc.onlyCompany {
						t.Errorf("event %d (%s) of company %d, want only company %d", e.ID, e.Action, e.CompanyID, tc.onlyCompany)
					}
				}
				for _, id := range tc.companies {
					if !seen[id] {
						t.Errorf("no event of company %d", id)
					}
				}
				for _, id := range tc.unseen {
					if seen[id] {
						t.Errorf("events of company %d are shown", id)
					}
				}
			})
		}
	})
}

// withoutAudit is a store whose audit log fails to write, to show that a
// change is only made together with its event.
type withoutAudit struct{ allot.Store }

var errAuditDown = errors.New("the audit log is unavailable")

func (s withoutAudit) Write(ctx context.Context, fn func(allot.Tx) error) error {
	return s.Store.Write(ctx, func(tx allot.Tx) error { return fn(failingEvents{tx}) })
}

type failingEvents struct{ allot.Tx }

func (failingEvents) AddEvent(*allot.Event) error { return errAuditDown }

// GiveSeats and AddWaiting write the events of the seats they give and the
// learners they add with them.
func (failingEvents) GiveSeats(allot.GiveSeatsParams) ([]int64, error) { return nil, errAuditDown }
func (failingEvents) AddWaiting(allot.AddWaitingParams) error          { return errAuditDown }

// TestAuditInSameTransaction checks that a change whose audit event cannot
// be written is not made at all.
func TestAuditInSameTransaction(t *testing.T) {
	// subjects are what the changes act on.
	type subjects struct {
		company  allot.Company
		order    allot.Order // requested
		ann, bob allot.User  // learners holding a premium seat
		annSeat  allot.Seat
	}
	cases := []struct {
		name string
		do   func(ctx context.Context, svc *allot.Service, s subjects) error
	}{
		{"request an order", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, err := svc.RequestOrder(ctx, allot.NewOrder{CompanyID: s.company.ID, ProductCode: "premium", Quantity: 1})
			return err
		}},
		{"assign an order", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, _, err := svc.AssignOrder(ctx, s.order.ID)
			return err
		}},
		{"add a learner", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, err := svc.AddUser(ctx, allot.NewUser{Email: "cat@acme.test", CompanyID: s.company.ID})
			return err
		}},
		{"allocate", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, err := svc.Allocate(ctx, s.ann.ID, "coaching", 0)
			return err
		}},
		{"release", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, err := svc.Release(ctx, s.annSeat.ID, allot.ReasonOther)
			return err
		}},
		{"reallocate", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, err := svc.Reallocate(ctx, s.annSeat.ID, s.bob.ID)
			return err
		}},
		{"remove a learner", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, err := svc.RemoveUser(ctx, s.bob.ID)
			return err
		}},
		{"suspend", func(ctx context.Context, svc *allot.Service, s subjects) error {
			_, err := svc.SetCompanySuspended(ctx, s.company.ID, true)
			return err
		}},
	}
	type state struct {
		orders      int
		orderStatus allot.OrderStatus
		pools       int
		used        int
		annSeats    int
		bobSeats    int
		annReleased bool
		bobRemoved  bool
		users       int
		suspended   bool
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				f := world.Setup(t, b)
				world.Must(f.Svc.CreateProduct(f.As(f.Admin), allot.Product{Code: "coaching", Name: "Coaching"}))(t)
				f.Assigned(allot.NewOrder{ProductCode: "coaching", Quantity: 5})
				p := f.Pool(f.Company, 3)
				s := subjects{company: f.Company, ann: f.Learner(f.Company, "ann@acme.test")}
				s.annSeat = f.Seat(s.ann, "premium")
				// Bob holds no seat of premium, so that ann's may move to him.
				s.bob = f.Learner(f.Company, "bob@acme.test")
				world.Must(f.Svc.Release(f.As(f.CM), f.Seat(s.bob, "premium").ID, allot.ReasonOther))(t)
				s.order = world.Must(f.Svc.RequestOrder(f.As(f.CM), allot.NewOrder{CompanyID: f.Company.ID, ProductCode: "premium", Quantity: 4}))(t)
				read := func() state {
					t.Helper()
					ctx := f.As(f.Admin)
					var st state
					st.orders = len(world.Must(f.Svc.Orders(ctx, allot.OrderFilter{CompanyID: f.Company.ID}))(t))
					st.orderStatus = world.Must(f.Svc.Order(ctx, s.order.ID))(t).Status
					st.pools = len(world.Must(f.Svc.Pools(ctx, f.Company.ID))(t))
					st.used = f.Reload(p).Used
					seats := world.Must(f.Svc.Seats(ctx, allot.SeatFilter{UserID: s.ann.ID}))(t)
					st.annSeats = len(seats)
					st.annReleased = !seats[0].ReleasedAt.IsZero()
					st.bobSeats = len(world.Must(f.Svc.Seats(ctx, allot.SeatFilter{UserID: s.bob.ID}))(t))
					st.bobRemoved = !world.Must(f.Svc.User(ctx, s.bob.ID))(t).RemovedAt.IsZero()
					st.users = len(world.Must(f.Svc.Users(ctx, allot.UserFilter{CompanyID: f.Company.ID}))(t))
					st.suspended = world.Must(f.Svc.Company(ctx, f.Company.ID))(t).Suspended
					return st
				}
				before := read()

				failing := allot.NewService(withoutAudit{f.Svc.Store}, f.Clock, nil)
				err := tc.do(f.As(f.Managing(f.Company)), failing, s)
				if !errors.Is(err, errAuditDown) {
					t.Fatalf("error %v, want the audit log's", err)
				}
				if after := read(); after != before {
					t.Errorf("state changed by a failed change:\n got %+v\nwant %+v", after, before)
				}
				// The same change goes through when the audit log works.
				if err := tc.do(f.As(f.Managing(f.Company)), f.Svc, s); err != nil {
					t.Fatal(err)
				}
				if after := read(); after == before {
					t.Errorf("state unchanged by the change: %+v", after)
				}
			})
		}
	})
}

// TestSeatEventsHaveOneShape gives seats every way there is (allocation,
// the waiting list on assignment, adding a learner, reallocation, renewal,
// an import) and checks that each seat's audit event holds the seat as the
// store keeps it, with no member more or less, whichever way it came.
func TestSeatEventsHaveOneShape(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		r := world.NewRenewal(t, b, 2)
		ctx := r.As(r.CM)
		world.Must(r.Svc.Renew(ctx, allot.Renewal{CompanyID: r.Company.ID, ProductCode: "premium", UserIDs: []int64{r.Ann.ID}}))(t)
		world.Must(r.Svc.Reallocate(ctx, r.Seat(r.Eve, "premium").ID, r.Cat.ID))(t)
		// The last free seat, then a learner who waits until a new pool.
		for _, email := range []string{"last@acme.test", "waits@acme.test"} {
			world.Must(r.Svc.AddUser(ctx, allot.NewUser{Email: email, CompanyID: r.Company.ID}))(t)
		}
		r.Assigned(allot.NewOrder{Quantity: 3})
		imp := world.Must(r.Dir.UploadImport(ctx, directory.NewImport{CompanyID: r.Company.ID, Kind: directory.ImportUsers,
			Data: []byte("email\nnew@acme.test\n")}))(t)
		for _, step := range []func() (directory.Import, error){
			func() (directory.Import, error) { return r.Dir.PreviewImport(ctx, imp.ID, imp.Suggested) },
			func() (directory.Import, error) { return r.Dir.ConfirmImport(ctx, imp.ID, false) },
		} {
			world.Must(step())(t)
			if err := r.Dir.RunImportStep(context.Background(), imp.ID); err != nil {
				t.Fatal(err)
			}
		}

		given := map[string]int{}
		events := world.Must(r.Svc.Events(r.As(r.Admin), allot.EventFilter{CompanyID: r.Company.ID, Limit: allot.MaxLimit}))(t)
		for _, e := range events {
			if e.SubjectType != "seat" || e.Action == "seat.release" {
				continue
			}
			given[e.Action]++
			var logged allot.Seat
			dec := json.NewDecoder(strings.NewReader(e.After))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&logged); err != nil {
				t.Fatalf("%s event %d: After %s is not a seat: %v", e.Action, e.ID, e.After, err)
			}
			var members map[string]any
			json.Unmarshal([]byte(e.After), &members)
			if n := reflect.TypeFor[allot.Seat]().NumField(); len(members) != n {
				t.Errorf("%s event %d: After has %d members, want the seat's %d: %s", e.Action, e.ID, len(members), n, e.After)
			}
			var stored allot.Seat
			for _, s := range world.Must(r.Svc.Seats(r.As(r.Admin), allot.SeatFilter{UserID: logged.UserID}))(t) {
				if s.ID == e.SubjectID {
					stored = s
				}
			}
			if stored.ReleasedAt, stored.ReleaseReason = (time.Time{}), ""; logged != stored {
				t.Errorf("%s event %d: seat %+v, want the seat given %+v", e.Action, e.ID, logged, stored)
			}
		}
		// Allocations: the first learners', the renewed one's, the new
		// learners', the waiting one's and the imported one's; one
		// reallocation.
		if given["seat.allocate"] < 8 || given["seat.reallocate"] != 1 {
			t.Errorf("seat events %v, want every way of giving one", given)
		}
	})
}
