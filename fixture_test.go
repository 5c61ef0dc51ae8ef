package allot_test

import (
	"context"
	"testing"
	"time"

	"allot"
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
	o := must(f.svc.RequestOrder(f.as(f.admin), allot.NewOrder{CompanyID: c.ID, ProductCode: f.product.Code, Quantity: n}))(f.t)
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
	p := f.admin
	p.ActingCompanyID = c.ID
	return p
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
