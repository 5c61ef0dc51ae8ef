package allot_test

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

func TestCustomers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		old := f.Pool(f.Company, 5) // ends first, a year from world.T0
		f.Clock.Advance(30 * 24 * time.Hour)
		f.Pool(f.Company, 10)
		f.Learner(f.Company, "a@acme.test")
		f.Learner(f.Company, "b@acme.test")
		world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Empty"}))(t)
		other, _ := world.Must2(f.Svc.CreateCompany(f.As(f.Admin), allot.NewCompany{Name: "Direct"}))(t)

		byName := func(p allot.Principal) map[string]allot.Customer {
			t.Helper()
			out := map[string]allot.Customer{}
			for _, c := range world.Must(f.Svc.Customers(f.As(p), allot.CompanyFilter{}))(t) {
				out[c.Name] = c
			}
			return out
		}
		got := byName(f.PM)
		acme := got["Acme"]
		if acme.Bought != 15 || acme.Allocated != 2 || acme.Free() != 13 || !acme.NextExpiry.Equal(old.EndsAt) {
			t.Errorf("Acme: bought %d, allocated %d, free %d, next expiry %s; want 15, 2, 13, %s",
				acme.Bought, acme.Allocated, acme.Free(), acme.NextExpiry, old.EndsAt)
		}
		if e, ok := got["Empty"]; !ok || e.Bought != 0 || !e.NextExpiry.IsZero() {
			t.Errorf("Empty: %+v, %v", e, ok)
		}
		if _, ok := got[other.Name]; ok {
			t.Error("the partner sees a direct customer")
		}
		// Past the first pool's end only the second pool counts.
		f.Clock.Set(old.EndsAt)
		acme = byName(f.PM)["Acme"]
		if acme.Bought != 10 || acme.Allocated != 0 {
			t.Errorf("after the first pool ended: bought %d, allocated %d; want 10, 0", acme.Bought, acme.Allocated)
		}
		if len(byName(f.Admin)) != 3 {
			t.Errorf("the vendor sees %d customers, want 3", len(byName(f.Admin)))
		}
	})
}
