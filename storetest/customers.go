package storetest

import (
	"testing"

	"allot"
)

var customerTests = []test{
	{"Counts", testCustomerCounts},
	{"CountCompanies", testCountCompanies},
	{"CountOrders", testCountOrders},
	{"CompanyOrder", testCompanyOrder},
}

// testCustomerCounts counts, per company and product, requested orders,
// learners whose newest seat ended unreleased and waiting learners, and
// nothing else: not a renewed learner, a released seat, a removed person,
// a manager, an assigned order or another company's.
func testCustomerCounts(t *testing.T, s Stores) {
	w := seed(t, s)
	other := allot.Company{PartnerID: w.partner.ID, Name: "Other", CreatedAt: t0}
	write(t, s, func(tx allot.Tx) error { return tx.CreateCompany(&other) })
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"), learner(w.acme, "c@acme.test"),
		learner(w.acme, "d@acme.test"), learner(w.acme, "e@acme.test"), learner(w.acme, "f@acme.test"),
		allot.User{Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID},
		learner(other, "g@other.test"), learner(w.direct, "h@direct.test"))
	a, b, c, d, e, f, cm, g, h := us[0], us[1], us[2], us[3], us[4], us[5], us[6], us[7], us[8]

	old := addPool(t, s, w.acme, w.premium, 10, t0.Add(-400*day), t0.Add(-35*day))
	live := addPool(t, s, w.acme, w.premium, 10, t0.Add(-day), t0.Add(300*day))
	oldCoaching := addPool(t, s, w.acme, w.coaching, 5, t0.Add(-200*day), t0.Add(-day))
	otherOld := addPool(t, s, other, w.premium, 5, t0.Add(-400*day), t0.Add(-day))
	addSeat(t, s, old, a, t0.Add(-400*day), t0.Add(-35*day)) // expired
	addSeat(t, s, old, b, t0.Add(-400*day), t0.Add(-35*day)) // expired, then renewed
	addSeat(t, s, live, b, t0.Add(-day), t0.Add(300*day))
	released := addSeat(t, s, old, c, t0.Add(-400*day), t0.Add(-35*day))
	addSeat(t, s, old, d, t0.Add(-400*day), t0.Add(-35*day)) // expired, but d is removed
	addSeat(t, s, oldCoaching, a, t0.Add(-200*day), t0.Add(-day))
	addSeat(t, s, old, cm, t0.Add(-400*day), t0.Add(-35*day)) // a manager is no learner
	addSeat(t, s, otherOld, g, t0.Add(-400*day), t0.Add(-day))
	addSeat(t, s, live, e, t0.Add(-day), t0.Add(300*day)) // live
	write(t, s, func(tx allot.Tx) error {
		if err := tx.ReleaseSeat(released.ID, t0.Add(-40*day), "left_company"); err != nil {
			return err
		}
		gone := d
		gone.RemovedAt = t0
		if err := tx.UpdateUser(gone); err != nil {
			return err
		}
		for _, o := range []allot.Order{
			{CompanyID: w.acme.ID, ProductID: w.premium.ID, Quantity: 10, Status: allot.OrderRequested},
			{CompanyID: w.acme.ID, ProductID: w.premium.ID, Quantity: 5, Status: allot.OrderRequested},
			{CompanyID: w.acme.ID, ProductID: w.coaching.ID, Quantity: 3, Status: allot.OrderCancelled},
			{CompanyID: w.direct.ID, ProductID: w.coaching.ID, Quantity: 7, Status: allot.OrderRequested},
		} {
			o.PartnerID, o.TermMonths, o.RequestedAt = 0, 12, t0
			if err := tx.CreateOrder(&o); err != nil {
				return err
			}
		}
		return addWaiting(tx,
			allot.Waiting{UserID: f.ID, CompanyID: w.acme.ID, ProductID: w.coaching.ID, Since: t0},
			allot.Waiting{UserID: h.ID, CompanyID: w.direct.ID, ProductID: w.premium.ID, Since: t0})
	})

	got := read(t, s, func(tx allot.Tx) ([]allot.CustomerCount, error) {
		return tx.CustomerCounts(allot.CustomerCountsParams{CompanyIDs: []int64{w.acme.ID, w.direct.ID}, Now: t0})
	})
	want := []allot.CustomerCount{
		{CompanyID: w.acme.ID, ProductID: w.premium.ID, Pending: 2, PendingSeats: 15, Expired: 1},
		{CompanyID: w.acme.ID, ProductID: w.coaching.ID, Expired: 1, Waiting: 1},
		{CompanyID: w.direct.ID, ProductID: w.premium.ID, Waiting: 1},
		{CompanyID: w.direct.ID, ProductID: w.coaching.ID, Pending: 1, PendingSeats: 7},
	}
	if w.coaching.ID < w.premium.ID {
		want[0], want[1] = want[1], want[0]
		want[2], want[3] = want[3], want[2]
	}
	if len(got) != len(want) {
		t.Fatalf("CustomerCounts: %+v\nwant %+v", got, want)
	}
	for i := range want {
		same(t, "CustomerCounts", got[i], want[i])
	}
	none := read(t, s, func(tx allot.Tx) ([]allot.CustomerCount, error) {
		return tx.CustomerCounts(allot.CustomerCountsParams{CompanyIDs: []int64{other.ID}, Now: t0.Add(-2 * day)})
	})
	if len(none) != 0 {
		t.Errorf("CustomerCounts before the seats ended: %+v, want none", none)
	}
}

func testCountCompanies(t *testing.T, s Stores) {
	w := seed(t, s)
	write(t, s, func(tx allot.Tx) error {
		for _, name := range []string{"Beta", "Gamma"} {
			if err := tx.CreateCompany(&allot.Company{PartnerID: w.partner.ID, Name: name, CreatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	for _, tc := range []struct {
		name string
		f    allot.CompanyFilter
		want int
	}{
		{"all", allot.CompanyFilter{}, 4},
		{"partner", allot.CompanyFilter{PartnerID: w.partner.ID}, 3},
		{"direct", allot.CompanyFilter{DirectOnly: true}, 1},
		{"search", allot.CompanyFilter{Search: "ETA"}, 1},
		{"paging aside", allot.CompanyFilter{PartnerID: w.partner.ID, AfterID: w.acme.ID, Limit: 1}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			same(t, "CountCompanies", read(t, s, func(tx allot.Tx) (int, error) { return tx.CountCompanies(tc.f) }), tc.want)
		})
	}
}

func testCountOrders(t *testing.T, s Stores) {
	w := seed(t, s)
	write(t, s, func(tx allot.Tx) error {
		for _, o := range []allot.Order{
			{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, Quantity: 10, Status: allot.OrderRequested},
			{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, Quantity: 5, Status: allot.OrderRequested},
			{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.coaching.ID, Quantity: 3, Status: allot.OrderAssigned},
			{CompanyID: w.direct.ID, ProductID: w.premium.ID, Quantity: 7, Status: allot.OrderRequested},
		} {
			o.TermMonths, o.RequestedAt = 12, t0
			if err := tx.CreateOrder(&o); err != nil {
				return err
			}
		}
		return nil
	})
	count := func(f allot.OrderFilter) []allot.OrderCount {
		return read(t, s, func(tx allot.Tx) ([]allot.OrderCount, error) { return tx.CountOrders(f) })
	}
	got := count(allot.OrderFilter{PartnerID: w.partner.ID})
	want := []allot.OrderCount{
		{Status: allot.OrderAssigned, ProductID: w.coaching.ID, Orders: 1, Seats: 3},
		{Status: allot.OrderRequested, ProductID: w.premium.ID, Orders: 2, Seats: 15},
	}
	if len(got) != len(want) {
		t.Fatalf("CountOrders of the partner: %+v, want %+v", got, want)
	}
	for i := range want {
		same(t, "CountOrders of the partner", got[i], want[i])
	}
	got = count(allot.OrderFilter{Statuses: []allot.OrderStatus{allot.OrderRequested}, ProductID: w.premium.ID})
	if len(got) != 1 || got[0] != (allot.OrderCount{Status: allot.OrderRequested, ProductID: w.premium.ID, Orders: 3, Seats: 22}) {
		t.Errorf("CountOrders of requested premium: %+v, want 3 orders of 22", got)
	}
	if got := count(allot.OrderFilter{CompanyID: w.direct.ID, Statuses: []allot.OrderStatus{allot.OrderAssigned}}); len(got) != 0 {
		t.Errorf("CountOrders of none: %+v", got)
	}
}

// testCompanyOrder lists companies by name or by creation, up or down,
// and pages each way.
func testCompanyOrder(t *testing.T, s Stores) {
	w := seed(t, s)
	var beta, alpha allot.Company
	write(t, s, func(tx allot.Tx) error {
		beta = allot.Company{Name: "Beta", CreatedAt: t0}
		if err := tx.CreateCompany(&beta); err != nil {
			return err
		}
		alpha = allot.Company{Name: "Alpha", CreatedAt: t0}
		return tx.CreateCompany(&alpha)
	})
	for _, tc := range []struct {
		name string
		f    allot.CompanyFilter
		want []int64
	}{
		{"by name", allot.CompanyFilter{}, []int64{w.acme.ID, alpha.ID, beta.ID, w.direct.ID}},
		{"by name, down", allot.CompanyFilter{Desc: true}, []int64{w.direct.ID, beta.ID, alpha.ID, w.acme.ID}},
		{"by name, down, after", allot.CompanyFilter{Desc: true, AfterID: beta.ID}, []int64{alpha.ID, w.acme.ID}},
		{"by creation", allot.CompanyFilter{ByCreation: true}, []int64{w.acme.ID, w.direct.ID, beta.ID, alpha.ID}},
		{"newest first", allot.CompanyFilter{ByCreation: true, Desc: true, Limit: 2}, []int64{alpha.ID, beta.ID}},
		{"newest first, after", allot.CompanyFilter{ByCreation: true, Desc: true, AfterID: beta.ID}, []int64{w.direct.ID, w.acme.ID}},
		{"by creation, after", allot.CompanyFilter{ByCreation: true, AfterID: w.direct.ID}, []int64{beta.ID, alpha.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Company, error) { return tx.Companies(tc.f) })
			sameIDs(t, "Companies", got, companyID, tc.want...)
		})
	}
}
