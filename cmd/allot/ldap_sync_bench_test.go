package main

// The LDAP sync's benchmarks, on every backend, read from a real slapd:
//
//	go test -run '^$' -bench LDAPSync -benchtime 1x -v ./cmd/allot
//
// The directory holds 100,000 people in 100 groups of 1,000, the groups in
// ten divisions, loaded with slapadd. A company with a pool of enough
// seats of its default product connects it through the ldap source. The
// full run adds everyone, each with a seat; the incremental run, after a
// full one, reads and applies 1,000 changes (950 people modified, of whom
// 50 disabled, and 50 new). Each reports seconds and entries/s of the run
// and the process's peak resident set during it (VmHWM, reset before it);
// run them again with GOMEMLIMIT set to see what a memory limit makes of
// the peak.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"allot"
	"allot/directory"
	"allot/ldap/ldaptest"
	"allot/storetest"
)

const benchPeople = 100_000

// startBenchDirectory loads the benchmarks' directory and starts slapd.
func startBenchDirectory(b *testing.B) *ldaptest.Server {
	b.Helper()
	start := time.Now()
	s := ldaptest.StartFrom(b, ldaptest.Large(benchPeople))
	b.Logf("loaded %d people with slapadd and started slapd in %v", benchPeople, time.Since(start).Round(time.Millisecond))
	return s
}

// benchCompany is a company connected to the benchmarks' directory, on a
// fresh database.
type benchCompany struct {
	dir  *directory.Service
	conn directory.Connection
	ctx  context.Context // as the company's directory
}

func newBenchCompany(b *testing.B, be storetest.Backend, s *ldaptest.Server) benchCompany {
	b.Helper()
	db := storetest.OpenURL(b, be.URL(b))
	svc := allot.NewService(db, allot.NewManualClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)), nil)
	dir := &directory.Service{Ledger: svc, Store: db.Directory(), Sources: sources}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	_, err := svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"})
	must(err)
	c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: "Bench", DefaultProductCode: "premium"})
	must(err)
	o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 2 * benchPeople})
	must(err)
	_, _, err = svc.AssignOrder(sys, o.ID)
	must(err)
	config, err := json.Marshal(s.Config())
	must(err)
	ctx := allot.WithPrincipal(context.Background(), directory.Principal(c.ID, "ldap"))
	conn, err := dir.Connect(ctx, directory.NewConnection{CompanyID: c.ID, Kind: "ldap", Config: string(config),
		Secret: ldaptest.ReaderPassword})
	must(err)
	return benchCompany{dir: dir, conn: conn, ctx: ctx}
}

// sync runs the company's sync now and checks its counts.
func (bc benchCompany) sync(b *testing.B, full bool, add, update int) directory.SyncRun {
	b.Helper()
	r, err := bc.dir.SyncNow(bc.ctx, bc.conn.ID, full, false)
	if err != nil {
		b.Fatal(err)
	}
	if r.Status != directory.SyncApplied || r.Add != add || r.Update != update || r.Deprovision != 0 || len(r.Problems) != 0 {
		b.Fatalf("run %s: %d added, %d updated, %d deprovisioned, %d unchanged, problems %.3v; want %d added, %d updated",
			r.Status, r.Add, r.Update, r.Deprovision, r.Unchanged, r.Problems, add, update)
	}
	return r
}

// BenchmarkLDAPSyncFull syncs the 100,000 people into a company that has
// none: each gets a seat.
func BenchmarkLDAPSyncFull(b *testing.B) {
	s := startBenchDirectory(b)
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		var (
			elapsed time.Duration
			peak    float64
		)
		for range b.N {
			b.StopTimer()
			bc := newBenchCompany(b, be, s)
			ldaptest.ResetPeakRSS(b)
			b.StartTimer()
			start := time.Now()
			bc.sync(b, true, benchPeople, 0)
			elapsed += time.Since(start)
			b.StopTimer()
			peak = max(peak, ldaptest.PeakRSSMB(b))
			b.StartTimer()
		}
		b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/run")
		b.ReportMetric(float64(benchPeople*b.N)/elapsed.Seconds(), "entries/s")
		b.ReportMetric(peak, "peak-RSS-MB")
	})
}

// BenchmarkLDAPSyncIncremental applies 1,000 changes to the 100,000
// people, after a full run: each run 900 modified, 50 disabled, 50 new.
func BenchmarkLDAPSyncIncremental(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		b.StopTimer()
		s := startBenchDirectory(b) // each time the benchmark runs: it changes the directory
		bc := newBenchCompany(b, be, s)
		bc.sync(b, true, benchPeople, 0)
		var (
			elapsed time.Duration
			peak    float64
		)
		for n := range b.N {
			change(b, s, n)
			ldaptest.ResetPeakRSS(b)
			b.StartTimer()
			start := time.Now()
			bc.sync(b, false, 50, 950)
			elapsed += time.Since(start)
			b.StopTimer()
			peak = max(peak, ldaptest.PeakRSSMB(b))
		}
		b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/run")
		b.ReportMetric(float64(1000*b.N)/elapsed.Seconds(), "entries/s")
		b.ReportMetric(peak, "peak-RSS-MB")
	})
}

// change makes the 1,000 changes of round n in the directory: 900 people
// move to a department of the round, 50 are disabled, and 50 join.
func change(b *testing.B, s *ldaptest.Server, n int) {
	b.Helper()
	for k := range 950 {
		i := (n*1000 + k*97) % benchPeople
		s.Modify(b, ldaptest.LargeDN(i), func(m *goldap.ModifyRequest) {
			if k < 900 {
				m.Replace("departmentNumber", []string{fmt.Sprintf("Round %d", n)})
			} else {
				m.Replace("pwdAccountLockedTime", []string{"000001010000Z"})
			}
		})
	}
	var ldif bytes.Buffer
	for k := range 50 {
		uid := fmt.Sprintf("r%03d-%02d", n, k)
		ldif.WriteString(ldaptest.Person{UID: uid, Mail: uid + "@bench.test"}.LDIF())
	}
	s.Add(b, ldif.String())
}
