package reclaim_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"allot"
	"allot/reclaim"
	"allot/storetest"
	"allot/world"
)

// benchLearners is how many learners the company of BenchmarkPreview has;
// a third of them logged in lately.
const benchLearners = 3000

// BenchmarkPreview previews a company-wide rule over a company of
// benchLearners learners, two thirds of them idle and due a warning: the
// read the page and each run of the rule make.
func BenchmarkPreview(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		db := be.Open(b)
		clock := allot.NewManualClock(world.T0)
		ledger := allot.NewService(db, clock, nil)
		svc := &reclaim.Service{Ledger: ledger, Store: db.Reclaim()}
		sys := allot.WithPrincipal(context.Background(), allot.System)
		must := func(err error) {
			if err != nil {
				b.Fatal(err)
			}
		}
		_, err := ledger.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"})
		must(err)
		c, _, err := ledger.CreateCompany(sys, allot.NewCompany{Name: "Acme", DefaultProductCode: "premium"})
		must(err)
		o, err := ledger.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: benchLearners})
		must(err)
		_, _, err = ledger.AssignOrder(sys, o.ID)
		must(err)
		acting := allot.WithPrincipal(context.Background(), world.Acting(allot.System, c))
		var recent []int64
		for i := range benchLearners {
			u, err := ledger.AddUser(acting, allot.NewUser{Email: fmt.Sprintf("l%d@acme.test", i), CompanyID: c.ID})
			must(err)
			if i%3 == 0 {
				recent = append(recent, u.ID)
			}
		}
		_, err = svc.SetRule(acting, c.ID, reclaim.RuleInput{Days: 30, WarnDays: 7})
		must(err)
		clock.Advance(20 * 24 * time.Hour)
		for _, id := range recent {
			must(ledger.RecordLogin(sys, id))
		}
		clock.Advance(5 * 24 * time.Hour) // the others are due a warning
		plans, err := svc.Preview(sys, c.ID)
		must(err)
		if want := benchLearners - len(recent); len(plans) != 1 || len(plans[0].Warn) != want {
			b.Fatalf("%d learners to warn, want %d", len(plans[0].Warn), want)
		}
		for b.Loop() {
			_, err := svc.Preview(sys, c.ID)
			must(err)
		}
	})
}
