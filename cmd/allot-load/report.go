package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"allot/loadtest"
)

// The goals the load test measures against (on a 2-CPU machine).
const (
	goalChecks = 20_000 // checks per second at full speed
	goalP99Ms  = 10     // p99 in milliseconds at the fixed rate
)

// report prints the summary of a run.
func report(w io.Writer, c config, s *server, r results) {
	fmt.Fprintf(w, "\nallot-load: the entitlement check over HTTP, %s seats on SQLite, loopback\n", thousands(loadtest.Learners))
	fmt.Fprintf(w, "machine: %d CPUs, server GOMAXPROCS %d, load average before the run %s\n", runtime.NumCPU(), s.procs, r.LoadAvg)
	fmt.Fprintf(w, "         wrk (-t%d -c%d) and hey run on the same CPUs as the server\n\n", c.Threads, c.Connections)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\trequests\treq/s\tp50\tp90\tp99\tmax\tnon-2xx\tsocket errors\tCPU/req: server\tclient\tCPUs: server\tclient\tothers\t")
	for _, p := range []phase{r.Health, r.HealthAuth, r.Check, r.Fixed.phase} {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", p.Name, thousands(p.Requests), thousands(int64(p.Rate())),
			ms(p.P50), ms(p.P90), ms(p.P99), ms(p.Max), p.NonOK, p.SocketErrors,
			perRequest(p.ServerCPU, p), perRequest(p.ClientCPU, p), cpus(p.ServerCPU, p), cpus(p.ClientCPU, p), cpus(p.OtherCPU, p))
	}
	tw.Flush()

	checks, trivial := r.Check.Rate(), r.Health.Rate()
	errs := r.Health.NonOK + r.Health.SocketErrors + r.HealthAuth.NonOK + r.HealthAuth.SocketErrors +
		r.Check.NonOK + r.Check.SocketErrors + r.Fixed.NonOK + r.Fixed.SocketErrors
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	goal := verdict(checks >= goalChecks)
	if n := runtime.NumCPU(); n != 2 {
		goal += fmt.Sprintf(" (but this machine has %d CPUs)", n)
	}
	fmt.Fprintf(w, "\nchecks/s (wrk, full speed):          %s   goal ≥ %s on 2 CPUs: %s\n", thousands(int64(checks)), thousands(goalChecks), goal)
	fmt.Fprintf(w, "trivial req/s (wrk /healthz):        %s   (with the token: %s)\n", thousands(int64(trivial)), thousands(int64(r.HealthAuth.Rate())))
	fmt.Fprintf(w, "ratio checks/trivial:                %.3f   (to /healthz with the token: %.3f)\n", checks/trivial, checks/r.HealthAuth.Rate())
	fmt.Fprintf(w, "p99 at %s/s (hey):                %s   goal ≤ %d ms: %s   (answered %s/s of %s/s asked; checking %s)\n",
		thousands(int64(r.Fixed.Target)), ms(r.Fixed.P99), goalP99Ms, verdict(r.Fixed.P99 <= goalP99Ms*time.Millisecond),
		thousands(int64(r.Fixed.Rate())), thousands(int64(r.Fixed.Target)), r.Fixed.Learner)
	fmt.Fprintf(w, "errors: %d non-2xx or socket errors in all; server log lines %d (%d of them a request canceled by its client)\n",
		errs, s.warnings.lines.Load(), s.warnings.canceled.Load())
	if file, _ := s.watch.dump.Load().(string); file != "" {
		fmt.Fprintf(w, "STALL: the server answered nothing for %s with requests in flight; its goroutines are in %s\n", stallAfter, file)
	}
}

// thousands formats n with commas between thousands.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
