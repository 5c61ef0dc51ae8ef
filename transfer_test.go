package allot_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestTransferSeats checks that free seats move to another customer of the
// same partner with their pool's end, that the waiting learners there get
// them first, and that both audit logs record the move.
func TestTransferSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.NewWith(t, b, world.Options{Seats: 5})
		acme, beta := w.Acme, w.Beta
		// Beta's pool is full and two of its learners wait.
		for range 4 {
			w.NewLearner(t, beta)
		}
		w.Clock.Advance(time.Hour)
		first := w.NewLearner(t, beta)
		w.Clock.Advance(time.Hour)
		second := w.NewLearner(t, beta)

		pm := w.Ctx(t, "pm")
		got := world.Must(w.Svc.TransferSeats(pm, allot.SeatTransfer{PoolID: acme.Pool.ID, ToCompanyID: beta.Company.ID, Count: 3}))(t)
		if got.CompanyID != beta.Company.ID || got.ProductID != acme.Pool.ProductID || got.Quantity != 3 || got.Used != 2 ||
			!got.StartsAt.Equal(acme.Pool.StartsAt) || !got.EndsAt.Equal(acme.Pool.EndsAt) {
			t.Errorf("new pool %+v, want Beta's, 3 seats of which 2 given, from %s to %s", got, acme.Pool.StartsAt, acme.Pool.EndsAt)
		}
		if from := w.Reload(acme.Pool); from.Quantity != 2 || from.Used != 1 {
			t.Errorf("Acme's pool has %d seats, %d used; want 2, 1", from.Quantity, from.Used)
		}
		for _, u := range []allot.User{first, second} {
			if s := w.Seat(u, "premium"); s.PoolID != got.ID {
				t.Errorf("%s's seat is of pool %d, want %d", u.Email, s.PoolID, got.ID)
			}
		}
		for _, c := range []struct {
			company allot.Company
			action  string
			subject int64
		}{{acme.Company, "pool.transfer_out", acme.Pool.ID}, {beta.Company, "pool.transfer_in", got.ID}} {
			es := world.Must(w.Svc.Events(w.As(w.Admin), allot.EventFilter{CompanyID: c.company.ID, Action: c.action}))(t)
			if len(es) != 1 || es[0].SubjectID != c.subject || !strings.Contains(string(es[0].After), fmt.Sprintf(`"ToPoolID":%d`, got.ID)) {
				t.Errorf("%s's %s events %+v, want one of pool %d naming the new pool", c.company.Name, c.action, es, c.subject)
			}
		}
		orders := world.Must(w.Svc.Orders(pm, allot.OrderFilter{CompanyID: beta.Company.ID, Statuses: []allot.OrderStatus{allot.OrderAssigned}}))(t)
		if len(orders) == 0 || orders[0].Quantity != 3 || !strings.Contains(orders[0].Note, "from Acme") {
			t.Errorf("Beta's newest assigned order %+v, want 3 seats moved from Acme", orders)
		}
	})
}

// TestTransferRefused checks every reason a transfer is refused, and that
// a refused transfer changes nothing.
func TestTransferRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.NewWith(t, b, world.Options{Seats: 5})
		acme := w.Acme.Pool // 4 free seats
		ended := w.Assigned(allot.NewOrder{CompanyID: w.Acme.Company.ID, Quantity: 2, TermDays: 1})
		cases := []struct {
			name, who   string
			in          allot.SeatTransfer
			code, field string
			says        string
		}{
			{"more than free", "pm", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Beta.Company.ID, Count: 5}, allot.EINVALID, "count", "4 free seats"},
			{"none", "pm", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Beta.Company.ID}, allot.EINVALID, "count", "at least one"},
			{"to itself", "pm", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Acme.Company.ID, Count: 1}, allot.EINVALID, "to_company_id", "Acme's already"},
			{"to another partner's", "admin", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Globex.Company.ID, Count: 1}, allot.EINVALID, "to_company_id", "same partner"},
			{"to a direct customer", "admin", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Solo.Company.ID, Count: 1}, allot.EINVALID, "to_company_id", "same partner"},
			{"from a direct customer", "admin", allot.SeatTransfer{PoolID: w.Solo.Pool.ID, ToCompanyID: w.Beta.Company.ID, Count: 1}, allot.EINVALID, "to_company_id", "direct customer"},
			{"an ended pool", "pm", allot.SeatTransfer{PoolID: ended.ID, ToCompanyID: w.Beta.Company.ID, Count: 1}, allot.EINVALID, "pool_id", "expired"},
			{"a foreign pool", "pm2", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Globex.Company.ID, Count: 1}, allot.ENOTFOUND, "", ""},
			{"to a foreign company", "pm", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Globex.Company.ID, Count: 1}, allot.ENOTFOUND, "", ""},
			{"no pool", "pm", allot.SeatTransfer{PoolID: acme.ID + 1000, ToCompanyID: w.Beta.Company.ID, Count: 1}, allot.ENOTFOUND, "", ""},
			{"by the company's manager", "acme cm", allot.SeatTransfer{PoolID: acme.ID, ToCompanyID: w.Beta.Company.ID, Count: 1}, allot.EFORBIDDEN, "", ""},
		}
		w.Clock.Advance(2 * 24 * time.Hour)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.Svc.TransferSeats(w.Ctx(t, tc.who), tc.in)
				world.WantError(t, err, tc.code, tc.field)
				if !strings.Contains(allot.ErrorMessage(err), tc.says) {
					t.Errorf("error %q does not say %q", allot.ErrorMessage(err), tc.says)
				}
			})
		}
		// Direct customers move seats between themselves.
		other := world.Must2(w.Svc.CreateCompany(w.Ctx(t, "admin"), allot.NewCompany{Name: "Other direct"}))
		o, _ := other(t)
		world.Must(w.Svc.TransferSeats(w.Ctx(t, "am"), allot.SeatTransfer{PoolID: w.Solo.Pool.ID, ToCompanyID: o.ID, Count: 1}))(t)
		if p := w.Reload(acme); p.Quantity != 5 {
			t.Errorf("refused transfers left Acme's pool with %d seats, want 5", p.Quantity)
		}
	})
}

// The transfer invariant: transfers and allocations of one pool at once
// never give more seats than it has, and the seats moved are the seats the
// other pools have, on every backend.
const (
	moveSeats     = 60 // seats of the pool
	moveCount     = 3  // seats of each transfer
	moveTransfers = 15 // transfers tried, 45 seats
	moveLearners  = 30 // learners added, each given a seat if one is free
)

func TestTransferInvariant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.NewWith(t, b, world.Options{Seats: moveSeats})
		pool := w.Acme.Pool // one seat given already
		var (
			wg    sync.WaitGroup
			moved atomic.Int64
			fails = make(chan error, moveTransfers+moveLearners)
		)
		pm, cm := w.Ctx(t, "pm"), w.Ctx(t, "acme cm")
		for range moveTransfers {
			wg.Go(func() {
				_, err := w.Svc.TransferSeats(pm, allot.SeatTransfer{PoolID: pool.ID, ToCompanyID: w.Beta.Company.ID, Count: moveCount})
				switch {
				case err == nil:
					moved.Add(moveCount)
				case world.FieldOf(err) != "count":
					fails <- err
				}
			})
		}
		for i := range moveLearners {
			wg.Go(func() {
				_, err := w.Svc.AddUser(cm, allot.NewUser{Email: fmt.Sprintf("mover%d@acme.test", i), CompanyID: w.Acme.Company.ID})
				if err != nil {
					fails <- err
				}
			})
		}
		wg.Wait()
		close(fails)
		for err := range fails {
			t.Errorf("unexpected: %v", err)
		}
		after := w.Reload(pool)
		if after.Used > after.Quantity {
			t.Fatalf("pool uses %d of %d seats", after.Used, after.Quantity)
		}
		if got := int64(moveSeats - after.Quantity); got != moved.Load() {
			t.Errorf("the pool lost %d seats, transfers moved %d", got, moved.Load())
		}
		seats := world.Must(w.Svc.Seats(w.As(w.Admin), allot.SeatFilter{PoolID: pool.ID, HeldOnly: true, Limit: allot.MaxLimit}))(t)
		if len(seats) != after.Used {
			t.Errorf("the pool counts %d seats used, %d are held", after.Used, len(seats))
		}
		var there int64
		for _, p := range world.Must(w.Svc.Pools(w.As(w.Admin), w.Beta.Company.ID))(t) {
			if p.ID != w.Beta.Pool.ID {
				there += int64(p.Quantity)
			}
		}
		if there != moved.Load() {
			t.Errorf("Beta's new pools have %d seats, transfers moved %d", there, moved.Load())
		}
		if after.Used < after.Quantity && after.Used < 1+moveLearners {
			t.Errorf("the pool has %d free seats while %d learners went without", after.Quantity-after.Used, 1+moveLearners-after.Used)
		}
	})
}
