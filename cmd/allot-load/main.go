// Command allot-load measures allot's entitlement check over HTTP against a
// ledger of a million seats on SQLite. It serves allot's own handler (the
// one allot serve runs) on a loopback port in its own process, then drives
// it with wrk and hey from the same machine:
//
//   - wrk at full speed against GET /healthz, a trivial handler behind the
//     same middleware, anonymously and with the API token;
//   - wrk at full speed against GET /v1/check for learners drawn at random;
//   - hey at a fixed rate against GET /v1/check, for its latency.
//
// It prints one summary: checks per second, trivial requests per second,
// their ratio, the latency percentiles at the fixed rate and every error.
//
// With -postgres it measures the check on PostgreSQL instead, against
// pgbench -S -M prepared on the same server in the same run, and one allot
// process against two (see postgres.go). See docs/LOAD.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "allot-load:", err)
		os.Exit(1)
	}
}

// errUsage reports bad flags, already explained on stderr.
var errUsage = errors.New("usage")

// config is what a load run does.
type config struct {
	DB          string        // the SQLite ledger; empty for the cached one in the OS's temporary directory
	Duration    time.Duration // of each measured phase
	Threads     int           // wrk threads
	Connections int           // wrk connections
	Rate        int           // hey's total requests per second
	Workers     int           // hey workers
	Product     string
	CPUProfile  string // file for the server's CPU profile during the wrk check phase
	RateProfile string // and during the hey phase
	Postgres    string // a PostgreSQL server's URL: measure the check there against pgbench
	Clients     []int  // with Postgres: the numbers of clients, pgbench's and allot's callers
	Scale       int    // with Postgres: pgbench's scale
}

// The bounds that keep a run to about three minutes.
const (
	maxDuration = 40 * time.Second
	warmUp      = 3 * time.Second
)

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("allot-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", "", "SQLite ledger file, seeded when missing (default: one in the OS's temporary directory, seeded once and reused)")
	fs.DurationVar(&c.Duration, "duration", 20*time.Second, "length of each of the four measured phases (at most 40s)")
	fs.IntVar(&c.Threads, "threads", 2, "wrk threads")
	fs.IntVar(&c.Connections, "connections", 128, "wrk connections")
	fs.IntVar(&c.Rate, "rate", 5000, "hey's fixed total rate, in checks per second")
	fs.IntVar(&c.Workers, "workers", 50, "hey workers; each sends rate/workers requests per second")
	fs.StringVar(&c.Product, "product", "premium", "product code to check")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write the server's CPU profile during the wrk /v1/check phase to this file")
	fs.StringVar(&c.RateProfile, "cpuprofile-rate", "", "write the server's CPU profile during the hey phase to this file")
	fs.StringVar(&c.Postgres, "postgres", "", "measure the check on the PostgreSQL server at this postgres:// URL against pgbench -S -M prepared, instead of over HTTP on SQLite")
	clients := fs.String("clients", "1,2,4", "with -postgres: the numbers of clients (pgbench's, and allot's callers in each process), comma-separated")
	fs.IntVar(&c.Scale, "scale", 10, "with -postgres: pgbench's scale (100,000 accounts each)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: allot-load [flags]\n\nMeasures the entitlement check over HTTP with wrk and hey on a million-seat SQLite ledger;\nwith -postgres, on PostgreSQL against pgbench -S -M prepared.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, errUsage
	}
	bad := func(format string, args ...any) (config, error) {
		fmt.Fprintf(stderr, "allot-load: "+format+"\n", args...)
		return c, errUsage
	}
	var err error
	if c.Clients, err = parseClients(*clients); err != nil {
		return bad("-clients: %v", err)
	}
	switch {
	case fs.NArg() > 0:
		return bad("unexpected argument %q", fs.Arg(0))
	case c.Postgres != "" && !strings.HasPrefix(c.Postgres, "postgres://") && !strings.HasPrefix(c.Postgres, "postgresql://"):
		return bad("-postgres must be a postgres:// URL")
	case c.Scale < 1 || c.Scale > 100:
		return bad("-scale must be from 1 to 100, to keep the run short")
	case c.Duration < time.Second || c.Duration > maxDuration || c.Duration%time.Second != 0:
		return bad("-duration must be whole seconds from 1s to %s, to keep the run short", maxDuration)
	case c.Threads < 1 || c.Connections < c.Threads:
		return bad("-connections (%d) must be at least -threads (%d), which must be at least 1", c.Connections, c.Threads)
	case c.Workers < 1:
		return bad("-workers must be at least 1")
	case c.Rate < c.Workers || c.Rate%c.Workers != 0:
		return bad("-rate (%d) must be a multiple of -workers (%d): hey limits the rate per worker", c.Rate, c.Workers)
	case c.Product == "":
		return bad("-product must name a product")
	}
	return c, nil
}

// run runs a whole load test and prints its summary on stdout, or runs as
// one of the processes checking on PostgreSQL, when the first argument is
// childCommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == childCommand {
		return runChild(ctx, args[1:], os.Stdin, stdout)
	}
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	if c.Postgres != "" {
		return runPostgres(ctx, c, stdout, logf)
	}
	tools, err := findTools()
	if err != nil {
		return err
	}
	path, err := ledger(ctx, c.DB, logf)
	if err != nil {
		return err
	}
	srv, err := startServer(ctx, path, stderr, logf)
	if err != nil {
		return err
	}
	defer srv.close()
	if err := srv.sanityCheck(ctx, c.Product); err != nil {
		return err
	}
	logf("allot serves %s on http://%s (GOMAXPROCS %d); wrk and hey share the machine's %d CPUs with it",
		path, srv.addr, srv.procs, runtime.NumCPU())
	res, err := measure(ctx, c, tools, srv, logf)
	if err != nil {
		return err
	}
	report(stdout, c, srv, res)
	return nil
}
