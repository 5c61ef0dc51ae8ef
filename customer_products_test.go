package allot_test

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestCustomerProducts checks a customer's summary product by product: the
// seats of live pools, the licences on order, the learners whose seats
// expired and those waiting, each counted under its own product; and what
// a partner's counts hold of another's.
func TestCustomerProducts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.NewWith(t, b, world.Options{Seats: 3})
		acme, sys := w.Acme.Company, w.As(w.Admin)
		short := w.Assigned(allot.NewOrder{CompanyID: acme.ID, ProductCode: "coaching", Quantity: 1, TermDays: 1})
		world.Must(w.Svc.Allocate(w.As(w.Managing(acme)), w.Acme.Learner.ID, "coaching", short.ID))(t)
		for range 3 { // two take the free seats of Premium, one waits
			w.NewLearner(t, w.Acme)
		}
		world.Must(w.Svc.RequestOrder(sys, allot.NewOrder{CompanyID: acme.ID, ProductCode: "coaching", Quantity: 4}))(t)
		w.Clock.Advance(25 * time.Hour)

		got := world.Must(w.Svc.Customer(w.Ctx(t, "pm"), acme.ID))(t)
		premium, coaching := w.Product.ID, w.Coaching.ID
		want := map[int64]allot.CustomerProduct{
			premium:  {ProductID: premium, Bought: 3, Allocated: 3, NextExpiry: w.Acme.Pool.EndsAt, Pending: 1, PendingSeats: 1, Waiting: 1},
			coaching: {ProductID: coaching, Bought: 3, NextExpiry: w.Acme.Coaching.EndsAt, Pending: 1, PendingSeats: 4, Expired: 1},
		}
		if len(got.Products) != 2 {
			t.Fatalf("products %+v, want Premium and Coaching", got.Products)
		}
		for _, p := range got.Products {
			if p != want[p.ProductID] {
				t.Errorf("product %d:\n got  %+v\n want %+v", p.ProductID, p, want[p.ProductID])
			}
		}
		if got.Bought != 6 || got.Allocated != 3 || got.Pending != 2 || got.Expired != 1 || got.Waiting != 1 {
			t.Errorf("Acme: bought %d, allocated %d, pending %d, expired %d, waiting %d; want 6, 3, 2, 1, 1",
				got.Bought, got.Allocated, got.Pending, got.Expired, got.Waiting)
		}
		if _, soon := got.ExpiresWithin(w.Clock.Now(), 30*24*time.Hour); soon {
			t.Errorf("Acme's licences end %s: not within 30 days", got.NextExpiry)
		}
		w.Clock.Set(w.Acme.Pool.EndsAt.Add(-49 * time.Hour))
		got = world.Must(w.Svc.Customer(w.Ctx(t, "pm"), acme.ID))(t)
		if days, soon := got.ExpiresWithin(w.Clock.Now(), 30*24*time.Hour); !soon || days != 3 {
			t.Errorf("49 hours before the end: %d days, %v; want 3 days, within", days, soon)
		}
		if _, err := w.Svc.Customer(w.Ctx(t, "pm2"), acme.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another partner's customer: %v, want not found", err)
		}
	})
}

// TestListCounts counts what a list holds in the scope of its reader.
func TestListCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		for _, c := range []struct {
			who               string
			companies, orders int // requested orders, of the company acted in in manage mode
		}{
			{"pm", 2, 2}, {"pm2", 1, 1}, {"admin", 4, 4}, {"acme cm", 1, 1}, {"pm@acme", 2, 1},
		} {
			ctx := w.Ctx(t, c.who)
			if n := world.Must(w.Svc.CompanyCount(ctx, allot.CompanyFilter{}))(t); n != c.companies {
				t.Errorf("%s: %d companies, want %d", c.who, n, c.companies)
			}
			counts := world.Must(w.Svc.OrderCounts(ctx, allot.OrderFilter{}))(t)
			requested := 0
			for _, n := range counts {
				if n.Status == allot.OrderRequested {
					requested += n.Orders
				}
			}
			if requested != c.orders {
				t.Errorf("%s: %d requested orders, want %d (%+v)", c.who, requested, c.orders, counts)
			}
		}
		if _, err := w.Svc.CompanyCount(w.Ctx(t, "acme learner"), allot.CompanyFilter{}); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a learner counts companies: %v", err)
		}
		f := allot.EventFilter{Action: "order.request"}
		n := world.Must(w.Svc.EventCount(w.Ctx(t, "pm"), f))(t)
		events := world.Must(w.Svc.Events(w.Ctx(t, "pm"), allot.EventFilter{Action: "order.request", Limit: allot.MaxLimit}))(t)
		// Acme's and Beta's orders of Premium, Acme's of Coaching, all
		// assigned, and the two still requested.
		if n != len(events) || n != 5 {
			t.Errorf("the partner's order requests: counted %d, listed %d, want 5", n, len(events))
		}
		if _, err := w.Svc.EventCount(w.Ctx(t, "pm"), allot.EventFilter{CompanyID: w.Globex.Company.ID}); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("counting another partner's customer's log: %v, want not found", err)
		}
	})
}
