package ldap_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"allot/ldap"
	"allot/ldap/ldaptest"
)

// benchPeople is the size of the benchmarks' directory: 100,000 people in
// 100 groups of 1,000, the groups in ten divisions, loaded offline with
// slapadd before slapd starts.
const benchPeople = 100_000

// startBenchSlapd loads the benchmarks' directory and starts slapd on it,
// logging how long loading took.
func startBenchSlapd(b *testing.B) *ldaptest.Server {
	b.Helper()
	start := time.Now()
	s := ldaptest.StartFrom(b, ldaptest.Large(benchPeople))
	b.Logf("loaded %d people and %d groups with slapadd and started slapd in %v",
		benchPeople, benchPeople/1000+benchPeople/10000, time.Since(start).Round(time.Millisecond))
	return s
}

// BenchmarkReadAll reads the 100,000 people and their groups from a real
// slapd, page by page; it reports entries/s and the process's peak RSS
// during the reads (VmHWM, reset before them).
func BenchmarkReadAll(b *testing.B) {
	s := startBenchSlapd(b)
	src := mustNewB(b, s.Config())
	ctx := context.Background()
	ldaptest.ResetPeakRSS(b)
	var (
		n   int
		res *ldap.Result
		err error
	)
	for b.Loop() {
		res = nil // the last read's result is not kept during this one
		res, err = src.ReadAll(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.People)
		if n != benchPeople {
			b.Fatalf("read %d people, want %d", n, benchPeople)
		}
		for _, p := range res.People {
			if len(p.Groups) != 2 || p.ManagerAnchor == "" {
				b.Fatalf("%s: groups %q, manager %q; want a group, its division and a manager", p.DN, p.Groups, p.ManagerAnchor)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(ldaptest.PeakRSSMB(b), "peak-RSS-MB")
	b.ReportMetric(liveHeapMB(res), "result-heap-MB")
}

// liveHeapMB returns the heap in use, after a collection, while v is alive:
// what a read's result holds.
func liveHeapMB(v any) float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(v)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkReadChanged reads 1,000 people changed since a full read, out of
// the 100,000.
func BenchmarkReadChanged(b *testing.B) {
	s := startBenchSlapd(b)
	src := mustNewB(b, s.Config())
	ctx := context.Background()
	full, err := src.ReadAll(ctx)
	if err != nil {
		b.Fatal(err)
	}
	mark := full.Mark
	full = nil // only its mark is kept
	for i := range 1000 {
		s.Modify(b, ldaptest.LargeDN(i*97), func(m *goldap.ModifyRequest) {
			m.Replace("mail", []string{fmt.Sprintf("changed%d@example.com", i)})
		})
	}
	ldaptest.ResetPeakRSS(b)
	for b.Loop() {
		res, err := src.ReadChanged(ctx, mark)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.People) != 1001 { // and the one changed at the mark
			b.Fatalf("read %d changed people, want 1,001", len(res.People))
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(ldaptest.PeakRSSMB(b), "peak-RSS-MB")
}

func mustNewB(b *testing.B, cfg ldap.Config) *ldap.Source {
	b.Helper()
	src, err := ldap.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return src
}
