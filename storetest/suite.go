package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"allot/directory"
	"allot/offline"
	"allot/webhook"

	"allot"
)

// Run runs the conformance suite every allot.Store passes. open returns a
// fresh, empty store for one test and closes it when the test ends; the
// tests of an area run in parallel, each on its own store.
//
// The suite calls the Store and Tx methods directly, without a Service: it
// checks that a store keeps what it is given, finds it again with every
// filter, and holds the guards that the domain relies on.
func Run(t *testing.T, open func(t *testing.T) Stores) {
	for _, area := range []struct {
		name  string
		tests []test
	}{
		{"Tenants", tenantTests},
		{"Users", userTests},
		{"Orders", orderTests},
		{"Pools", poolTests},
		{"Seats", seatTests},
		{"Waiting", waitingTests},
		{"Transfers", transferTests},
		{"Events", eventTests},
		{"Mails", mailTests},
		{"Customers", customerTests},
		{"Transactions", txTests},
		{"Entitlement", entitlementTests},
		{"Imports", importTests},
		{"ImportedUsers", importedUserTests},
		{"Webhooks", webhookTests},
		{"SigningKeys", signingKeyTests},
	} {
		t.Run(area.name, func(t *testing.T) {
			for _, tc := range area.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, open(t))
				})
			}
		})
	}
}

// Stores is the stores of one database: the ledger's, and each
// capability's beside it.
type Stores interface {
	allot.Store
	Directory() directory.Store
	Webhook() webhook.Store
	Offline() offline.Store
}

// test is one test of the suite, run on a fresh store.
type test struct {
	name string
	run  func(t *testing.T, s Stores)
}

// t0 is the suite's "now": a time with a fraction of a second down to the
// microsecond, which both databases keep.
var t0 = time.Date(2026, 3, 2, 9, 30, 15, 123456000, time.UTC)

// day is 24 hours.
const day = 24 * time.Hour

// elsewhere is a zone away from UTC: times given in it come back in UTC.
var elsewhere = time.FixedZone("UTC+5:30", 5*3600+1800)

// world is the tenant tree most tests start from: a partner with a customer
// company, a direct company and two products.
type world struct {
	partner  allot.Partner
	acme     allot.Company // the partner's customer
	direct   allot.Company // a direct customer of the vendor
	premium  allot.Product
	coaching allot.Product
}

// seed creates the world in s.
func seed(t *testing.T, s allot.Store) world {
	t.Helper()
	var w world
	write(t, s, func(tx allot.Tx) error {
		w.partner = allot.Partner{Name: "Channel One", CreatedAt: t0}
		if err := tx.CreatePartner(&w.partner); err != nil {
			return err
		}
		w.premium = allot.Product{Code: "premium", Name: "Premium", TermMonths: 12, CreatedAt: t0}
		if err := tx.CreateProduct(&w.premium); err != nil {
			return err
		}
		w.coaching = allot.Product{Code: "coaching", Name: "Coaching", TermMonths: 6, CreatedAt: t0}
		if err := tx.CreateProduct(&w.coaching); err != nil {
			return err
		}
		w.acme = allot.Company{PartnerID: w.partner.ID, Name: "Acme", DefaultProductID: w.premium.ID, CreatedAt: t0}
		if err := tx.CreateCompany(&w.acme); err != nil {
			return err
		}
		w.direct = allot.Company{Name: "Direct Ltd", CreatedAt: t0}
		return tx.CreateCompany(&w.direct)
	})
	return w
}

// write runs fn in a write transaction and stops the test when it fails.
func write[T any](t *testing.T, s allot.Transactor[T], fn func(tx T) error) {
	t.Helper()
	if err := s.Write(t.Context(), fn); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// read returns what fn finds in a read transaction and stops the test when
// it fails.
func read[T, V any](t *testing.T, s allot.Transactor[T], fn func(tx T) (V, error)) V {
	t.Helper()
	var v V
	err := s.Read(t.Context(), func(tx T) error {
		var err error
		v, err = fn(tx)
		return err
	})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return v
}

// writeErr runs fn in a write transaction of its own (a failed statement
// ends a PostgreSQL transaction) and returns its error.
func writeErr[T any](t *testing.T, s allot.Transactor[T], fn func(tx T) error) error {
	t.Helper()
	return s.Write(t.Context(), fn)
}

// readErr runs fn in a read transaction of its own and returns its error.
func readErr[T any](t *testing.T, s allot.Transactor[T], fn func(tx T) error) error {
	t.Helper()
	return s.Read(t.Context(), fn)
}

// wantCode fails the test when err does not carry the allot error code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := allot.ErrorCode(err); got != want {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, want)
	}
}

// same fails the test when got is not want. Structs compare with ==, times
// included: a time equals the want only when it is the same instant in the
// same location, so every time must come back in UTC, like the wants.
func same[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// sameIDs fails the test when the IDs of got are not want, in order.
func sameIDs[T any](t *testing.T, what string, got []T, id func(T) int64, want ...int64) {
	t.Helper()
	ids := make([]int64, 0, len(got))
	for _, v := range got {
		ids = append(ids, id(v))
	}
	if !slices.Equal(ids, want) {
		t.Errorf("%s: IDs %v, want %v", what, ids, want)
	}
}

// sameIDSet is sameIDs for lists whose order is not part of the contract.
func sameIDSet[T any](t *testing.T, what string, got []T, id func(T) int64, want ...int64) {
	t.Helper()
	sorted := slices.Clone(got)
	slices.SortFunc(sorted, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	want = slices.Clone(want)
	slices.Sort(want)
	sameIDs(t, what, sorted, id, want...)
}

func partnerID(p allot.Partner) int64 { return p.ID }
func companyID(c allot.Company) int64 { return c.ID }
func productID(p allot.Product) int64 { return p.ID }
func userID(u allot.User) int64       { return u.ID }
func orderID(o allot.Order) int64     { return o.ID }
func poolID(p allot.Pool) int64       { return p.ID }
func seatID(s allot.Seat) int64       { return s.ID }
func eventID(e allot.Event) int64     { return e.ID }
func waiterID(w allot.Waiting) int64  { return w.UserID }

// addUsers creates users in one transaction and returns them with their IDs.
func addUsers(t *testing.T, s allot.Store, us ...allot.User) []allot.User {
	t.Helper()
	write(t, s, func(tx allot.Tx) error {
		for i := range us {
			if us[i].CreatedAt.IsZero() {
				us[i].CreatedAt = t0
			}
			if err := tx.CreateUser(&us[i]); err != nil {
				return fmt.Errorf("create user %s: %w", us[i].Email, err)
			}
		}
		return nil
	})
	return us
}

// learner returns a learner of company c with the given e-mail.
func learner(c allot.Company, email string) allot.User {
	return allot.User{Email: email, Role: allot.RoleLearner, CompanyID: c.ID, CreatedAt: t0}
}

// addPool creates an order of the product for company c and its pool of
// quantity seats valid in [starts, ends).
func addPool(t *testing.T, s allot.Store, c allot.Company, product allot.Product, quantity int, starts, ends time.Time) allot.Pool {
	t.Helper()
	var p allot.Pool
	write(t, s, func(tx allot.Tx) error {
		o := allot.Order{CompanyID: c.ID, PartnerID: c.PartnerID, ProductID: product.ID, Quantity: quantity,
			TermMonths: 12, Status: allot.OrderAssigned, RequestedAt: starts, DecidedAt: starts}
		if err := tx.CreateOrder(&o); err != nil {
			return err
		}
		p = allot.Pool{OrderID: o.ID, CompanyID: c.ID, ProductID: product.ID, Quantity: quantity, StartsAt: starts, EndsAt: ends}
		return tx.CreatePool(&p)
	})
	return p
}

// addSeat gives user u a seat of pool p valid in [starts, ends), made at
// starts, counting it used in the pool.
func addSeat(t *testing.T, s allot.Store, p allot.Pool, u allot.User, starts, ends time.Time) allot.Seat {
	t.Helper()
	seat := allot.Seat{PoolID: p.ID, CompanyID: p.CompanyID, ProductID: p.ProductID, UserID: u.ID,
		StartsAt: starts, EndsAt: ends, CreatedAt: starts}
	write(t, s, func(tx allot.Tx) error {
		if err := tx.TakeSeats(p.ID, 1, later(starts, p.StartsAt)); err != nil {
			return fmt.Errorf("take a seat of pool %d: %w", p.ID, err)
		}
		return giveSeat(tx, &seat)
	})
	return seat
}

// giveSeat gives a seat like st to its user, with an event of no detail,
// and sets its ID, having closed first the user's seats of the product that
// ended by then.
func giveSeat(tx allot.Tx, st *allot.Seat) error {
	err := tx.CloseEndedSeats(allot.CloseEndedSeatsParams{UserIDs: []int64{st.UserID}, ProductID: st.ProductID, Now: st.CreatedAt})
	if err != nil {
		return err
	}
	ids, err := tx.GiveSeats(allot.GiveSeatsParams{Seat: *st, UserIDs: []int64{st.UserID},
		Event: allot.Event{At: st.CreatedAt, Action: "seat.allocate", SubjectType: "seat", After: "{}"}})
	if err == nil && len(ids) != 1 {
		err = fmt.Errorf("GiveSeats gave %d seats, want 1", len(ids))
	}
	if err == nil {
		st.ID = ids[0]
	}
	return err
}

// addWaiting puts each on its waiting list, with an event of no detail.
func addWaiting(tx allot.Tx, ws ...allot.Waiting) error {
	for _, wt := range ws {
		if err := tx.AddWaiting(allot.AddWaitingParams{Waiting: wt, UserIDs: []int64{wt.UserID},
			Event: allot.Event{At: wt.Since, Action: "user.unlicensed", SubjectType: "user", After: "{}"}}); err != nil {
			return err
		}
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
