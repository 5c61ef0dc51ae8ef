package world

import (
	"cmp"
	"context"
	"fmt"
	"testing"

	"allot"
	"allot/storetest"
)

// World is a deployment with every kind of principal and tenant, for the
// permission and isolation tests and for the surfaces' tests. Channel One
// (the fixture's partner) has two customers, Acme (the fixture's company)
// and Beta; Channel Two has Globex; Solo is a direct customer. Each
// customer has a manager, a pool of premium seats, a learner holding one
// and an order still requested; Acme and Globex also have a pool of
// coaching seats, a product no learner gets by default. Everyone signs in
// with Password.
type World struct {
	*Fixture
	Coaching                 allot.Product
	Partner2                 allot.Partner
	Acme, Beta, Globex, Solo Customer
	// Who holds the principals by name. A name "x@c" is principal x in
	// manage-company mode in company c.
	Who map[string]allot.Principal
	// Users holds the people by the names of Who outside manage-company
	// mode: admin, am, agent, success, pm, pm2, and "c cm" and "c learner"
	// for each customer c (acme, beta, globex, solo).
	Users map[string]allot.User
	n     int // numbers the e-mails of users made on the fly
	seats int // of each pool New assigns
}

// Customer is one customer company of the world.
type Customer struct {
	Company  allot.Company
	CM       allot.Principal
	Learner  allot.User
	Pool     allot.Pool  // of premium seats, as assigned
	Coaching allot.Pool  // of coaching seats, as assigned; zero for Beta and Solo
	Seat     allot.Seat  // the learner's premium seat
	Order    allot.Order // one premium licence, requested as PO-name, never decided
}

// New makes the default world on a fresh store of backend b.
func New(t *testing.T, b storetest.Backend) *World {
	t.Helper()
	return NewWith(t, b, Options{})
}

// NewWith makes a world as o says on a fresh store of backend b.
func NewWith(t *testing.T, b storetest.Backend, o Options) *World {
	t.Helper()
	f := setup(t, b, o)
	w := &World{Fixture: f, Who: map[string]allot.Principal{}, Users: map[string]allot.User{}, seats: cmp.Or(o.Seats, 500)}
	sys := f.As(f.Admin)
	w.Coaching = Must(f.Svc.CreateProduct(sys, allot.Product{Code: "coaching", Name: "Coaching"}))(t)
	staff := func(name, email string, role allot.Role, partnerID int64) {
		u := Must(f.Svc.CreateStaff(sys, allot.NewUser{Email: email, Role: role, PartnerID: partnerID, Password: Password}))(t)
		w.Users[name], w.Who[name] = u, u.Principal()
	}
	staff("admin", "admin@vendor.test", allot.RoleVendorAdmin, 0)
	staff("am", "am@vendor.test", allot.RoleAccountManager, 0)
	staff("agent", "agent@vendor.test", allot.RoleSupportAgent, 0)
	staff("success", "success@vendor.test", allot.RoleSuccessManager, 0)
	w.Users["pm"], w.Who["pm"] = Must(f.Svc.User(sys, f.PM.UserID))(t), f.PM
	w.Partner2 = Must(f.Svc.CreatePartner(sys, allot.Partner{Name: "Channel Two"}))(t)
	staff("pm2", "pm2@channel2.test", allot.RolePartnerManager, w.Partner2.ID)

	w.Acme = w.customer(t, f.Company, f.CM, "acme")
	beta, _ := Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Beta", DefaultProductCode: "premium"}))(t)
	w.Beta = w.customer(t, beta, allot.Principal{}, "beta")
	globex, _ := Must2(f.Svc.CreateCompany(f.As(w.Who["pm2"]), allot.NewCompany{Name: "Globex", DefaultProductCode: "premium"}))(t)
	w.Globex = w.customer(t, globex, allot.Principal{}, "globex")
	solo, _ := Must2(f.Svc.CreateCompany(f.As(w.Who["am"]), allot.NewCompany{Name: "Solo", DefaultProductCode: "premium"}))(t)
	w.Solo = w.customer(t, solo, allot.Principal{}, "solo")
	w.Acme.Coaching = f.Assigned(allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "coaching", Quantity: w.seats})
	w.Globex.Coaching = f.Assigned(allot.NewOrder{CompanyID: w.Globex.Company.ID, ProductCode: "coaching", Quantity: w.seats})

	customers := map[string]Customer{"acme": w.Acme, "beta": w.Beta, "globex": w.Globex, "solo": w.Solo}
	for name, c := range customers {
		w.Who[name+" cm"], w.Users[name+" cm"] = c.CM, Must(f.Svc.User(sys, c.CM.UserID))(t)
		w.Who[name+" learner"], w.Users[name+" learner"] = c.Learner.Principal(), c.Learner
	}
	for _, who := range []string{"admin", "am", "agent", "success", "pm", "pm2"} {
		for name, c := range customers {
			w.Who[who+"@"+name] = Acting(w.Who[who], c.Company)
		}
	}
	return w
}

// customer gives company c a manager (cm, or a new one), a pool of premium
// seats, a learner and a requested order.
func (w *World) customer(t *testing.T, c allot.Company, cm allot.Principal, name string) Customer {
	t.Helper()
	if cm.UserID == 0 {
		cm = Must(w.Svc.AddUser(w.As(w.Admin), allot.NewUser{Email: "cm@" + name + ".test", Role: allot.RoleCompanyManager,
			CompanyID: c.ID, Password: Password}))(t).Principal()
	}
	pool := w.Assigned(allot.NewOrder{CompanyID: c.ID, Quantity: w.seats})
	l := Must(w.Svc.AddUser(w.As(w.Managing(c)), allot.NewUser{Email: "learner@" + name + ".test", CompanyID: c.ID, Password: Password}))(t)
	return Customer{
		Company: c,
		CM:      cm,
		Learner: l,
		Pool:    pool,
		Seat:    w.Seat(l, "premium"),
		Order: Must(w.Svc.RequestOrder(w.As(w.Admin), allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 1,
			PORef: "PO-" + name}))(t),
	}
}

// Ctx returns a context acting as the principal named who.
func (w *World) Ctx(t *testing.T, who string) context.Context {
	t.Helper()
	p, ok := w.Who[who]
	if !ok {
		t.Fatalf("no principal %q in the World", who)
	}
	return w.As(p)
}

// NewOrder requests one premium licence for c, as the vendor.
func (w *World) NewOrder(t *testing.T, c allot.Company) allot.Order {
	t.Helper()
	return Must(w.Svc.RequestOrder(w.As(w.Admin), allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 1}))(t)
}

// NewLearner adds a learner to c, who gets a premium seat.
func (w *World) NewLearner(t *testing.T, c Customer) allot.User {
	t.Helper()
	return Must(w.Svc.AddUser(w.As(Acting(w.Admin, c.Company)), allot.NewUser{Email: w.NewEmail(), CompanyID: c.Company.ID}))(t)
}

// NewSeat adds a learner to c and returns the seat of product code they get
// (premium at once; any other product allocated from c's pool).
func (w *World) NewSeat(t *testing.T, c Customer, code string) allot.Seat {
	t.Helper()
	u := w.NewLearner(t, c)
	if code != "premium" {
		return Must(w.Svc.Allocate(w.As(Acting(w.Admin, c.Company)), u.ID, code, 0))(t)
	}
	seats := Must(w.Svc.Seats(w.As(w.Admin), allot.SeatFilter{UserID: u.ID}))(t)
	if len(seats) != 1 {
		t.Fatalf("%s holds %d seats, want 1", u.Email, len(seats))
	}
	return seats[0]
}

// NewEmail returns an e-mail address no one has yet.
func (w *World) NewEmail() string {
	w.n++
	return fmt.Sprintf("someone%d@new.test", w.n)
}
