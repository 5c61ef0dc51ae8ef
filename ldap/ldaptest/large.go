package ldaptest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"testing"
)

// When the entries of a Large directory changed: all at LargeLoaded but
// its last person, at LargeLatest, the mark a full read of it returns.
const (
	LargeLoaded = "20240101000000Z"
	LargeLatest = "20240101010000Z"
)

// LargeUID is the uid of person i of a Large directory; LargeDN their DN.
func LargeUID(i int) string { return fmt.Sprintf("b%06d", i) }
func LargeDN(i int) string  { return "uid=" + LargeUID(i) + "," + People }

// Large returns the writer of a directory for benchmarks, to give
// StartFrom: people people (each in department D0 to D19, managed by the
// first of their hundred, with the mail uid@bench.test), in groups g000…
// of 1,000, the groups in divisions of ten.
func Large(people int) func(io.Writer) error {
	return func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for i := range people {
			p := Person{UID: LargeUID(i), Mail: LargeUID(i) + "@bench.test", Department: fmt.Sprintf("D%d", i%20),
				Manager: LargeDN(i / 100 * 100), ModifiedAt: LargeLoaded}
			if i == people-1 {
				p.ModifiedAt = LargeLatest
			}
			if _, err := io.WriteString(bw, p.LDIF()); err != nil {
				return err
			}
		}
		groups := people / 1000
		for g := range groups {
			members := make([]string, 0, 1000)
			for i := g * 1000; i < (g+1)*1000; i++ {
				members = append(members, LargeDN(i))
			}
			if _, err := io.WriteString(bw, Group{CN: fmt.Sprintf("g%03d", g), Members: members, ModifiedAt: LargeLoaded}.LDIF()); err != nil {
				return err
			}
		}
		for d := range groups / 10 {
			var members []string
			for g := d * 10; g < (d+1)*10; g++ {
				members = append(members, GroupDN(fmt.Sprintf("g%03d", g)))
			}
			if _, err := io.WriteString(bw, Group{CN: fmt.Sprintf("division%d", d), Members: members, ModifiedAt: LargeLoaded}.LDIF()); err != nil {
				return err
			}
		}
		return bw.Flush()
	}
}

// ResetPeakRSS returns the memory it can to the system and resets the
// process's peak resident set, so that PeakRSSMB measures what follows.
func ResetPeakRSS(tb testing.TB) {
	tb.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Logf("peak RSS not reset (%v): it counts setting up too", err)
	}
}

// PeakRSSMB returns the process's peak resident set (VmHWM), in MiB.
func PeakRSSMB(tb testing.TB) float64 { return statusMB(tb, "VmHWM:") }

// statusMB returns a field of /proc/self/status given in kB, in MiB.
func statusMB(tb testing.TB, field string) float64 {
	tb.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Fatal(err)
	}
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte(field)); ok {
			kb, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))))
			if err != nil {
				tb.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	tb.Fatalf("no %s in /proc/self/status", field)
	return 0
}
