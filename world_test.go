package allot_test

import (
	"context"
	"fmt"
	"testing"

	"allot"
	"allot/storetest"
)

// world is a deployment with every kind of principal and tenant, for the
// permission and isolation tests. Channel One (the fixture's partner) has
// two customers, Acme (the fixture's company) and Beta; Channel Two has
// Globex; Solo is a direct customer. Each customer has a manager, a
// learner holding a premium seat and an order still requested; Acme and
// Globex also have a pool of coaching seats, a product no learner gets by
// default.
type world struct {
	*fixture
	coaching                 allot.Product
	partner2                 allot.Partner
	acme, beta, globex, solo customer
	// who holds the principals by name. A name "x@c" is principal x in
	// manage-company mode in company c.
	who map[string]allot.Principal
	n   int // numbers the e-mails of users made on the fly
}

// customer is one customer company of the world.
type customer struct {
	company allot.Company
	cm      allot.Principal
	learner allot.User
	seat    allot.Seat  // the learner's premium seat
	order   allot.Order // requested, never decided
}

func newWorld(t *testing.T, b storetest.Backend) *world {
	t.Helper()
	f := setup(t, b)
	w := &world{fixture: f, who: map[string]allot.Principal{}}
	sys := f.as(f.admin)
	w.coaching = must(f.svc.CreateProduct(sys, allot.Product{Code: "coaching", Name: "Coaching"}))(t)
	staff := func(email string, role allot.Role, partnerID int64) allot.Principal {
		return principal(must(f.svc.CreateStaff(sys, allot.NewUser{Email: email, Role: role, PartnerID: partnerID}))(t))
	}
	w.who["admin"] = staff("admin@vendor.test", allot.RoleVendorAdmin, 0)
	w.who["am"] = staff("am@vendor.test", allot.RoleAccountManager, 0)
	w.who["agent"] = staff("agent@vendor.test", allot.RoleSupportAgent, 0)
	w.who["success"] = staff("success@vendor.test", allot.RoleSuccessManager, 0)
	w.who["pm"] = f.pm
	w.partner2 = must(f.svc.CreatePartner(sys, allot.Partner{Name: "Channel Two"}))(t)
	w.who["pm2"] = staff("pm2@channel2.test", allot.RolePartnerManager, w.partner2.ID)

	w.acme = w.customer(t, f.company, f.cm, "acme")
	beta, _ := must2(f.svc.CreateCompany(f.as(f.pm), allot.NewCompany{Name: "Beta", DefaultProductCode: "premium"}))(t)
	w.beta = w.customer(t, beta, allot.Principal{}, "beta")
	globex, _ := must2(f.svc.CreateCompany(f.as(w.who["pm2"]), allot.NewCompany{Name: "Globex", DefaultProductCode: "premium"}))(t)
	w.globex = w.customer(t, globex, allot.Principal{}, "globex")
	solo, _ := must2(f.svc.CreateCompany(f.as(w.who["am"]), allot.NewCompany{Name: "Solo", DefaultProductCode: "premium"}))(t)
	w.solo = w.customer(t, solo, allot.Principal{}, "solo")
	f.assigned(allot.NewOrder{CompanyID: w.acme.company.ID, ProductCode: "coaching", Quantity: 500})
	f.assigned(allot.NewOrder{CompanyID: w.globex.company.ID, ProductCode: "coaching", Quantity: 500})

	customers := map[string]customer{"acme": w.acme, "beta": w.beta, "globex": w.globex, "solo": w.solo}
	for name, c := range customers {
		w.who[name+" cm"] = c.cm
		w.who[name+" learner"] = principal(c.learner)
	}
	for _, who := range []string{"admin", "am", "agent", "success", "pm", "pm2"} {
		for name, c := range customers {
			w.who[who+"@"+name] = acting(w.who[who], c.company)
		}
	}
	return w
}

// customer gives company c a manager (cm, or a new one), a pool of premium
// seats, a learner and a requested order.
func (w *world) customer(t *testing.T, c allot.Company, cm allot.Principal, name string) customer {
	t.Helper()
	if cm.UserID == 0 {
		cm = principal(must(w.svc.AddUser(w.as(w.admin), allot.NewUser{Email: "cm@" + name + ".test", Role: allot.RoleCompanyManager, CompanyID: c.ID}))(t))
	}
	w.assigned(allot.NewOrder{CompanyID: c.ID, Quantity: 500})
	l := w.learner(c, "learner@"+name+".test")
	return customer{
		company: c,
		cm:      cm,
		learner: l,
		seat:    w.seat(l, "premium"),
		order:   w.newOrder(t, c),
	}
}

// ctx returns a context acting as the principal named who.
func (w *world) ctx(t *testing.T, who string) context.Context {
	t.Helper()
	p, ok := w.who[who]
	if !ok {
		t.Fatalf("no principal %q in the world", who)
	}
	return w.as(p)
}

// newOrder requests one premium licence for c, as the vendor.
func (w *world) newOrder(t *testing.T, c allot.Company) allot.Order {
	t.Helper()
	return must(w.svc.RequestOrder(w.as(w.admin), allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 1}))(t)
}

// newLearner adds a learner to c, who gets a premium seat.
func (w *world) newLearner(t *testing.T, c customer) allot.User {
	t.Helper()
	return must(w.svc.AddUser(w.as(acting(w.admin, c.company)), allot.NewUser{Email: w.newEmail(), CompanyID: c.company.ID}))(t)
}

// newSeat adds a learner to c and returns the seat of product code they get
// (premium at once; any other product allocated from c's pool).
func (w *world) newSeat(t *testing.T, c customer, code string) allot.Seat {
	t.Helper()
	u := w.newLearner(t, c)
	if code != "premium" {
		return must(w.svc.Allocate(w.as(acting(w.admin, c.company)), u.ID, code, 0))(t)
	}
	seats := must(w.svc.Seats(w.as(w.admin), allot.SeatFilter{UserID: u.ID}))(t)
	if len(seats) != 1 {
		t.Fatalf("%s holds %d seats, want 1", u.Email, len(seats))
	}
	return seats[0]
}

// newEmail returns an e-mail address no one has yet.
func (w *world) newEmail() string {
	w.n++
	return fmt.Sprintf("someone%d@new.test", w.n)
}
