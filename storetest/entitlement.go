package storetest

import (
	"slices"
	"testing"
	"time"

	"allot"
)

var entitlementTests = []test{
	{"User", testEntitlementUser},
	{"Product", testEntitlementProduct},
	{"Seat", testEntitlementSeat},
	{"Waiting", testEntitlementWaiting},
	{"PoolEnds", testEntitlementPoolEnds},
	{"Company", testEntitlementCompany},
	{"Contacts", testContacts},
}

func testContacts(t *testing.T, s Stores) {
	w := seed(t, s)
	other := allot.Company{Name: "Other", CreatedAt: t0}
	write(t, s, func(tx allot.Tx) error { return tx.CreateCompany(&other) })
	addUsers(t, s,
		allot.User{Email: "cm1@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID},
		allot.User{Email: "gone@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID, RemovedAt: t0},
		allot.User{Email: "cm2@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID},
		allot.User{Email: "cm3@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID},
		allot.User{Email: "cm@other.test", Role: allot.RoleCompanyManager, CompanyID: other.ID},
		learner(w.acme, "a@acme.test"),
		allot.User{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID},
		allot.User{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin},
		allot.User{Email: "am@vendor.test", Role: allot.RoleAccountManager},
	)
	emails := func(companyID, partnerID int64) []string {
		t.Helper()
		got, err := s.Contacts(t.Context(), allot.ContactsParams{CompanyID: companyID, PartnerID: partnerID})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range got {
			out = append(out, u.Email)
		}
		return out
	}
	for _, tc := range []struct {
		name             string
		company, partner int64
		want             []string
	}{
		{"company and partner", w.acme.ID, w.partner.ID, []string{"cm1@acme.test", "cm2@acme.test", "pm@channel.test", "admin@vendor.test"}},
		{"direct company", other.ID, 0, []string{"cm@other.test", "admin@vendor.test"}},
		{"nobody's company", 0, 0, []string{"admin@vendor.test"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := emails(tc.company, tc.partner); !slices.Equal(got, tc.want) {
				t.Errorf("Contacts = %v, want %v", got, tc.want)
			}
		})
	}
}

// entitlement returns the facts s knows for q, stopping the test on error.
func entitlement(t *testing.T, s allot.Store, q allot.EntitlementQuery) allot.EntitlementFacts {
	t.Helper()
	f, err := s.Entitlement(t.Context(), q)
	if err != nil {
		t.Fatalf("Entitlement(%+v): %v", q, err)
	}
	return f
}

// The facts carry what the entitlement decision reads, not whole records:
// these keep the fields that must be there.

func factsUser(u allot.User) allot.User {
	return allot.User{ID: u.ID, Email: u.Email, Role: u.Role, CompanyID: u.CompanyID, RemovedAt: u.RemovedAt}
}

func factsCompany(c allot.Company) allot.Company {
	return allot.Company{ID: c.ID, PartnerID: c.PartnerID, Name: c.Name, Suspended: c.Suspended}
}

func factsProduct(p allot.Product) allot.Product {
	return allot.Product{ID: p.ID, Code: p.Code, Name: p.Name}
}

func factsSeat(s allot.Seat) allot.Seat {
	return allot.Seat{ID: s.ID, UserID: s.UserID, CompanyID: s.CompanyID, ProductID: s.ProductID,
		StartsAt: s.StartsAt, EndsAt: s.EndsAt, ReleasedAt: s.ReleasedAt}
}

func testEntitlementUser(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s,
		allot.User{Email: "ann@acme.test", FirstName: "Ann", LastName: "Lee", Department: "Sales", Role: allot.RoleLearner,
			CompanyID: w.acme.ID, PasswordHash: "hash", LastLoginAt: t0.Add(-day)},
		allot.User{Email: "gone@acme.test", Role: allot.RoleLearner, CompanyID: w.acme.ID, RemovedAt: t0.Add(-day)},
		allot.User{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID},
	)
	ann, gone, pm := us[0], us[1], us[2]
	for _, tc := range []struct {
		name string
		q    allot.EntitlementQuery
		want allot.User
	}{
		{"by ID", allot.EntitlementQuery{UserID: ann.ID, ProductCode: "premium", Now: t0}, ann},
		{"by e-mail", allot.EntitlementQuery{Email: "ann@acme.test", ProductCode: "premium", Now: t0}, ann},
		{"by ID before e-mail", allot.EntitlementQuery{UserID: ann.ID, Email: "gone@acme.test", ProductCode: "premium", Now: t0}, ann},
		{"removed", allot.EntitlementQuery{Email: "gone@acme.test", ProductCode: "premium", Now: t0}, gone},
		{"partner manager", allot.EntitlementQuery{UserID: pm.ID, ProductCode: "premium", Now: t0}, pm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := entitlement(t, s, tc.q)
			if !f.UserFound || !f.ProductFound {
				t.Fatalf("UserFound %v, ProductFound %v, want both", f.UserFound, f.ProductFound)
			}
			same(t, "facts' User", factsUser(f.User), factsUser(tc.want))
			same(t, "facts' Product", factsProduct(f.Product), factsProduct(w.premium))
		})
	}
	for _, tc := range []struct {
		name string
		q    allot.EntitlementQuery
	}{
		{"unknown ID", allot.EntitlementQuery{UserID: pm.ID + 100, ProductCode: "premium", Now: t0}},
		{"unknown ID with a known e-mail", allot.EntitlementQuery{UserID: pm.ID + 100, Email: "ann@acme.test", ProductCode: "premium", Now: t0}},
		{"unknown e-mail", allot.EntitlementQuery{Email: "nobody@acme.test", ProductCode: "premium", Now: t0}},
		{"no user named", allot.EntitlementQuery{ProductCode: "premium", Now: t0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := entitlement(t, s, tc.q)
			if f.UserFound || f.User.ID != 0 || f.Seat != nil {
				t.Errorf("facts for an unknown user: %+v", f)
			}
		})
	}
}

func testEntitlementProduct(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"))
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(300*day))
	addSeat(t, s, p, us[0], t0.Add(-day), p.EndsAt)
	write(t, s, func(tx allot.Tx) error {
		return addWaiting(tx, allot.Waiting{UserID: us[0].ID, CompanyID: w.acme.ID, ProductID: w.coaching.ID, Since: t0})
	})

	f := entitlement(t, s, allot.EntitlementQuery{UserID: us[0].ID, ProductCode: "circles", Now: t0})
	if !f.UserFound || f.ProductFound {
		t.Errorf("unknown product: UserFound %v, ProductFound %v, want true, false", f.UserFound, f.ProductFound)
	}
	if f.Seat != nil || f.Waiting || !f.PoolEnds.IsZero() {
		t.Errorf("facts of an unknown product: Seat %+v, Waiting %v, PoolEnds %v", f.Seat, f.Waiting, f.PoolEnds)
	}
	f = entitlement(t, s, allot.EntitlementQuery{UserID: us[0].ID, ProductCode: "coaching", Now: t0})
	if !f.ProductFound {
		t.Fatal("coaching not found")
	}
	same(t, "facts' Product", factsProduct(f.Product), factsProduct(w.coaching))
	if f.Seat != nil {
		t.Errorf("a seat of premium in the facts of coaching: %+v", f.Seat)
	}
}

func testEntitlementSeat(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"), learner(w.acme, "none@acme.test"))
	a, b, none := us[0], us[1], us[2]
	old := addPool(t, s, w.acme, w.premium, 5, t0.Add(-400*day), t0.Add(-30*day))
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-10*day), t0.Add(300*day))
	pc := addPool(t, s, w.acme, w.coaching, 5, t0.Add(-10*day), t0.Add(300*day))

	addSeat(t, s, old, a, t0.Add(-300*day), old.EndsAt) // ended
	released := addSeat(t, s, p, a, t0.Add(-5*day), p.EndsAt)
	write(t, s, func(tx allot.Tx) error { return tx.ReleaseSeat(released.ID, t0.Add(-2*day), allot.ReasonOther) })
	newest := addSeat(t, s, p, a, t0.Add(time.Hour), t0.Add(90*day))
	addSeat(t, s, pc, a, t0.Add(2*time.Hour), pc.EndsAt) // another product, newer still
	onlyReleased := addSeat(t, s, p, b, t0.Add(-5*day), p.EndsAt)
	write(t, s, func(tx allot.Tx) error { return tx.ReleaseSeat(onlyReleased.ID, t0.Add(-day), allot.ReasonLeft) })

	for _, tc := range []struct {
		name string
		u    allot.User
		want int64 // seat ID; 0 for none
	}{
		{"newest of several", a, newest.ID},
		{"released", b, onlyReleased.ID},
		{"none", none, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := entitlement(t, s, allot.EntitlementQuery{UserID: tc.u.ID, ProductCode: "premium", Now: t0})
			switch {
			case tc.want == 0 && f.Seat != nil:
				t.Errorf("Seat %+v, want none", *f.Seat)
			case tc.want != 0 && f.Seat == nil:
				t.Errorf("no Seat, want seat %d", tc.want)
			case tc.want != 0:
				same(t, "facts' Seat", *f.Seat, factsSeat(seat(t, s, tc.want)))
			}
		})
	}
}

func testEntitlementWaiting(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	write(t, s, func(tx allot.Tx) error {
		return addWaiting(tx, allot.Waiting{UserID: us[0].ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Since: t0})
	})
	for _, tc := range []struct {
		name    string
		u       allot.User
		product string
		want    bool
	}{
		{"waiting", us[0], "premium", true},
		{"waiting for another product", us[0], "coaching", false},
		{"another user waits", us[1], "premium", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := entitlement(t, s, allot.EntitlementQuery{UserID: tc.u.ID, ProductCode: tc.product, Now: t0})
			if f.Waiting != tc.want {
				t.Errorf("Waiting = %v, want %v", f.Waiting, tc.want)
			}
		})
	}
	write(t, s, func(tx allot.Tx) error {
		return tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: []int64{us[0].ID}})
	})
	if f := entitlement(t, s, allot.EntitlementQuery{UserID: us[0].ID, ProductCode: "premium", Now: t0}); f.Waiting {
		t.Error("Waiting after RemoveWaiting")
	}
}

func testEntitlementPoolEnds(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s,
		allot.User{Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID},
		learner(w.acme, "a@acme.test"),
		allot.User{Email: "cm@direct.test", Role: allot.RoleCompanyManager, CompanyID: w.direct.ID},
		allot.User{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID},
	)
	cm, learnerA, cmDirect, pm := us[0], us[1], us[2], us[3]
	addPool(t, s, w.acme, w.premium, 5, t0.Add(-400*day), t0.Add(-30*day)) // ended
	addPool(t, s, w.acme, w.premium, 5, t0.Add(-10*day), t0.Add(60*day))
	full := addPool(t, s, w.acme, w.premium, 1, t0.Add(-20*day), t0.Add(200*day))
	addPool(t, s, w.acme, w.premium, 5, t0.Add(day), t0.Add(500*day)) // not started
	addPool(t, s, w.acme, w.coaching, 5, t0.Add(-day), t0.Add(700*day))
	addPool(t, s, w.direct, w.premium, 5, t0.Add(-200*day), t0.Add(-day)) // ended
	addSeat(t, s, full, learnerA, t0.Add(-day), full.EndsAt)              // a full pool is still live

	for _, tc := range []struct {
		name    string
		u       allot.User
		product string
		now     time.Time
		want    time.Time
	}{
		{"company manager: latest live end", cm, "premium", t0, t0.Add(200 * day)},
		{"company manager, another product", cm, "coaching", t0, t0.Add(700 * day)},
		{"company manager, later", cm, "premium", t0.Add(300 * day), t0.Add(500 * day)},
		{"company manager, at the last end", cm, "premium", t0.Add(500 * day), time.Time{}},
		{"company manager without a live pool", cmDirect, "premium", t0, time.Time{}},
		{"learner", learnerA, "premium", t0, time.Time{}},
		{"partner manager", pm, "premium", t0, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := entitlement(t, s, allot.EntitlementQuery{UserID: tc.u.ID, ProductCode: tc.product, Now: tc.now})
			same(t, "PoolEnds", f.PoolEnds, tc.want)
		})
	}
}

func testEntitlementCompany(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.direct, "b@direct.test"),
		allot.User{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin},
		allot.User{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID})
	suspended := w.direct
	suspended.Suspended = true
	write(t, s, func(tx allot.Tx) error { return tx.UpdateCompany(suspended) })

	for _, tc := range []struct {
		name string
		u    allot.User
		want allot.Company
	}{
		{"partner's customer", us[0], w.acme},
		{"suspended", us[1], suspended},
		{"vendor staff", us[2], allot.Company{}},
		{"partner manager", us[3], allot.Company{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := entitlement(t, s, allot.EntitlementQuery{UserID: tc.u.ID, ProductCode: "premium", Now: t0})
			same(t, "facts' Company", factsCompany(f.Company), factsCompany(tc.want))
		})
	}
}
