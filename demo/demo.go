// Package demo fills an empty allot with a small, believable world to try
// it on: the vendor, two partners, five customer companies, about two
// hundred learners, orders in every state, seats in every status, a
// programme with members in every status, and a support desk with its
// help centre and requests in every status.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"allot"
)

// Password is every demo account's password.
const Password = "demo-password"

// Account is a demo person to sign in as or to check.
type Account struct {
	Email string
	What  string
}

// Summary says who is there to try: managers to sign in as, and one learner
// for each licence status, to check.
type Summary struct {
	Managers []Account
	Learners []Account
	// SCIMToken is the token of Stark Studios' SCIM connection, for trying
	// provisioning at /scim/v2.
	SCIMToken string
	// Welcomed was just added, with a welcome mail: its link, in the vendor
	// admin's Sent mail when no SMTP server is configured, sets their
	// password.
	Welcomed Account
}

// IsEmpty reports whether store holds no product yet, in which case Load
// may fill it.
func IsEmpty(ctx context.Context, store allot.Store) (bool, error) {
	var n int
	err := store.Read(ctx, func(tx allot.Tx) error {
		ps, err := tx.Products()
		n = len(ps)
		return err
	})
	return n == 0, err
}

// Load fills store with the demo world as seen at now, going through the
// Service so that every rule applies and every change is in the audit log.
// Past events (orders assigned a year ago) are made by moving a clock of
// its own. pp sets the cost of the demo passwords' hashes.
func Load(ctx context.Context, store Store, now time.Time, pp allot.PasswordParams) (Summary, error) {
	l := &loader{clock: allot.NewManualClock(now), now: now}
	l.svc = allot.NewService(store, l.clock, nil)
	l.svc.Passwords = pp
	l.ctx = allot.WithPrincipal(ctx, allot.System)
	l.load(store)
	return l.sum, l.err
}

// loader keeps the first error and makes every later step a no-op, so that
// the script below reads as a story.
type loader struct {
	ctx   context.Context
	svc   *allot.Service
	clock *allot.ManualClock
	now   time.Time
	err   error
	sum   Summary
	names int
}

func (l *loader) load(store Store) {
	for _, p := range []allot.Product{
		{Code: "premium", Name: "Premium awareness training"},
		{Code: "coaching", Name: "Coaching programme"},
		{Code: "circles", Name: "Circles"},
		{Code: "assessment-360", Name: "360° assessment"},
		{Code: "ai-coach", Name: "AI coach"},
	} {
		l.do(func() error { _, err := l.svc.CreateProduct(l.ctx, p); return err })
	}
	admin := l.staff("admin@allot.demo", "Vera", "Admin", allot.RoleVendorAdmin, 0, "vendor admin: everything")
	am := l.staff("accounts@allot.demo", "Arno", "Keller", allot.RoleAccountManager, 0, "account manager: partners and direct customers")
	agent := l.staff("support@allot.demo", "Sam", "Ortiz", allot.RoleSupportAgent, 0, "support agent")
	l.ctx = allot.WithPrincipal(l.ctx, admin.Principal())

	north := l.partner("Northwind Resellers", am.ID)
	blue := l.partner("Bluebird MSP", am.ID)
	northPM := l.staff("manager@northwind.demo", "Nadia", "North", allot.RolePartnerManager, north.ID, "partner manager of Northwind Resellers (Acme, Globex)")
	bluePM := l.staff("manager@bluebird.demo", "Ben", "Blue", allot.RolePartnerManager, blue.ID, "partner manager of Bluebird MSP (Initech, Umbrella)")

	year := allot.AddMonths(l.now, -12)
	day := 24 * time.Hour

	// Acme: a pool that expires within 72 hours.
	acme := l.company(northPM, "Acme Logistics", "acme", "premium")
	l.at(year.Add(2 * day))
	l.assign(northPM, acme, 50, "PO-ACME-2025", 0)
	l.learners(acme, 40)

	// Globex: a pool that expired a month ago, its learners expired; a
	// renewal order waits for assignment.
	globex := l.company(northPM, "Globex Health", "globex", "premium")
	l.at(year.AddDate(0, -1, 0))
	l.assign(northPM, globex, 45, "PO-GLOBEX-2025", 0)
	l.learners(globex, 40)
	l.at(l.now.Add(-2 * day))
	l.request(northPM, globex, "premium", 40, "PO-GLOBEX-2026", "renewal for next year")

	// Initech: more learners than seats, ten wait unlicensed.
	initech := l.company(bluePM, "Initech", "initech", "premium")
	l.at(l.now.AddDate(0, -2, 0))
	l.assign(bluePM, initech, 30, "BB-1001", 0)
	l.learners(initech, 40)
	l.at(l.now.Add(-10 * day))
	l.cancel(bluePM, l.request(bluePM, initech, "coaching", 5, "BB-1002", "ordered twice by mistake"))
	l.reject(am, l.request(bluePM, initech, "ai-coach", 500, "BB-1003", ""), "more seats than the contract allows")

	// Umbrella: a coaching programme on a six-month pool; a request waits.
	umbrella := l.company(bluePM, "Umbrella Retail", "umbrella", "coaching")
	l.at(l.now.AddDate(0, -1, 0))
	l.assign(bluePM, umbrella, 60, "BB-2001", 6)
	l.learners(umbrella, 40)
	l.at(l.now.Add(-1 * day))
	l.request(bluePM, umbrella, "circles", 25, "BB-2002", "pilot for store managers")
	l.programmes(store, umbrella)

	// Stark: a direct customer, active, one seat released.
	stark := l.company(am, "Stark Studios", "stark", "premium")
	l.at(l.now.AddDate(0, -3, 0))
	l.assign(am, stark, 50, "STARK-7", 0)
	learners := l.learners(stark, 40)
	l.at(l.now.Add(-5 * day))
	l.release(stark, learners)
	l.at(l.now)
	l.sum.SCIMToken = l.directorySync(store, stark)
	l.reclaimRule(store, stark, learners)
	l.desk(store, agent, globex)
	l.home(acme, initech, stark, northPM, bluePM, am)
	l.reportData(acme, initech, bluePM)
	l.webhooks(store, northPM)

	l.sum.Learners = append(l.sum.Learners,
		Account{first(l, stark, allot.StatusActive), "active"},
		Account{first(l, acme, allot.StatusExpiring), "expiring"},
		Account{first(l, globex, allot.StatusExpired), "expired"},
		Account{first(l, stark, allot.StatusReleased), "released"},
		Account{first(l, initech, allot.StatusUnlicensed), "unlicensed"},
	)
	// A learner just added gets a welcome mail.
	l.do(func() error {
		ctx := allot.WithPrincipal(l.ctx, allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: stark.ID})
		u, err := l.svc.AddUser(ctx, allot.NewUser{Email: "new.starter@stark.demo", FirstName: "Noa", LastName: "Starter",
			CompanyID: stark.ID, Welcome: true})
		l.sum.Welcomed = Account{u.Email, "just added to Stark Studios: the welcome mail's link sets a password"}
		return err
	})
	// These learners may sign in to see their access.
	for _, a := range l.sum.Learners {
		l.do(func() error {
			return l.svc.Store.Write(l.ctx, func(tx allot.Tx) error {
				u, err := tx.UserByEmail(a.Email)
				if err != nil {
					return err
				}
				return l.svc.SetPassword(tx, &u, Password, "password")
			})
		})
	}
}

// do runs step unless an earlier step failed.
func (l *loader) do(step func() error) {
	if l.err == nil {
		if err := step(); err != nil {
			l.err = fmt.Errorf("demo: %w", err)
		}
	}
}

func (l *loader) at(t time.Time) { l.clock.Set(t) }

func (l *loader) as(u allot.User) context.Context {
	return allot.WithPrincipal(l.ctx, u.Principal())
}

func (l *loader) staff(email, first, last string, role allot.Role, partnerID int64, what string) (u allot.User) {
	l.do(func() (err error) {
		u, err = l.svc.CreateStaff(l.ctx, allot.NewUser{Email: email, FirstName: first, LastName: last,
			Role: role, PartnerID: partnerID, Password: Password})
		return err
	})
	l.sum.Managers = append(l.sum.Managers, Account{email, what})
	return u
}

func (l *loader) partner(name string, am int64) (p allot.Partner) {
	l.do(func() (err error) {
		p, err = l.svc.CreatePartner(l.ctx, allot.Partner{Name: name, AccountManagerID: am})
		return err
	})
	return p
}

// company creates a customer with its manager, as by (a partner manager or
// the account manager), with its default product.
func (l *loader) company(by allot.User, name, domain, product string) (c allot.Company) {
	l.do(func() (err error) {
		c, _, err = l.svc.CreateCompany(l.as(by), allot.NewCompany{Name: name, DefaultProductCode: product})
		if err != nil {
			return err
		}
		_, err = l.svc.AddUser(l.as(by), allot.NewUser{Email: "manager@" + domain + ".demo", FirstName: "Morgan",
			LastName: strings.Split(name, " ")[0], Role: allot.RoleCompanyManager, CompanyID: c.ID, Password: Password})
		return err
	})
	l.sum.Managers = append(l.sum.Managers, Account{"manager@" + domain + ".demo", "company manager of " + name})
	return c
}

func (l *loader) request(by allot.User, c allot.Company, product string, n int, po, note string) (o allot.Order) {
	l.do(func() (err error) {
		o, err = l.svc.RequestOrder(l.as(by), allot.NewOrder{CompanyID: c.ID, ProductCode: product, Quantity: n, PORef: po, Note: note})
		return err
	})
	return o
}

// assign requests and assigns n seats of premium (or, with months set, of
// coaching for that many months) for c now.
func (l *loader) assign(by allot.User, c allot.Company, n int, po string, months int) {
	product := "premium"
	if months != 0 {
		product = "coaching"
	}
	l.do(func() error {
		o, err := l.svc.RequestOrder(l.as(by), allot.NewOrder{CompanyID: c.ID, ProductCode: product, Quantity: n, PORef: po, TermMonths: months})
		if err != nil {
			return err
		}
		_, _, err = l.svc.AssignOrder(l.as(by), o.ID)
		return err
	})
}

func (l *loader) cancel(by allot.User, o allot.Order) {
	l.do(func() error { _, err := l.svc.CancelOrder(l.as(by), o.ID); return err })
}

func (l *loader) reject(by allot.User, o allot.Order, reason string) {
	l.do(func() error { _, err := l.svc.RejectOrder(l.as(by), o.ID, reason); return err })
}

// learners adds n learners to c, a few minutes apart; every third one has
// logged in since.
func (l *loader) learners(c allot.Company, n int) []allot.User {
	ctx := allot.WithPrincipal(l.ctx, allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: c.ID})
	domain := strings.ToLower(strings.Split(c.Name, " ")[0]) + ".demo"
	var out []allot.User
	for i := 0; i < n; i++ {
		first, last := name(l.names)
		l.names++
		l.do(func() error {
			u, err := l.svc.AddUser(ctx, allot.NewUser{Email: fmt.Sprintf("%s.%s@%s", strings.ToLower(first), strings.ToLower(last), domain),
				FirstName: first, LastName: last, Department: departments[i%len(departments)], CompanyID: c.ID})
			if err != nil {
				return err
			}
			out = append(out, u)
			if i%3 == 0 {
				return l.svc.RecordLogin(ctx, u.ID)
			}
			return nil
		})
		l.clock.Advance(7 * time.Minute)
	}
	return out
}

// release releases the seat of the company's second learner: they left.
func (l *loader) release(c allot.Company, learners []allot.User) {
	ctx := allot.WithPrincipal(l.ctx, allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: c.ID})
	l.do(func() error {
		seats, err := l.svc.Seats(ctx, allot.SeatFilter{CompanyID: c.ID, UserID: learners[1].ID})
		if err != nil || len(seats) == 0 {
			return fmt.Errorf("no seat to release: %v", err)
		}
		_, err = l.svc.Release(ctx, seats[0].ID, allot.ReasonLeft)
		return err
	})
}

// first returns the e-mail of c's first learner whose premium licence has
// status st now.
func first(l *loader, c allot.Company, st allot.Status) string {
	var found string
	l.do(func() error {
		users, err := l.svc.Users(l.ctx, allot.UserFilter{CompanyID: c.ID, Roles: []allot.Role{allot.RoleLearner}})
		if err != nil {
			return err
		}
		for _, u := range users {
			d, err := l.svc.Check(l.ctx, allot.EntitlementQuery{UserID: u.ID, ProductCode: "premium"})
			if err != nil {
				return err
			}
			if d.Status == st {
				found = u.Email
				return nil
			}
		}
		return fmt.Errorf("no %s learner in %s", st, c.Name)
	})
	return found
}

var departments = []string{"Operations", "Sales", "Finance", "Engineering", "People", "Support"}

var firstNames = []string{"Ada", "Bruno", "Chloe", "Dev", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas",
	"Kenji", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"}

var lastNames = []string{"Adler", "Berger", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen"}

// name returns the i-th demo name; the first 200 are all different.
func name(i int) (string, string) {
	return firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
}
