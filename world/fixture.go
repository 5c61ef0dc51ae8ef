// Package world is the deployment the tests of allot's packages start
// from, made through the services on a fresh store of each backend: a
// Fixture with a partner and one customer, and a World with a person of
// every role in every tenant.
package world

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/csvio"
	"allot/directory"
	"allot/programme"
	"allot/reclaim"
	"allot/report"
	"allot/store"
	"allot/storetest"
	"allot/support"
)

// Fixture is a small world: a vendor admin, a partner with a manager and a
// customer company with a manager and a default product, on a fresh store.
// The managers sign in with Password.
type Fixture struct {
	T        *testing.T
	DB       *store.DB
	Svc      *allot.Service
	Dir      *directory.Service
	Accounts *account.Service
	Programs *programme.Service
	Support  *support.Service
	Reports  *report.Service
	Reclaim  *reclaim.Service
	Clock    *allot.ManualClock
	Admin    allot.Principal
	Partner  allot.Partner
	PM       allot.Principal // the partner's manager
	Company  allot.Company
	CM       allot.Principal // the company's manager
	Product  allot.Product
}

// T0 is the fixture's starting time: a Monday in March.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Password is the password of every person the fixture and the world make,
// learners added later with Learner aside.
const Password = "correct horse battery"

// Options say how a world differs from the default one. The zero value is
// the default.
type Options struct {
	Start time.Time // the clock's starting time; T0 when zero
	Seats int       // the seats of each pool a World is made with; 500 when zero
}

// Setup makes a fixture on a fresh store of backend b.
func Setup(t *testing.T, b storetest.Backend) *Fixture {
	t.Helper()
	return setup(t, b, Options{})
}

func setup(t *testing.T, b storetest.Backend, o Options) *Fixture {
	t.Helper()
	if o.Start.IsZero() {
		o.Start = T0
	}
	f := &Fixture{T: t, DB: b.Open(t), Clock: allot.NewManualClock(o.Start)}
	f.Svc = allot.NewService(f.DB, f.Clock, nil)
	f.Svc.Passwords = allot.PasswordParams{Time: 1, Memory: 64, Threads: 1}
	f.Dir = &directory.Service{Ledger: f.Svc, Store: f.DB.Directory(), Files: csvio.Files{}}
	f.Accounts = &account.Service{Ledger: f.Svc, Store: f.DB.Account()}
	f.Programs = &programme.Service{Ledger: f.Svc, Store: f.DB.Programme()}
	f.Support = &support.Service{Ledger: f.Svc, Store: f.DB.Support()}
	f.Reports = &report.Service{Ledger: f.Svc, Store: f.DB.Report()}
	f.Reclaim = &reclaim.Service{Ledger: f.Svc, Store: f.DB.Reclaim()}
	f.Admin = allot.System
	var err error
	f.Product = Must(f.Svc.CreateProduct(f.As(f.Admin), allot.Product{Code: "premium", Name: "Premium"}))(t)
	f.Partner = Must(f.Svc.CreatePartner(f.As(f.Admin), allot.Partner{Name: "Channel One"}))(t)
	pm := Must(f.Svc.CreateStaff(f.As(f.Admin), allot.NewUser{Email: "pm@channel.test", Role: allot.RolePartnerManager,
		PartnerID: f.Partner.ID, Password: Password}))(t)
	f.PM = pm.Principal()
	f.Company, _, err = f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Acme", DefaultProductCode: "premium"})
	if err != nil {
		t.Fatal(err)
	}
	cm := Must(f.Svc.AddUser(f.As(f.PM), allot.NewUser{Email: "cm@acme.test", Role: allot.RoleCompanyManager,
		CompanyID: f.Company.ID, Password: Password}))(t)
	f.CM = cm.Principal()
	return f
}

// As returns a context acting as p.
func (f *Fixture) As(p allot.Principal) context.Context {
	return allot.WithPrincipal(context.Background(), p)
}

// Pool orders and assigns n seats of the product for company c.
func (f *Fixture) Pool(c allot.Company, n int) allot.Pool {
	f.T.Helper()
	return f.Assigned(allot.NewOrder{CompanyID: c.ID, Quantity: n})
}

// Assigned requests the order in and assigns it, both as the vendor admin,
// and returns the pool it became. The company defaults to the fixture's and
// the product to premium.
func (f *Fixture) Assigned(in allot.NewOrder) allot.Pool {
	f.T.Helper()
	if in.CompanyID == 0 {
		in.CompanyID = f.Company.ID
	}
	if in.ProductCode == "" {
		in.ProductCode = f.Product.Code
	}
	o := Must(f.Svc.RequestOrder(f.As(f.Admin), in))(f.T)
	_, p, err := f.Svc.AssignOrder(f.As(f.Admin), o.ID)
	if err != nil {
		f.T.Fatal(err)
	}
	return p
}

// Learner adds a learner to company c.
func (f *Fixture) Learner(c allot.Company, email string) allot.User {
	f.T.Helper()
	return Must(f.Svc.AddUser(f.As(f.Managing(c)), allot.NewUser{Email: email, CompanyID: c.ID}))(f.T)
}

// Managing returns the vendor admin in manage-company mode in c.
func (f *Fixture) Managing(c allot.Company) allot.Principal {
	return Acting(f.Admin, c)
}

// Acting returns p in manage-company mode in c.
func Acting(p allot.Principal, c allot.Company) allot.Principal {
	p.ActingCompanyID = c.ID
	return p
}

// Seat returns u's newest seat of product code, failing when there is none.
func (f *Fixture) Seat(u allot.User, code string) allot.Seat {
	f.T.Helper()
	seats := f.Seats(u, code)
	if len(seats) == 0 {
		f.T.Fatalf("%s holds no seat of %s", u.Email, code)
	}
	return seats[len(seats)-1]
}

// Seats returns u's seats of product code, oldest first.
func (f *Fixture) Seats(u allot.User, code string) []allot.Seat {
	f.T.Helper()
	pr := f.ProductByCode(code)
	return Must(f.Svc.Seats(f.As(f.Admin), allot.SeatFilter{UserID: u.ID, ProductID: pr.ID, Limit: allot.MaxLimit}))(f.T)
}

// ProductByCode returns the product of the code, failing when there is none.
func (f *Fixture) ProductByCode(code string) allot.Product {
	f.T.Helper()
	for _, pr := range Must(f.Svc.Products(f.As(f.Admin)))(f.T) {
		if pr.Code == code {
			return pr
		}
	}
	f.T.Fatalf("no product %q", code)
	return allot.Product{}
}

// Reload returns pool p as stored now.
func (f *Fixture) Reload(p allot.Pool) allot.Pool {
	f.T.Helper()
	for _, q := range Must(f.Svc.Pools(f.As(f.Admin), p.CompanyID))(f.T) {
		if q.ID == p.ID {
			return q
		}
	}
	f.T.Fatalf("no pool %d", p.ID)
	return allot.Pool{}
}

// Check asks, as the vendor's integration, whether u may use product code.
func (f *Fixture) Check(u allot.User, code string) allot.Decision {
	f.T.Helper()
	return Must(f.Svc.Check(f.As(f.Admin), allot.EntitlementQuery{UserID: u.ID, ProductCode: code}))(f.T)
}

// Mails returns the mails queued of kind, by recipient e-mail. Each job
// must run when its mail is due, under the mail's key.
func (f *Fixture) Mails(kind string) map[string][]allot.Mail {
	f.T.Helper()
	out := map[string][]allot.Mail{}
	err := f.Svc.Store.Read(context.Background(), func(tx allot.Tx) error {
		jobs, err := tx.Jobs(allot.JobFilter{Kind: allot.JobMail, Limit: allot.MaxLimit})
		for _, j := range jobs {
			var m allot.Mail
			if err := json.Unmarshal([]byte(j.Payload), &m); err != nil {
				return err
			}
			if !j.RunAt.Equal(m.DueAt) || j.Key != m.Key() {
				f.T.Errorf("job %s runs at %s, its mail is due %s", j.Key, j.RunAt, m.DueAt)
			}
			if m.Kind == kind {
				out[m.Email] = append(out[m.Email], m)
			}
		}
		return err
	})
	if err != nil {
		f.T.Fatal(err)
	}
	return out
}
