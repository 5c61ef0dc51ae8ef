package allot_test

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

func TestCustomers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		old := f.pool(f.company, 5) // ends first, a year from t0
		f.clock.Advance(30 * 24 * time.Hour)
		f.pool(f.company, 10)
		f.learner(f.company, "a@acme.test")
		f.learner(f.company, "b@acme.test")
		must2(f.svc.CreateCompany(f.as(f.pm), allot.NewCompany{Name: "Empty"}))(t)
		other, _ := must2(f.svc.CreateCompany(f.as(f.admin), allot.NewCompany{Name: "Direct"}))(t)

		byName := func(p allot.Principal) map[string]allot.Customer {
			t.Helper()
			out := map[string]allot.Customer{}
			for _, c := range must(f.svc.Customers(f.as(p), allot.CompanyFilter{}))(t) {
				out[c.Name] = c
			}
			return out
		}
		got := byName(f.pm)
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
		f.clock.Set(old.EndsAt)
		acme = byName(f.pm)["Acme"]
		if acme.Bought != 10 || acme.Allocated != 0 {
			t.Errorf("after the first pool ended: bought %d, allocated %d; want 10, 0", acme.Bought, acme.Allocated)
		}
		if len(byName(f.admin)) != 3 {
			t.Errorf("the vendor sees %d customers, want 3", len(byName(f.admin)))
		}
	})
}
