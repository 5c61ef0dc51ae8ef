package support_test

// The benchmarks of the desk run on every backend, PostgreSQL when
// ALLOT_TEST_POSTGRES is set:
//
//	go test ./support -run '^$' -bench Queue -benchtime 20x -v
//
// -v shows how long seeding took and how many requests each queue holds.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/support"
)

// The desk the queue benchmarks read: deskRequests requests of the
// requesters of deskCompanies companies, a tenth of them direct customers
// and the others spread over deskPartners partners.
const (
	deskRequests  = 100_000
	deskCompanies = 500
	deskPartners  = 10
	deskBatch     = 5_000 // requests stored per transaction
)

// deskNow is the benchmarks' time: the requests were opened in the half
// year before it.
var deskNow = time.Date(2026, 9, 7, 10, 0, 0, 0, time.UTC)

// desk is the seeded desk: its service, an agent and the companies.
type desk struct {
	svc       *support.Service
	agent     allot.Principal
	companies []allot.Company
}

// BenchmarkQueue measures an agent's queue, Service.Requests, over the
// seeded desk: Support's active requests in the desk's order, a page of
// 50; and one company's breached requests in the same order.
func BenchmarkQueue(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		d := seedDesk(b, be)
		ctx := allot.WithPrincipal(context.Background(), d.agent)
		queue := support.RequestFilter{Queue: true, Active: true, Team: support.TeamSupport, Limit: 50}
		b.Run("support", func(b *testing.B) { benchQueue(b, ctx, d.svc, queue) })
		breached := queue
		breached.CompanyID, breached.Breached = d.companies[7].ID, true
		b.Run("company-breached", func(b *testing.B) { benchQueue(b, ctx, d.svc, breached) })
	})
}

// benchQueue reads the queue f selects, failing unless it holds a full
// page of requests in the desk's order that f selects.
func benchQueue(b *testing.B, ctx context.Context, svc *support.Service, f support.RequestFilter) {
	rs, total, err := svc.Requests(ctx, f)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d requests in the queue, %d on its first page", total, len(rs))
	if len(rs) == 0 || len(rs) > f.Limit || total < len(rs) {
		b.Fatalf("%d requests of %d on the page: the benchmark would measure nothing", len(rs), total)
	}
	checkQueue(b, f, rs)
	for b.Loop() {
		if _, _, err := svc.Requests(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
}

// checkQueue fails unless each request of rs is one f selects, urgent ones
// first, then by due time, those due at no time last.
func checkQueue(b *testing.B, f support.RequestFilter, rs []support.Request) {
	b.Helper()
	rank := func(r support.Request) (bool, bool, time.Time) {
		return r.Priority != support.Urgent, r.DueAt.IsZero(), r.DueAt
	}
	for i, r := range rs {
		if r.Team != f.Team || r.Status == support.StatusSolved || r.Status == support.StatusClosed ||
			f.CompanyID != 0 && r.CompanyID != f.CompanyID || f.Breached && !r.Breached {
			b.Fatalf("request %+v is not of the queue %+v", r, f)
		}
		if i == 0 {
			continue
		}
		pu, pz, pd := rank(rs[i-1])
		u, z, d := rank(r)
		if pu != u && pu || pu == u && (pz != z && pz || pz == z && pd.After(d)) {
			b.Fatalf("request %d (%s, due %s) before %d (%s, due %s)", rs[i-1].ID, rs[i-1].Priority, rs[i-1].DueAt,
				r.ID, r.Priority, r.DueAt)
		}
	}
}

// seedDesk makes the desk on a fresh store of be: its people and
// companies through the kernel's services, its requests straight through
// the desk's Tx, deskBatch to a transaction, each as Open would store it
// and then as the desk left it.
func seedDesk(b *testing.B, be storetest.Backend) desk {
	b.Helper()
	start := time.Now()
	db := be.Open(b)
	clock := allot.NewManualClock(deskNow)
	ledger := allot.NewService(db, clock, nil)
	d := desk{svc: &support.Service{Ledger: ledger, Store: db.Support()}}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	agent, err := ledger.CreateStaff(sys, allot.NewUser{Email: "agent@vendor.test", Role: allot.RoleSupportAgent})
	if err != nil {
		b.Fatal(err)
	}
	d.agent = agent.Principal()
	pols, err := d.svc.Policies(allot.WithPrincipal(context.Background(), d.agent))
	if err != nil {
		b.Fatal(err)
	}
	requesters := seedRequesters(b, ledger, &d)
	workers := 1 // SQLite writes one transaction at a time
	if be.Name == "postgres" {
		workers = 4 // PostgreSQL's batches wait on the network more than on each other
	}
	batches := make(chan int)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			var err error
			for from := range batches {
				if err == nil {
					err = seedBatch(db.Support(), from, pols[0], requesters, d.agent)
				}
			}
			errs <- err
		}()
	}
	for from := 0; from < deskRequests; from += deskBatch {
		batches <- from
	}
	close(batches)
	for range workers {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d requests of %d companies on %s in %s", deskRequests, deskCompanies, be.Name, time.Since(start).Round(time.Millisecond))
	return d
}

// seedBatch stores the requests from from on, deskBatch of them, in one
// transaction. Each batch draws from its own seed, so that the desk is the
// same however its batches are spread.
func seedBatch(st support.Store, from int, pol support.Policy, requesters []requester, agent allot.Principal) error {
	rng := rand.New(rand.NewPCG(18, uint64(from)))
	sys := allot.WithPrincipal(context.Background(), allot.System)
	return allot.Write(sys, st, func(tx support.Tx, _ allot.Principal) error {
		for i := from; i < min(from+deskBatch, deskRequests); i++ {
			s := deskRequest(rng, i, pol, requesters[rng.IntN(len(requesters))], agent)
			if err := tx.CreateRequest(&s.r, &s.m, s.ts); err != nil {
				return fmt.Errorf("request %d: %w", i, err)
			}
		}
		return nil
	})
}

// requester is who opens a request: a company's manager or learner.
type requester struct {
	company allot.Company
	user    allot.User
}

// seedRequesters makes the partners and companies, each with a manager and
// a learner, and returns those people.
func seedRequesters(b *testing.B, ledger *allot.Service, d *desk) []requester {
	b.Helper()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	partners := make([]int64, deskPartners)
	for i := range partners {
		p, err := ledger.CreatePartner(sys, allot.Partner{Name: fmt.Sprintf("Partner %d", i)})
		if err != nil {
			b.Fatal(err)
		}
		partners[i] = p.ID
	}
	var out []requester
	for i := range deskCompanies {
		nc := allot.NewCompany{Name: fmt.Sprintf("Company %d", i)}
		if i%10 != 0 {
			nc.PartnerID = partners[i%deskPartners]
		}
		c, _, err := ledger.CreateCompany(sys, nc)
		if err != nil {
			b.Fatal(err)
		}
		d.companies = append(d.companies, c)
		acting := allot.WithPrincipal(context.Background(), allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: c.ID})
		for _, role := range []allot.Role{allot.RoleCompanyManager, allot.RoleLearner} {
			u, err := ledger.AddUser(acting, allot.NewUser{Email: fmt.Sprintf("%s%d@company%d.test", role, i, i), CompanyID: c.ID, Role: role})
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, requester{company: c, user: u})
		}
	}
	return out
}

// seeded is a request to store with its first message and targets.
type seeded struct {
	r  support.Request
	m  support.Message
	ts []support.TargetState
}

// deskRequest makes request i of the desk as it stands at deskNow: seven
// in ten solved or closed over the half year, the others opened in the
// last ten days, so that the older of those are past their targets.
func deskRequest(rng *rand.Rand, i int, pol support.Policy, q requester, agent allot.Principal) seeded {
	rt := support.DefaultRoutes[rng.IntN(len(support.DefaultRoutes))]
	pr := pick(rng, []support.Priority{support.Low, support.Normal, support.High, support.Urgent}, []int{20, 50, 22, 8})
	st := pick(rng, []support.Status{support.StatusNew, support.StatusOpen, support.StatusWaiting, support.StatusSolved, support.StatusClosed},
		[]int{10, 12, 8, 20, 50})
	age := time.Duration(rng.Int64N(int64(180 * 24 * time.Hour)))
	if st != support.StatusSolved && st != support.StatusClosed {
		age = time.Duration(rng.Int64N(int64(10 * 24 * time.Hour)))
	}
	at := deskNow.Add(-age)
	r := support.Request{CompanyID: q.company.ID, PartnerID: q.company.PartnerID, RequesterID: q.user.ID, Requester: q.user.Email,
		Subject: fmt.Sprintf("Request %d", i), Category: rt.Category, Team: rt.Team, Priority: pr, Status: st,
		PolicyID: pol.ID, Token: fmt.Sprintf("bench%07d", i), CreatedAt: at, UpdatedAt: at}
	ts := deskTargets(rng, pol, r, at)
	for _, t := range ts {
		late := t.Running() && !t.Paused && t.Due.Before(deskNow) || !t.Running() && !t.Paused && t.MetAt.After(t.Due)
		r.Breached = r.Breached || late
		if t.Running() && !t.Paused && (r.DueAt.IsZero() || t.Due.Before(r.DueAt)) {
			r.DueAt = t.Due
		}
	}
	if st != support.StatusNew {
		r.AssigneeID, r.Assignee = agent.UserID, agent.Email
	}
	m := support.Message{Kind: support.MessageCustomer, AuthorID: q.user.ID, Author: q.user.Email, Body: "It does not work.",
		Via: support.ViaWeb, CreatedAt: at}
	return seeded{r: r, m: m, ts: ts}
}

// deskTargets are the first response and resolution targets of r, opened
// at at, as its status leaves them: a new request's both run; the desk
// answered the others within a few hours; waiting and solved pause the
// resolution, closed meets it.
func deskTargets(rng *rand.Rand, pol support.Policy, r support.Request, at time.Time) []support.TargetState {
	tg := pol.For(r.Priority)
	first := support.TargetState{Target: support.Start(pol.Calendar, at, tg.FirstResponse), Kind: support.KindFirstResponse,
		Length: tg.FirstResponse, StartedAt: at}
	res := support.TargetState{Target: support.Start(pol.Calendar, at, tg.Resolution), Kind: support.KindResolution,
		Length: tg.Resolution, StartedAt: at}
	if r.Status == support.StatusNew {
		return []support.TargetState{first, res}
	}
	answered := at.Add(time.Duration(rng.Int64N(int64(16 * time.Hour))))
	if answered.After(deskNow) {
		answered = deskNow
	}
	first.MetAt = answered
	switch r.Status {
	case support.StatusWaiting, support.StatusSolved:
		res.Target = res.Pause(pol.Calendar, answered)
	case support.StatusClosed:
		res.MetAt = answered
	}
	return []support.TargetState{first, res}
}

// pick draws one of vs, each as often as its weight in ws says.
func pick[T any](rng *rand.Rand, vs []T, ws []int) T {
	total := 0
	for _, w := range ws {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range ws {
		if n < w {
			return vs[i]
		}
		n -= w
	}
	return vs[len(vs)-1]
}
