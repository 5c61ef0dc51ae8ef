package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/demo"
	"allot/directory"
	"allot/programme"
	"allot/scim"
	"allot/storetest"
	"allot/support"
)

func TestLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := allot.WithPrincipal(context.Background(), allot.System)
		db := b.Open(t)
		now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
		sum, err := demo.Load(ctx, db, now, allot.PasswordParams{Time: 1, Memory: 64, Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		if empty, err := demo.IsEmpty(ctx, db); err != nil || empty {
			t.Fatalf("IsEmpty after Load = %v, %v", empty, err)
		}
		svc := allot.NewService(db, allot.NewManualClock(now), nil)

		companies, err := svc.Companies(ctx, allot.CompanyFilter{})
		if err != nil || len(companies) != 5 {
			t.Fatalf("%d companies (%v), want 5", len(companies), err)
		}
		partners, err := svc.Partners(ctx, allot.PartnerFilter{})
		if err != nil || len(partners) != 2 {
			t.Fatalf("%d partners (%v), want 2", len(partners), err)
		}
		learners, err := svc.Users(ctx, allot.UserFilter{Roles: []allot.Role{allot.RoleLearner}, Limit: allot.MaxLimit})
		if err != nil || len(learners) != 211 {
			t.Fatalf("%d learners (%v), want 211: forty in each company, the new starter, five members of a programme, five people of Stark's directory",
				len(learners), err)
		}
		statuses := map[allot.OrderStatus]int{}
		orders, err := svc.Orders(ctx, allot.OrderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orders {
			statuses[o.Status]++
		}
		for _, st := range []allot.OrderStatus{allot.OrderRequested, allot.OrderAssigned, allot.OrderCancelled, allot.OrderRejected} {
			if statuses[st] == 0 {
				t.Errorf("no %s order in %v", st, statuses)
			}
		}

		counts := map[allot.Status]int{}
		for _, u := range learners {
			d, err := svc.Check(ctx, allot.EntitlementQuery{UserID: u.ID, ProductCode: "premium"})
			if err != nil {
				t.Fatal(err)
			}
			counts[d.Status]++
		}
		want := map[allot.Status]int{
			allot.StatusExpiring: 40, allot.StatusExpired: 40, allot.StatusUnlicensed: 10, allot.StatusReleased: 1,
			allot.StatusActive: 30 + 40 + 3, // Initech's 30 seats, Stark's 39 and its new starter, its design team
			"":                 45 + 2,      // Umbrella's learners and members have coaching seats, no premium one; two of Stark's directory none
		}
		for st, n := range want {
			if counts[st] != n {
				t.Errorf("%d learners %q, want %d (all: %v)", counts[st], st, n, counts)
			}
		}
		programs := &programme.Service{Ledger: svc, Store: db.Programme()}
		umbrella := companies[slices.IndexFunc(companies, func(c allot.Company) bool { return c.Name == "Umbrella Retail" })]
		pgs, err := programs.List(ctx, umbrella.ID)
		if err != nil || len(pgs) != 1 {
			t.Fatalf("Umbrella's programmes: %v, %v", pgs, err)
		}
		members, err := programs.Members(ctx, pgs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		byStatus := map[string]int{}
		for _, m := range members {
			byStatus[m.Status(now)]++
		}
		for _, st := range programme.Statuses {
			if byStatus[st] == 0 {
				t.Errorf("no %s member of the programme: %v", st, byStatus)
			}
		}
		if !strings.HasPrefix(sum.SCIMToken, scim.TokenPrefix) {
			t.Errorf("the SCIM token %q", sum.SCIMToken)
		}
		stark := companies[slices.IndexFunc(companies, func(c allot.Company) bool { return c.Name == "Stark Studios" })]
		dir := &directory.Service{Ledger: svc, Store: db.Directory()}
		if maps, err := dir.GroupMappings(ctx, stark.ID); err != nil || len(maps) != 1 {
			t.Errorf("Stark's group mappings %v (%v), want the design team's", maps, err)
		}
		checkDesk(t, ctx, &support.Service{Ledger: svc, Store: db.Support()})
		for _, a := range sum.Learners {
			d, err := svc.Check(ctx, allot.EntitlementQuery{Email: a.Email, ProductCode: "premium"})
			if err != nil || string(d.Status) != a.What {
				t.Errorf("%s is %q (%v), the summary says %s", a.Email, d.Status, err, a.What)
			}
		}
	})
}

// checkDesk checks the demo's desk: a help centre, requests in every
// status, one breached, one escalated, one with an internal note.
func checkDesk(t *testing.T, ctx context.Context, svc *support.Service) {
	t.Helper()
	if arts, err := svc.Articles(ctx, support.ArticleFilter{}); err != nil || len(arts) < 15 {
		t.Errorf("%d articles (%v), want the starter set of at least 15", len(arts), err)
	}
	rs, _, err := svc.Requests(ctx, support.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[support.Status]int{}
	breached, escalated, notes := 0, 0, 0
	for _, r := range rs {
		statuses[r.Status]++
		if r.Breached {
			breached++
		}
		if !r.Escalated.IsZero() {
			escalated++
		}
		th, err := svc.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range th.Messages {
			if m.Kind == support.MessageNote {
				notes++
			}
		}
	}
	for _, st := range support.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no %s request: %v", st, statuses)
		}
	}
	if breached != 1 || escalated != 1 || notes < 2 {
		t.Errorf("%d breached, %d escalated, %d notes; want one breached, one escalated, notes", breached, escalated, notes)
	}
}
