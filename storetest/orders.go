package storetest

import (
	"fmt"
	"testing"
	"time"

	"allot"
)

var orderTests = []test{
	{"RoundTrip", testOrderRoundTrip},
	{"Filter", testOrderFilter},
	{"Paging", testOrderPaging},
	{"Decide", testDecideOrder},
}

func testOrderRoundTrip(t *testing.T, s Stores) {
	w := seed(t, s)
	o := allot.Order{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, Quantity: 25,
		PORef: "PO-2026-001", Note: "for the sales team", TermDays: 90, Status: allot.OrderRejected,
		RequestedBy: 3, RequestedAt: t0.Add(-day).In(elsewhere), DecidedBy: 4, DecidedAt: t0.In(elsewhere),
		Reason: "duplicate"}
	direct := allot.Order{CompanyID: w.direct.ID, ProductID: w.coaching.ID, Quantity: 1, TermMonths: 6,
		Status: allot.OrderRequested, RequestedBy: 5, RequestedAt: t0}
	write(t, s, func(tx allot.Tx) error {
		if err := tx.CreateOrder(&o); err != nil {
			return err
		}
		return tx.CreateOrder(&direct)
	})
	want := o
	want.RequestedAt, want.DecidedAt = t0.Add(-day), t0
	got := read(t, s, func(tx allot.Tx) (allot.Order, error) { return tx.Order(o.ID) })
	same(t, "Order", got, want)
	got = read(t, s, func(tx allot.Tx) (allot.Order, error) { return tx.Order(direct.ID) })
	same(t, "direct Order", got, direct)
	list := read(t, s, func(tx allot.Tx) ([]allot.Order, error) { return tx.Orders(allot.OrderFilter{}) })
	if len(list) == 2 {
		same(t, "listed Order", list[1], want)
	}
	wantCode(t, "Order of a missing ID", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.Order(direct.ID + 100)
		return err
	}), allot.ENOTFOUND)
}

func testOrderFilter(t *testing.T, s Stores) {
	w := seed(t, s)
	other := allot.Company{Name: "Under_score & 50% Co", CreatedAt: t0}
	write(t, s, func(tx allot.Tx) error { return tx.CreateCompany(&other) })
	os := []allot.Order{
		{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, PORef: "PO-1", Note: "Q1 rollout",
			Status: allot.OrderRequested, RequestedBy: 10, RequestedAt: t0.Add(-3 * day)}, // 0
		{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.coaching.ID, PORef: "PO-10", Note: "for sales",
			Status: allot.OrderAssigned, RequestedBy: 11, RequestedAt: t0.Add(-2 * day)}, // 1
		{CompanyID: w.direct.ID, ProductID: w.premium.ID, Note: "renewal 100% of seats",
			Status: allot.OrderCancelled, RequestedBy: 10, RequestedAt: t0.Add(-day)}, // 2
		{CompanyID: w.direct.ID, ProductID: w.coaching.ID, PORef: "po-1", Note: "1000 seats next year",
			Status: allot.OrderRejected, RequestedBy: 12, RequestedAt: t0}, // 3
		{CompanyID: other.ID, ProductID: w.premium.ID, Note: "pilot",
			Status: allot.OrderRequested, RequestedBy: 12, RequestedAt: t0.Add(day)}, // 4
	}
	write(t, s, func(tx allot.Tx) error {
		for i := range os {
			os[i].Quantity, os[i].TermMonths = 5, 12
			if err := tx.CreateOrder(&os[i]); err != nil {
				return err
			}
		}
		return nil
	})
	// id lists orders newest first, as Orders returns them.
	id := func(is ...int) []int64 {
		var out []int64
		for _, i := range is {
			out = append(out, os[i].ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    allot.OrderFilter
		want []int64
	}{
		{"all, newest first", allot.OrderFilter{}, id(4, 3, 2, 1, 0)},
		{"one status", allot.OrderFilter{Statuses: []allot.OrderStatus{allot.OrderRequested}}, id(4, 0)},
		{"two statuses", allot.OrderFilter{Statuses: []allot.OrderStatus{allot.OrderCancelled, allot.OrderRejected}}, id(3, 2)},
		{"company", allot.OrderFilter{CompanyID: w.direct.ID}, id(3, 2)},
		{"partner", allot.OrderFilter{PartnerID: w.partner.ID}, id(1, 0)},
		{"product", allot.OrderFilter{ProductID: w.coaching.ID}, id(3, 1)},
		{"purchase order reference", allot.OrderFilter{PORef: "PO-1"}, id(0)},
		{"requester", allot.OrderFilter{RequestedBy: 10}, id(2, 0)},
		{"from, included", allot.OrderFilter{From: t0.Add(-day)}, id(4, 3, 2)},
		{"to, excluded", allot.OrderFilter{To: t0.Add(-day)}, id(1, 0)},
		{"from and to", allot.OrderFilter{From: t0.Add(-2 * day), To: t0.Add(time.Microsecond)}, id(3, 2, 1)},
		{"text in the reference", allot.OrderFilter{Text: "po-1"}, id(3, 1, 0)},
		{"text in the note", allot.OrderFilter{Text: "ROLLOUT"}, id(0)},
		{"text in the company's name", allot.OrderFilter{Text: "acme"}, id(1, 0)},
		{"text percent is literal", allot.OrderFilter{Text: "100%"}, id(2)},
		{"text underscore is literal", allot.OrderFilter{Text: "r_s"}, id(4)},
		{"text without match", allot.OrderFilter{Text: "initech"}, nil},
		{"after ID", allot.OrderFilter{AfterID: os[2].ID}, id(1, 0)},
		{"limit", allot.OrderFilter{Limit: 2}, id(4, 3)},
		{"everything", allot.OrderFilter{Statuses: []allot.OrderStatus{allot.OrderRequested, allot.OrderAssigned},
			CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, PORef: "PO-1", RequestedBy: 10,
			From: t0.Add(-3 * day), To: t0, Text: "q1", AfterID: os[4].ID, Limit: 1}, id(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Order, error) { return tx.Orders(tc.f) })
			sameIDs(t, "Orders", got, orderID, tc.want...)
		})
	}
}

func testOrderPaging(t *testing.T, s Stores) {
	w := seed(t, s)
	os := make([]allot.Order, 5)
	write(t, s, func(tx allot.Tx) error {
		for i := range os {
			os[i] = allot.Order{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, Quantity: i + 1,
				TermMonths: 12, Status: allot.OrderRequested, RequestedAt: t0}
			if err := tx.CreateOrder(&os[i]); err != nil {
				return err
			}
		}
		return nil
	})
	f := allot.OrderFilter{CompanyID: w.acme.ID, Limit: 2}
	for i, want := range [][]int64{{os[4].ID, os[3].ID}, {os[2].ID, os[1].ID}, {os[0].ID}, nil} {
		page := read(t, s, func(tx allot.Tx) ([]allot.Order, error) { return tx.Orders(f) })
		sameIDs(t, fmt.Sprintf("page %d", i+1), page, orderID, want...)
		if len(page) == 0 {
			break
		}
		f.AfterID = page[len(page)-1].ID
	}
}

func testDecideOrder(t *testing.T, s Stores) {
	w := seed(t, s)
	requested := allot.Order{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, Quantity: 3,
		TermMonths: 12, Status: allot.OrderRequested, RequestedBy: 3, RequestedAt: t0.Add(-day)}
	other := requested
	write(t, s, func(tx allot.Tx) error {
		if err := tx.CreateOrder(&requested); err != nil {
			return err
		}
		return tx.CreateOrder(&other)
	})

	assigned := requested
	assigned.Status, assigned.DecidedBy, assigned.DecidedAt = allot.OrderAssigned, 7, t0.In(elsewhere)
	write(t, s, func(tx allot.Tx) error { return tx.DecideOrder(assigned) })
	want := assigned
	want.DecidedAt = t0
	got := read(t, s, func(tx allot.Tx) (allot.Order, error) { return tx.Order(requested.ID) })
	same(t, "assigned Order", got, want)
	got = read(t, s, func(tx allot.Tx) (allot.Order, error) { return tx.Order(other.ID) })
	same(t, "the other order", got, other)

	for _, status := range []allot.OrderStatus{allot.OrderRejected, allot.OrderCancelled, allot.OrderAssigned} {
		t.Run("from assigned to "+string(status), func(t *testing.T) {
			again := requested
			again.Status, again.DecidedBy, again.DecidedAt, again.Reason = status, 8, t0.Add(time.Hour), "too late"
			wantCode(t, "DecideOrder", writeErr(t, s, func(tx allot.Tx) error { return tx.DecideOrder(again) }), allot.ECONFLICT)
			got := read(t, s, func(tx allot.Tx) (allot.Order, error) { return tx.Order(requested.ID) })
			same(t, "Order after a refused decision", got, want)
		})
	}

	t.Run("rejected with a reason", func(t *testing.T) {
		rejected := other
		rejected.Status, rejected.DecidedBy, rejected.DecidedAt, rejected.Reason = allot.OrderRejected, 9, t0, "no budget"
		write(t, s, func(tx allot.Tx) error { return tx.DecideOrder(rejected) })
		got := read(t, s, func(tx allot.Tx) (allot.Order, error) { return tx.Order(other.ID) })
		same(t, "rejected Order", got, rejected)
		cancel := rejected
		cancel.Status = allot.OrderCancelled
		wantCode(t, "DecideOrder of a rejected order", writeErr(t, s, func(tx allot.Tx) error { return tx.DecideOrder(cancel) }),
			allot.ECONFLICT)
	})
	t.Run("missing", func(t *testing.T) {
		ghost := requested
		ghost.ID, ghost.Status = other.ID+100, allot.OrderCancelled
		err := writeErr(t, s, func(tx allot.Tx) error { return tx.DecideOrder(ghost) })
		if c := allot.ErrorCode(err); c != allot.ECONFLICT && c != allot.ENOTFOUND {
			t.Errorf("DecideOrder of a missing order: %v (code %q), want a conflict or not found", err, c)
		}
	})
}
