package ldap_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"allot/ldap"
	"allot/ldap/ldaptest"
)

// benchPeople is the size of the benchmarks' directory: 100,000 people in
// 100 groups of 1,000, the groups in ten groups of ten, loaded offline with
// slapadd before slapd starts.
const (
	benchPeople = 100_000
	benchGroups = 100
	benchLoaded = "20240101000000Z"
	benchLatest = "20240101010000Z"
)

// benchLDIF writes the benchmarks' directory.
func benchLDIF(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for i := range benchPeople {
		p := ldaptest.Person{UID: fmt.Sprintf("b%06d", i), Department: fmt.Sprintf("D%d", i%20),
			Manager: fmt.Sprintf("uid=b%06d,%s", i/100*100, ldaptest.People), ModifiedAt: benchLoaded}
		if i == benchPeople-1 {
			p.ModifiedAt = benchLatest // the mark of a full read
		}
		if _, err := io.WriteString(bw, p.LDIF()); err != nil {
			return err
		}
	}
	for g := range benchGroups {
		var members []string
		for i := g * 1000; i < (g+1)*1000; i++ {
			members = append(members, fmt.Sprintf("uid=b%06d,%s", i, ldaptest.People))
		}
		if _, err := io.WriteString(bw, ldaptest.Group{CN: fmt.Sprintf("g%03d", g), Members: members, ModifiedAt: benchLoaded}.LDIF()); err != nil {
			return err
		}
	}
	for parent := range benchGroups / 10 {
		var members []string
		for g := parent * 10; g < (parent+1)*10; g++ {
			members = append(members, ldaptest.GroupDN(fmt.Sprintf("g%03d", g)))
		}
		if _, err := io.WriteString(bw, ldaptest.Group{CN: fmt.Sprintf("division%d", parent), Members: members, ModifiedAt: benchLoaded}.LDIF()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// startBenchSlapd loads the benchmarks' directory and starts slapd on it,
// logging how long loading took.
func startBenchSlapd(b *testing.B) *ldaptest.Server {
	b.Helper()
	start := time.Now()
	s := ldaptest.StartFrom(b, benchLDIF)
	b.Logf("loaded %d people and %d groups with slapadd and started slapd in %v",
		benchPeople, benchGroups+benchGroups/10, time.Since(start).Round(time.Millisecond))
	return s
}

// BenchmarkReadAll reads the 100,000 people and their groups from a real
// slapd, page by page; it reports entries/s and the process's peak RSS
// during the reads (VmHWM, reset before them).
func BenchmarkReadAll(b *testing.B) {
	s := startBenchSlapd(b)
	src := mustNewB(b, s.Config())
	ctx := context.Background()
	resetPeakRSS(b)
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
	b.ReportMetric(peakRSSMB(b), "peak-RSS-MB")
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
		s.Modify(b, fmt.Sprintf("uid=b%06d,%s", i*97, ldaptest.People), func(m *goldap.ModifyRequest) {
			m.Replace("mail", []string{fmt.Sprintf("changed%d@example.com", i)})
		})
	}
	resetPeakRSS(b)
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
	b.ReportMetric(peakRSSMB(b), "peak-RSS-MB")
}

func mustNewB(b *testing.B, cfg ldap.Config) *ldap.Source {
	b.Helper()
	src, err := ldap.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// resetPeakRSS frees what setting up left and resets the kernel's record of
// the process's peak resident set (VmHWM).
func resetPeakRSS(b *testing.B) {
	b.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("peak RSS not reset (%v): it counts setting up too", err)
	}
	b.Logf("resident before the reads: %.1f MB", statusMB(b, "VmRSS:"))
}

// peakRSSMB returns VmHWM from /proc/self/status, in MiB.
func peakRSSMB(b *testing.B) float64 {
	b.Helper()
	return statusMB(b, "VmHWM:")
}

// statusMB returns a field of /proc/self/status given in kB, in MiB.
func statusMB(b *testing.B, field string) float64 {
	b.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte(field)); ok {
			kb, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
