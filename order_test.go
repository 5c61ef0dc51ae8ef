package allot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

// decision is one way of deciding a requested order, as the partner's
// manager.
type decision struct {
	name   string
	status allot.OrderStatus
	do     func(ctx context.Context, svc *allot.Service, id int64) error
}

var decisions = []decision{
	{"assign", allot.OrderAssigned, func(ctx context.Context, svc *allot.Service, id int64) error {
		_, _, err := svc.AssignOrder(ctx, id)
		return err
	}},
	{"cancel", allot.OrderCancelled, func(ctx context.Context, svc *allot.Service, id int64) error {
		_, err := svc.CancelOrder(ctx, id)
		return err
	}},
	{"reject", allot.OrderRejected, func(ctx context.Context, svc *allot.Service, id int64) error {
		_, err := svc.RejectOrder(ctx, id, "ordered twice")
		return err
	}},
}

// TestOrderLifecycle checks that a requested order is decided once: assigned
// (becoming a pool), cancelled or rejected, and that any second decision is
// a conflict that changes nothing.
func TestOrderLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, first := range decisions {
			for _, second := range decisions {
				t.Run(first.name+" then "+second.name, func(t *testing.T) {
					t.Parallel()
					f := setup(t, b)
					o := must(f.svc.RequestOrder(f.as(f.cm), allot.NewOrder{CompanyID: f.company.ID, ProductCode: "premium", Quantity: 3, PORef: "PO-7"}))(t)
					if o.Status != allot.OrderRequested || o.RequestedBy != f.cm.UserID || !o.RequestedAt.Equal(t0) || o.PartnerID != f.partner.ID || o.TermMonths != 12 {
						t.Errorf("requested order: %+v", o)
					}
					f.clock.Advance(time.Hour)
					if err := first.do(f.as(f.pm), f.svc, o.ID); err != nil {
						t.Fatal(err)
					}
					decided := must(f.svc.Order(f.as(f.cm), o.ID))(t)
					if decided.Status != first.status || decided.DecidedBy != f.pm.UserID || !decided.DecidedAt.Equal(t0.Add(time.Hour)) {
						t.Errorf("decided order: status %s by %d at %s, want %s by %d at %s",
							decided.Status, decided.DecidedBy, decided.DecidedAt, first.status, f.pm.UserID, t0.Add(time.Hour))
					}

					f.clock.Advance(time.Hour)
					wantError(t, second.do(f.as(f.pm), f.svc, o.ID), allot.ECONFLICT, "")
					if again := must(f.svc.Order(f.as(f.cm), o.ID))(t); again != decided {
						t.Errorf("order changed by a second decision:\n got %+v\nwant %+v", again, decided)
					}
					pools := must(f.svc.Pools(f.as(f.cm), f.company.ID))(t)
					wantPools := 0
					if first.status == allot.OrderAssigned {
						wantPools = 1
					}
					if len(pools) != wantPools {
						t.Fatalf("%d pools, want %d", len(pools), wantPools)
					}
					if wantPools == 1 && (pools[0].OrderID != o.ID || pools[0].Quantity != 3 || !pools[0].StartsAt.Equal(t0.Add(time.Hour))) {
						t.Errorf("pool %+v, want 3 seats of order %d from %s", pools[0], o.ID, t0.Add(time.Hour))
					}
				})
			}
		}
	})
}

func TestRejectNeedsReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		o := must(f.svc.RequestOrder(f.as(f.cm), allot.NewOrder{CompanyID: f.company.ID, ProductCode: "premium", Quantity: 3}))(t)
		for _, reason := range []string{"", "  \n\t", strings.Repeat("x", 2001)} {
			_, err := f.svc.RejectOrder(f.as(f.pm), o.ID, reason)
			wantError(t, err, allot.EINVALID, "reason")
		}
		if got := must(f.svc.Order(f.as(f.cm), o.ID))(t).Status; got != allot.OrderRequested {
			t.Errorf("status %s after refused rejections, want requested", got)
		}
		rejected := must(f.svc.RejectOrder(f.as(f.pm), o.ID, "  ordered twice  "))(t)
		if rejected.Status != allot.OrderRejected || rejected.Reason != "ordered twice" {
			t.Errorf("rejected order: status %s, reason %q", rejected.Status, rejected.Reason)
		}
		if got := must(f.svc.Order(f.as(f.cm), o.ID))(t); got.Reason != "ordered twice" {
			t.Errorf("stored reason %q, want %q", got.Reason, "ordered twice")
		}
	})
}

// TestRequestOrderValidation checks that each wrong input of an order is
// refused naming its field, and that nothing is stored.
func TestRequestOrderValidation(t *testing.T) {
	cases := []struct {
		name      string
		in        allot.NewOrder
		wantField string
	}{
		{"no quantity", allot.NewOrder{}, "quantity"},
		{"negative quantity", allot.NewOrder{Quantity: -2}, "quantity"},
		{"too many", allot.NewOrder{Quantity: allot.MaxQuantity + 1}, "quantity"},
		{"unknown product", allot.NewOrder{Quantity: 1, ProductCode: "chess"}, "product"},
		{"term in months and days", allot.NewOrder{Quantity: 1, TermMonths: 6, TermDays: 30}, "term_days"},
		{"negative months", allot.NewOrder{Quantity: 1, TermMonths: -1}, "term_months"},
		{"too many months", allot.NewOrder{Quantity: 1, TermMonths: allot.MaxTermMonths + 1}, "term_months"},
		{"negative days", allot.NewOrder{Quantity: 1, TermDays: -30}, "term_days"},
		{"too many days", allot.NewOrder{Quantity: 1, TermDays: allot.MaxTermDays + 1}, "term_days"},
		{"long purchase-order reference", allot.NewOrder{Quantity: 1, PORef: strings.Repeat("P", 101)}, "po_ref"},
		{"long note", allot.NewOrder{Quantity: 1, Note: strings.Repeat("n", 2001)}, "note"},
		{"longest everything", allot.NewOrder{Quantity: allot.MaxQuantity, TermDays: allot.MaxTermDays,
			PORef: strings.Repeat("P", 100), Note: strings.Repeat("n", 2000)}, ""},
		{"longest term in months", allot.NewOrder{Quantity: 1, TermMonths: allot.MaxTermMonths}, ""},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				in.CompanyID = f.company.ID
				if in.ProductCode == "" {
					in.ProductCode = "premium"
				}
				before := len(must(f.svc.Orders(f.as(f.cm), allot.OrderFilter{}))(t))
				_, err := f.svc.RequestOrder(f.as(f.cm), in)
				wantCode, wantAdded := allot.EINVALID, 0
				if tc.wantField == "" {
					wantCode, wantAdded = "", 1
				}
				wantError(t, err, wantCode, tc.wantField)
				if got := len(must(f.svc.Orders(f.as(f.cm), allot.OrderFilter{}))(t)) - before; got != wantAdded {
					t.Errorf("%d orders added, want %d", got, wantAdded)
				}
			})
		}
	})
}

// TestCreateCompanyWithOrder checks that a partner creating a customer from
// its purchase order requests the order in the same step.
func TestCreateCompanyWithOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		c, o := must2(f.svc.CreateCompany(f.as(f.pm), allot.NewCompany{Name: "Beta", DefaultProductCode: "premium",
			FirstOrder: &allot.NewOrder{ProductCode: "premium", Quantity: 40, PORef: "PO-1", TermMonths: 6}}))(t)
		if c.PartnerID != f.partner.ID {
			t.Errorf("company of partner %d, want %d", c.PartnerID, f.partner.ID)
		}
		if o == nil || o.CompanyID != c.ID || o.Status != allot.OrderRequested || o.Quantity != 40 || o.TermMonths != 6 || o.PORef != "PO-1" {
			t.Fatalf("first order %+v", o)
		}
		if got := must(f.svc.Order(f.as(f.pm), o.ID))(t); got.CompanyID != c.ID {
			t.Errorf("stored order of company %d, want %d", got.CompanyID, c.ID)
		}

		// A wrong first order creates no company either.
		_, _, err := f.svc.CreateCompany(f.as(f.pm), allot.NewCompany{Name: "Gamma",
			FirstOrder: &allot.NewOrder{ProductCode: "premium", Quantity: 0}})
		wantError(t, err, allot.EINVALID, "quantity")
		if got := must(f.svc.Companies(f.as(f.pm), allot.CompanyFilter{Search: "gamma"}))(t); len(got) != 0 {
			t.Errorf("company %q created with a wrong order", got[0].Name)
		}
	})
}
