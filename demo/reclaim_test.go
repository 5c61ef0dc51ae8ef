package demo_test

import (
	"context"
	"testing"
	"time"

	"allot"
	"allot/demo"
	"allot/reclaim"
	"allot/storetest"
)

// TestReclaimRule checks that Stark Studios' rule, still off, would warn
// its four learners who have not logged in for three months, and reclaim
// nobody yet.
func TestReclaimRule(t *testing.T) {
	ctx := allot.WithPrincipal(context.Background(), allot.System)
	db := storetest.Backends[0].Open(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, db, now, allot.PasswordParams{Time: 1, Memory: 64, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	svc := allot.NewService(db, allot.NewManualClock(now), nil)
	companies, err := svc.Companies(ctx, allot.CompanyFilter{Search: "stark"})
	if err != nil || len(companies) != 1 {
		t.Fatalf("companies %v: %v", companies, err)
	}
	rules := &reclaim.Service{Ledger: svc, Store: db.Reclaim()}
	plans, err := rules.Preview(ctx, companies[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || plans[0].Rule.Enabled || len(plans[0].Warn) != 4 || len(plans[0].Reclaim) != 0 {
		t.Fatalf("Stark's plans %+v, want one rule, off, warning four learners", plans)
	}
	for _, e := range plans[0].Warn {
		if !e.ReclaimAt.Equal(now.Add(14 * 24 * time.Hour)) {
			t.Errorf("%s's seat goes back on %s, want two weeks from now", e.Email, e.ReclaimAt)
		}
	}
}
