package allot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
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
					f := world.Setup(t, b)
					o := world.Must(f.Svc.RequestOrder(f.As(f.CM), allot.NewOrder{CompanyID: f.Company.ID, ProductCode: "premium", Quantity: 3, PORef: "PO-7"}))(t)
					if o.Status != allot.OrderRequested || o.RequestedBy != f.CM.UserID || !o.RequestedAt.Equal(world.T0) || o.PartnerID != f.Partner.ID || o.TermMonths != 12 {
						t.Errorf("requested order: %+v", o)
					}
					f.Clock.Advance(time.Hour)
					if err := first.do(f.As(f.PM), f.Svc, o.ID); err != nil {
						t.Fatal(err)
					}
					decided := world.Must(f.Svc.Order(f.As(f.CM), o.ID))(t)
					if decided.Status != first.status || decided.DecidedBy != f.PM.UserID || !decided.DecidedAt.Equal(world.T0.Add(time.Hour)) {
						t.Errorf("decided order: status %s by %d at %s, want %s by %d at %s",
							decided.Status, decided.DecidedBy, decided.DecidedAt, first.status, f.PM.UserID, world.T0.Add(time.Hour))
					}

					f.Clock.Advance(time.Hour)
					world.WantError(t, second.do(f.As(f.PM), f.Svc, o.ID), allot.ECONFLICT, "")
					if again := world.Must(f.Svc.Order(f.As(f.CM), o.ID))(t); again != decided {
						t.Errorf("order changed by a second decision:\n got %+v\nwant %+v", again, decided)
					}
					pools := world.Must(f.Svc.Pools(f.As(f.CM), f.Company.ID))(t)
					wantPools := 0
					if first.status == allot.OrderAssigned {
						wantPools = 1
					}
					if len(pools) != wantPools {
						t.Fatalf("%d pools, want %d", len(pools), wantPools)
					}
					if wantPools == 1 && (pools[0].OrderID != o.ID || pools[0].Quantity != 3 || !pools[0].StartsAt.Equal(world.T0.Add(time.Hour))) {
						t.Errorf("pool %+v, want 3 seats of order %d from %s", pools[0], o.ID, world.T0.Add(time.Hour))
					}
				})
			}
		}
	})
}

func TestRejectNeedsReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		o := world.Must(f.Svc.RequestOrder(f.As(f.CM), allot.NewOrder{CompanyID: f.Company.ID, ProductCode: "premium", Quantity: 3}))(t)
		for _, reason := range []string{"", "  \n\t", strings.Repeat("x", 2001)} {
			_, err := f.Svc.RejectOrder(f.As(f.PM), o.ID, reason)
			world.WantError(t, err, allot.EINVALID, "reason")
		}
		if got := world.Must(f.Svc.Order(f.As(f.CM), o.ID))(t).Status; got != allot.OrderRequested {
			t.Errorf("status %s after refused rejections, want requested", got)
		}
		rejected := world.Must(f.Svc.RejectOrder(f.As(f.PM), o.ID, "  ordered twice  "))(t)
		if rejected.Status != allot.OrderRejected || rejected.Reason != "ordered twice" {
			t.Errorf("rejected order: status %s, reason %q", rejected.Status, rejected.Reason)
		}
		if got := world.Must(f.Svc.Order(f.As(f.CM), o.ID))(t); got.Reason != "ordered twice" {
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
		f := world.Setup(t, b)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				in.CompanyID = f.Company.ID
				if in.ProductCode == "" {
					in.ProductCode = "premium"
				}
				before := len(world.Must(f.Svc.Orders(f.As(f.CM), allot.OrderFilter{}))(t))
				_, err := f.Svc.RequestOrder(f.As(f.CM), in)
				wantCode, wantAdded := allot.EINVALID, 0
				if tc.wantField == "" {
					wantCode, wantAdded = "", 1
				}
				world.WantError(t, err, wantCode, tc.wantField)
				if got := len(world.Must(f.Svc.Orders(f.As(f.CM), allot.OrderFilter{}))(t)) - before; got != wantAdded {
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
		f := world.Setup(t, b)
		c, o := world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Beta", DefaultProductCode: "premium",
			FirstOrder: &allot.NewOrder{ProductCode: "premium", Quantity: 40, PORef: "PO-1", TermMonths: 6}}))(t)
		if c.PartnerID != f.Partner.ID {
			t.Errorf("company of partner %d, want %d", c.PartnerID, f.Partner.ID)
		}
		if o == nil || o.CompanyID != c.ID || o.Status != allot.OrderRequested || o.Quantity != 40 || o.TermMonths != 6 || o.PORef != "PO-1" {
			t.Fatalf("first order %+v", o)
		}
		if got := world.Must(f.Svc.Order(f.As(f.PM), o.ID))(t); got.CompanyID != c.ID {
			t.Errorf("stored order of company %d, want %d", got.CompanyID, c.ID)
		}

		// A wrong first order creates no company either.
		_, _, err := f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Gamma",
			FirstOrder: &allot.NewOrder{ProductCode: "premium", Quantity: 0}})
		world.WantError(t, err, allot.EINVALID, "quantity")
		if got := world.Must(f.Svc.Companies(f.As(f.PM), allot.CompanyFilter{Search: "gamma"}))(t); len(got) != 0 {
			t.Errorf("company %q created with a wrong order", got[0].Name)
		}
	})
}
