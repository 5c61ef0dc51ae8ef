package main

import (
	"strings"
	"testing"
)

// pgbenchOutput is what pgbench 15 prints for a select-only run.
const pgbenchOutput = `pgbench (15.20 (Debian 15.20-0+deb12u1))
transaction type: <builtin: select only>
scaling factor: 10
query mode: prepared
number of clients: 2
number of threads: 2
maximum number of tries: 1
duration: 10 s
number of transactions actually processed: 63750
number of failed transactions: 0 (0.000%)
latency average = 0.296 ms
initial connection time = 104.472 ms
tps = 6767.386610 (without initial connection time)
`

func TestPgbenchResult(t *testing.T) {
	p, err := pgbenchResult(pgbenchOutput)
	if err != nil {
		t.Fatal(err)
	}
	if p.Ops != 63750 || p.Rate != 6767.386610 {
		t.Errorf("got %d transactions at %f/s, want 63750 at 6767.386610/s", p.Ops, p.Rate)
	}
	for _, tc := range []struct{ name, out string }{
		{"failed transactions", strings.Replace(pgbenchOutput, "failed transactions: 0 (0.000%)", "failed transactions: 3 (0.005%)", 1)},
		{"no tps", strings.Replace(pgbenchOutput, "tps = ", "", 1)},
		{"no transactions", strings.Replace(pgbenchOutput, "actually processed", "processed", 1)},
		{"nothing", "pgbench: error: connection to server failed\n"},
	} {
		if _, err := pgbenchResult(tc.out); err == nil {
			t.Errorf("%s: read as a result", tc.name)
		}
	}
}

func TestParseClients(t *testing.T) {
	got, err := parseClients("1, 2,4,2")
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 4 {
		t.Errorf("parseClients(1, 2,4,2) = %v, %v; want [1 2 4]", got, err)
	}
	for _, bad := range []string{"", "0", "1,x", "17"} {
		if _, err := parseClients(bad); err == nil {
			t.Errorf("parseClients(%q) accepted", bad)
		}
	}
	if got := pgClients([]int{1, 2, 4}); len(got) != 4 || got[3] != 8 {
		t.Errorf("pgClients(1, 2, 4) = %v, want [1 2 4 8]", got)
	}
}
