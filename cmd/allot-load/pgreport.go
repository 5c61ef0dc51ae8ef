package main

import (
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"

	"allot/loadtest"
)

// The goals on PostgreSQL: allot's checks per second against pgbench's
// select-only transactions per second at the same number of clients, and
// two allot processes against one.
const (
	goalPgbenchRatio   = 0.5
	goalProcessesRatio = 1.6
)

// pgReport prints the summary of a run on PostgreSQL.
func pgReport(w io.Writer, c config, r pgResults) {
	var checks, refused int64
	for _, n := range r.Clients {
		checks, refused = checks+r.One[n].Ops+r.Two[n].Ops, refused+r.One[n].Refused+r.Two[n].Refused
	}
	fmt.Fprintf(w, "\nallot-load -postgres: the entitlement check against pgbench -S -M prepared on PostgreSQL %s, loopback\n", r.Version)
	fmt.Fprintf(w, "machine: %d CPUs shared by PostgreSQL (shared_buffers %s), pgbench and allot; load average before the run %s\n",
		runtime.NumCPU(), r.SharedBuffers, r.LoadAvg)
	fmt.Fprintf(w, "pgbench: scale %d (%s accounts), -j as many as the clients up to one per CPU\n", c.Scale, thousands(int64(c.Scale)*100_000))
	fmt.Fprintf(w, "allot:   Service.Check by e-mail of learners drawn at random, %s seats; GOMAXPROCS %d per process\n",
		thousands(loadtest.Learners), runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "         %s decisions, each as the ledger says; %s refused, which adds the look-up of whom to ask\n",
		thousands(checks), thousands(refused))
	fmt.Fprintf(w, "each phase %s after %s not counted; CPU/op is the whole machine's busy CPU time per operation\n\n", c.Duration, pgWarmUp)

	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "clients\tpgbench tps\tallot checks/s\tratio\tgoal ≥ %.2f\tCPU/op: pgbench\tallot\tof it allot's own\t\n", goalPgbenchRatio)
	for _, n := range r.Clients {
		b, a := r.Pgbench[n], r.One[n]
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t\n", n, thousands(int64(b.Rate)), thousands(int64(a.Rate)),
			a.Rate/b.Rate, verdict(a.Rate >= goalPgbenchRatio*b.Rate), b.cpuPerOp(b.Machine), a.cpuPerOp(a.Machine), a.cpuPerOp(a.Own))
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintf(tw, "callers per process\tone process\ttwo processes\tratio\tgoal ≥ %.1f\tpgbench 2C/C\tCPU/op: one\ttwo\t\n", goalProcessesRatio)
	for _, n := range r.Clients {
		one, two := r.One[n], r.Two[n]
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\t%.2f\t%s\t%s\t\n", n, thousands(int64(one.Rate)), thousands(int64(two.Rate)),
			two.Rate/one.Rate, verdict(two.Rate >= goalProcessesRatio*one.Rate), r.Pgbench[2*n].Rate/r.Pgbench[n].Rate,
			one.cpuPerOp(one.Machine), two.cpuPerOp(two.Machine))
	}
	tw.Flush()
	fmt.Fprintln(w, "\npgbench 2C/C: pgbench's tps with twice the clients over its tps with C, what this machine gives a second process's worth of clients.")
}
