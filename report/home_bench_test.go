package report_test

// The home pages' benchmarks read each home page and the renewal pipeline
// over the million-seat ledger of package loadtest, given something in
// every part, on every backend (PostgreSQL when ALLOT_TEST_POSTGRES is set):
//
//	go test ./report -run '^$' -bench 'Home|Pipeline' -benchtime 20x
//
// Their goal is 200 ms a page on SQLite and 300 ms on PostgreSQL.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"allot"
	"allot/loadtest"
	"allot/report"
	"allot/storetest"
)

// homeBenchNow is the time of the seeded ledger and of the benchmarks'
// clock.
var homeBenchNow = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// The principals whose pages are read: the manager of one company, the
// manager of one partner (a hundred companies) and the vendor admin (ten
// thousand).
var homeReaders = []struct {
	name string
	p    allot.Principal
}{
	{"company", allot.Principal{UserID: loadtest.Learners + 4500, Role: allot.RoleCompanyManager, CompanyID: 4500}},
	{"partner", allot.Principal{Role: allot.RolePartnerManager, PartnerID: 1}},
	{"vendor", allot.Principal{UserID: loadtest.AdminID, Role: allot.RoleVendorAdmin}},
}

// BenchmarkHome reads each reader's home page.
func BenchmarkHome(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		svc := homeLedger(b, be)
		for _, r := range homeReaders {
			ctx := allot.WithPrincipal(context.Background(), r.p)
			h, err := svc.Home(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if h.Expiring.In30 == 0 || h.Orders.Requested == 0 || h.Waiting.Learners == 0 || h.Expired.Learners == 0 ||
				r.name != "company" && (h.Use.High == 0 || h.Use.Low == 0) {
				b.Fatalf("%s's home page misses a part the ledger has: %+v", r.name, h)
			}
			b.Run(r.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Home(ctx, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkHomeParts reads each part of the home pages alone, in each
// scope, to tell which costs what.
func BenchmarkHomeParts(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		svc := homeLedger(b, be)
		parts := []struct {
			name string
			read func(tx report.Tx, q report.HomeQuery) error
		}{
			{"expiring", func(tx report.Tx, q report.HomeQuery) error { _, err := tx.HomeExpiring(q); return err }},
			{"orders", func(tx report.Tx, q report.HomeQuery) error {
				_, err := tx.HomeOrders(report.OrdersQuery{CompanyID: q.CompanyID, PartnerID: q.PartnerID, Direct: q.CompanyID == 0 && q.PartnerID == 0, Limit: q.Limit})
				return err
			}},
			{"use", func(tx report.Tx, q report.HomeQuery) error { _, err := tx.HomeUse(q); return err }},
			{"waiting", func(tx report.Tx, q report.HomeQuery) error { _, err := tx.HomeWaiting(q); return err }},
			{"expired", func(tx report.Tx, q report.HomeQuery) error { _, err := tx.HomeExpired(q); return err }},
		}
		for _, r := range homeReaders {
			q := report.HomeQuery{CompanyID: r.p.CompanyID, PartnerID: r.p.PartnerID, Now: homeBenchNow, Limit: report.HomeLines}
			for _, part := range parts {
				b.Run(r.name+"/"+part.name, func(b *testing.B) {
					for b.Loop() {
						if err := svc.Store.Read(context.Background(), func(tx report.Tx) error { return part.read(tx, q) }); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	})
}

// BenchmarkPipeline reads the first page of the renewal pipeline of a
// partner and of the vendor.
func BenchmarkPipeline(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		svc := homeLedger(b, be)
		for _, r := range homeReaders[1:] {
			ctx := allot.WithPrincipal(context.Background(), r.p)
			pl, err := svc.Pipeline(ctx, report.PipelineFilter{})
			if err != nil || len(pl.Lines) == 0 {
				b.Fatalf("%s's pipeline: %d lines, %v", r.name, len(pl.Lines), err)
			}
			b.Run(r.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Pipeline(ctx, report.PipelineFilter{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// homeLedger returns the reports over a copy of the million-seat ledger on
// backend be, changed so that every part of a home page has something:
// one company in a thousand is a direct customer, a tenth of the pools end
// within 90 days and a seventh are little used, the seats of one company
// in fifty expired, one company in twenty has an order requested and one
// in twenty-five five learners waiting.
func homeLedger(b *testing.B, be storetest.Backend) *report.Service {
	b.Helper()
	start := time.Now()
	url := benchLedger(b, be, homeBenchNow)
	now, day := homeBenchNow.UnixMicro(), (24 * time.Hour).Microseconds()
	change(b, be, url,
		`UPDATE companies SET partner_id = 0 WHERE id % 1000 = 0`,
		fmt.Sprintf(`UPDATE pools SET ends_at = %d + (id %% 90 + 1) * %d WHERE id %% 10 = 0`, now, day),
		`UPDATE pools SET used = 10 WHERE id % 7 = 0`,
		fmt.Sprintf(`UPDATE seats SET ends_at = %d WHERE company_id %% 50 = 0 AND released_at = 0`, now-7*day),
		fmt.Sprintf(`INSERT INTO orders (company_id, partner_id, product_id, quantity, term_months, status, requested_by, requested_at)
			SELECT id, partner_id, 1, 20, 12, 'requested', %d, %d FROM companies WHERE id %% 20 = 0`, loadtest.AdminID, now-day),
		fmt.Sprintf(`INSERT INTO waiting (user_id, product_id, company_id, reason, since)
			SELECT id, 1, company_id, 'no free seat', %d FROM users WHERE role = 'learner' AND id %% 20 = 0 AND company_id %% 25 = 0`, now-day),
	)
	b.Logf("the ledger on %s is ready in %s", be.Name, time.Since(start).Round(time.Millisecond))
	return openReports(b, url, homeBenchNow)
}
