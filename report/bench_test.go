package report_test

// The reports' benchmarks run every report over the million-seat ledger of
// package loadtest, as the vendor, as a partner's manager and as a company
// manager, on every backend (PostgreSQL when ALLOT_TEST_POSTGRES is set):
//
//	go test ./report -run '^$' -bench . -benchtime 5x
//
// Their goal is 200 ms a report on SQLite and 300 ms on PostgreSQL. A
// third of the ledger's learners logged in over the last 120 days, so that
// the reports of activity count logins, not an empty index.

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"allot"
	"allot/loadtest"
	"allot/report"
	"allot/store"
	"allot/storetest"
)

// benchNow is the time of the seeded ledger and of the benchmarks' clock.
var benchNow = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// BenchmarkReports reads each report in each scope.
func BenchmarkReports(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		svc := benchReports(b, be)
		scopes := []struct {
			name string
			p    allot.Principal
		}{
			{"vendor", allot.Principal{UserID: loadtest.AdminID, Role: allot.RoleVendorAdmin}},
			{"partner", allot.Principal{Role: allot.RolePartnerManager, PartnerID: 7}},
			{"company", allot.Principal{Role: allot.RoleCompanyManager, CompanyID: 4242}},
		}
		for _, k := range report.Kinds {
			for _, sc := range scopes {
				ctx := allot.WithPrincipal(context.Background(), sc.p)
				b.Run(k.Name+"/"+sc.name, func(b *testing.B) {
					cpu := cpuTime()
					for b.Loop() {
						if _, err := svc.Read(ctx, k.Name, report.Filter{}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
				})
			}
		}
	})
}

// cpuTime returns the processor time the process used so far, in user and
// system mode: unlike the time per operation, it does not grow when other
// processes share the machine. (PostgreSQL's work is in its own processes.)
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchReports returns the reports over a copy of the million-seat ledger
// on backend be, a third of whose learners logged in over the last 120
// days.
func benchReports(b *testing.B, be storetest.Backend) *report.Service {
	b.Helper()
	start := time.Now()
	url := benchLedger(b, be, benchNow)
	q := fmt.Sprintf(`UPDATE users SET last_login_at = %d - (id %% 120 + 1) * %d WHERE role = 'learner' AND id %% 3 = 0`,
		benchNow.UnixMicro(), (24 * time.Hour).Microseconds())
	change(b, be, url, q)
	b.Logf("the ledger on %s is ready in %s", be.Name, time.Since(start).Round(time.Millisecond))
	return openReports(b, url, benchNow)
}

// benchLedger returns the URL of a database of backend be holding the
// million-seat ledger seeded at now: a copy of the cached SQLite file, or a
// PostgreSQL schema seeded for this run.
func benchLedger(b *testing.B, be storetest.Backend, now time.Time) string {
	b.Helper()
	ctx := context.Background()
	url := be.URL(b)
	if be.Name == "sqlite" {
		cached, _, err := loadtest.Cached(ctx, os.TempDir(), "allot-bench-ledger", now)
		if err != nil {
			b.Fatal(err)
		}
		copyLedger(b, cached, url)
	} else if err := loadtest.Seed(ctx, url, now); err != nil {
		b.Fatal(err)
	}
	return url
}

// change runs statements on the ledger at url, then has PostgreSQL
// gather its statistics anew.
func change(b *testing.B, be storetest.Backend, url string, statements ...string) {
	b.Helper()
	plain := storetest.OpenPlain(b, url)
	if be.Name == "postgres" {
		statements = append(statements, "ANALYZE")
	}
	for _, q := range statements {
		if _, err := plain.Exec(q); err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
	}
}

// openReports returns the reports over the ledger at url, at now.
func openReports(b *testing.B, url string, now time.Time) *report.Service {
	b.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return &report.Service{Ledger: allot.NewService(db, allot.NewManualClock(now), nil), Store: db.Report()}
}

// copyLedger copies the cached ledger from to the benchmark's file to.
func copyLedger(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(strings.TrimPrefix(to, "file:"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}
