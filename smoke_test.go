package allot_test

import (
	"testing"

	"allot"
	"allot/storetest"
)

func TestSmoke(t *testing.T) {
	for _, b := range storetest.Backends {
		t.Run(b.Name, func(t *testing.T) {
			f := setup(t, b)
			p := f.pool(f.company, 2)
			a := f.learner(f.company, "a@acme.test")
			f.learner(f.company, "b@acme.test")
			c := f.learner(f.company, "c@acme.test")
			d := must(f.svc.Check(f.as(f.admin), allot.EntitlementQuery{Email: "A@acme.test", ProductCode: "premium"}))(t)
			if !d.Allowed || !d.Until.Equal(p.EndsAt) {
				t.Fatalf("a: %+v", d)
			}
			d = must(f.svc.Check(f.as(f.admin), allot.EntitlementQuery{UserID: c.ID, ProductCode: "premium"}))(t)
			if d.Allowed || d.Reason != allot.DenyUnlicensed || d.Contact == nil || d.Contact.Email != "cm@acme.test" {
				t.Fatalf("c: %+v %+v", d, d.Contact)
			}
			_ = a
		})
	}
}
