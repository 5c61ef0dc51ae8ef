package allot_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"allot"
	"allot/csvio"
	"allot/storetest"
)

// fixture is a small world: a vendor admin, a partner with a manager and a
// customer company with a manager and a default product, on a fresh store.
type fixture struct {
	t       *testing.T
	svc     *allot.Service
	clock   *allot.ManualClock
	admin   allot.Principal
	partner allot.Partner
	pm      allot.Principal // the partner's manager
	company allot.Company
	cm      allot.Principal // the company's manager
	product allot.Product
}

// t0 is the fixture's starting time: a Monday in March.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func setup(t *testing.T, b storetest.Backend) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: allot.NewManualClock(t0)}
	f.svc = allot.NewService(b.Open(t), f.clock, nil)
	f.svc.Files = csvio.Files{}
	f.svc.Passwords = allot.PasswordParams{Time: 1, Memory: 64, Threads: 1}
	f.admin = allot.System
	var err error
	f.product = must(f.svc.CreateProduct(f.as(f.admin), allot.Product{Code: "premium", Name: "Premium"}))(t)
	f.partner = must(f.svc.CreatePartner(f.as(f.admin), allot.Partner{Name: "Channel One"}))(t)
	pm := must(f.svc.CreateStaff(f.as(f.admin), allot.NewUser{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: f.partner.ID}))(t)
	f.pm = principal(pm)
	f.company, _, err = f.svc.CreateCompany(f.as(f.pm), allot.NewCompany{Name: "Acme", DefaultProductCode: "premium"})
	if err != nil {
		t.Fatal(err)
	}
	cm := must(f.svc.AddUser(f.as(f.pm), allot.NewUser{Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: f.company.ID}))(t)
	f.cm = principal(cm)
	return f
}

func principal(u allot.User) allot.Principal {
	return allot.Principal{UserID: u.ID, Email: u.Email, Role: u.Role, PartnerID: u.PartnerID, CompanyID: u.CompanyID}
}

func (f *fixture) as(p allot.Principal) context.Context {
	return allot.WithPrincipal(context.Background(), p)
}

// pool orders and assigns n seats of the product for company c.
func (f *fixture) pool(c allot.Company, n int) allot.Pool {
	f.t.Helper()
	return f.assigned(allot.NewOrder{CompanyID: c.ID, Quantity: n})
}

// assigned requests the order in and assigns it, both as the vendor admin,
// and returns the pool it became. The company defaults to the fixture's and
// the product to premium.
func (f *fixture) assigned(in allot.NewOrder) allot.Pool {
	f.t.Helper()
	if in.CompanyID == 0 {
		in.CompanyID = f.company.ID
	}
	if in.ProductCode == "" {
		in.ProductCode = f.product.Code
	}
	o := must(f.svc.RequestOrder(f.as(f.admin), in))(f.t)
	_, p, err := f.svc.AssignOrder(f.as(f.admin), o.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// learner adds a learner to company c.
func (f *fixture) learner(c allot.Company, email string) allot.User {
	f.t.Helper()
	return must(f.svc.AddUser(f.as(f.managing(c)), allot.NewUser{Email: email, CompanyID: c.ID}))(f.t)
}

// managing returns the vendor admin in manage-company mode in c.
func (f *fixture) managing(c allot.Company) allot.Principal {
	return acting(f.admin, c)
}

// acting returns p in manage-company mode in c.
func acting(p allot.Principal, c allot.Company) allot.Principal {
	p.ActingCompanyID = c.ID
	return p
}

// seat returns u's newest seat of product code, failing when there is none.
func (f *fixture) seat(u allot.User, code string) allot.Seat {
	f.t.Helper()
	seats := f.seats(u, code)
	if len(seats) == 0 {
		f.t.Fatalf("%s holds no seat of %s", u.Email, code)
	}
	return seats[len(seats)-1]
}

// seats returns u's seats of product code, oldest first.
func (f *fixture) seats(u allot.User, code string) []allot.Seat {
	f.t.Helper()
	pr := f.productByCode(code)
	return must(f.svc.Seats(f.as(f.admin), allot.SeatFilter{UserID: u.ID, ProductID: pr.ID, Limit: allot.MaxLimit}))(f.t)
}

func (f *fixture) productByCode(code string) allot.Product {
	f.t.Helper()
	for _, pr := range must(f.svc.Products(f.as(f.admin)))(f.t) {
		if pr.Code == code {
			return pr
		}
	}
	f.t.Fatalf("no product %q", code)
	return allot.Product{}
}

// reload returns pool p as stored now.
func (f *fixture) reload(p allot.Pool) allot.Pool {
	f.t.Helper()
	for _, q := range must(f.svc.Pools(f.as(f.admin), p.CompanyID))(f.t) {
		if q.ID == p.ID {
			return q
		}
	}
	f.t.Fatalf("no pool %d", p.ID)
	return allot.Pool{}
}

// check asks, as the vendor's integration, whether u may use product code.
func (f *fixture) check(u allot.User, code string) allot.Decision {
	f.t.Helper()
	return must(f.svc.Check(f.as(f.admin), allot.EntitlementQuery{UserID: u.ID, ProductCode: code}))(f.t)
}

// must returns a function that fails the test on err and returns v:
// must(svc.Call(…))(t).
func must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// must2 is must for calls that return two values and an error.
func must2[T, U any](v T, w U, err error) func(t testing.TB) (T, U) {
	return func(t testing.TB) (T, U) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v, w
	}
}

// wantError fails the test unless err has the code want ("" for no error)
// and, when field is not empty, names that field.
func wantError(t testing.TB, err error, want, field string) {
	t.Helper()
	if got := allot.ErrorCode(err); got != want {
		t.Fatalf("error code = %q, want %q (error: %v)", got, want, err)
	}
	if field == "" {
		return
	}
	if got := fieldOf(err); got != field {
		t.Fatalf("error %v names field %q, want %q", err, got, field)
	}
}

// fieldOf returns the field an *allot.Error in err's chain names.
func fieldOf(err error) string {
	var e *allot.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// emails returns the users' e-mails, in order.
func emails(us []allot.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Email
	}
	return out
}
