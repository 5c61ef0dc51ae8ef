package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"allot/loadtest"
)

// pgWarmUp is how long each phase on PostgreSQL first runs uncounted: the
// phases before it filled the server's buffers with their own pages.
const pgWarmUp = 3 * time.Second

// pgResults are what a run on PostgreSQL measured.
type pgResults struct {
	Version, SharedBuffers, LoadAvg string
	Clients                         []int
	Pgbench                         map[int]pgPhase // by clients
	One, Two                        map[int]pgPhase // by callers in each process
}

// pgPhase is what one phase on PostgreSQL found.
type pgPhase struct {
	Ops     int64   // transactions or checks
	Refused int64   // checks refused
	Rate    float64 // per second
	Machine time.Duration
	Own     time.Duration // CPU time of pgbench or of allot's processes
}

// cpuPerOp formats CPU time per operation of p.
func (p pgPhase) cpuPerOp(cpu time.Duration) string {
	if p.Ops == 0 || cpu == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f µs", float64(cpu.Microseconds())/float64(p.Ops))
}

// runPostgres measures the entitlement check on the PostgreSQL server at
// c.Postgres against pgbench on the same server, in one run. It fills two
// databases of its own, dropped at the end: pgbench's at c.Scale, and the
// million-seat ledger. Then, for each number of clients C, one phase after
// the other: pgbench -S -M prepared with C clients; one allot process with
// C callers; two allot processes at once with C callers each. pgbench
// also runs with 2C clients, what the machine gives two processes' worth
// of clients. allot's processes are this command run again (runChild).
func runPostgres(ctx context.Context, c config, stdout io.Writer, logf func(string, ...any)) error {
	pgbench, err := exec.LookPath("pgbench")
	if err != nil {
		return errors.New("pgbench not found on the PATH: it comes with PostgreSQL's server package (Debian: apt-get install -y postgresql-15)")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	admin, err := pgx.Connect(ctx, c.Postgres)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", c.Postgres, err)
	}
	defer admin.Close(context.Background())
	r := pgResults{Clients: c.Clients, LoadAvg: loadAverage(),
		Pgbench: map[int]pgPhase{}, One: map[int]pgPhase{}, Two: map[int]pgPhase{}}
	if err := admin.QueryRow(ctx, "SELECT current_setting('server_version'), current_setting('shared_buffers')").
		Scan(&r.Version, &r.SharedBuffers); err != nil {
		return err
	}
	suffix := fmt.Sprintf("%d_%d", time.Now().Unix(), os.Getpid())
	benchURL, err := createDatabase(ctx, admin, c.Postgres, "allot_load_pgbench_"+suffix, logf)
	if err != nil {
		return err
	}
	defer dropDatabase(admin, "allot_load_pgbench_"+suffix, logf)
	ledgerURL, err := createDatabase(ctx, admin, c.Postgres, "allot_load_ledger_"+suffix, logf)
	if err != nil {
		return err
	}
	defer dropDatabase(admin, "allot_load_ledger_"+suffix, logf)

	start := time.Now()
	logf("pgbench -i at scale %d…", c.Scale)
	if err := pgbenchInit(ctx, pgbench, benchURL, c.Scale); err != nil {
		return err
	}
	logf("initialised in %s; seeding %d learners and seats…", time.Since(start).Round(time.Second), loadtest.Learners)
	start = time.Now()
	if err := loadtest.Seed(ctx, ledgerURL, time.Now().UTC()); err != nil {
		return err
	}
	logf("seeded in %s", time.Since(start).Round(time.Second))

	for _, n := range pgClients(c.Clients) {
		logf("pgbench -S -M prepared -c %d for %s…", n, c.Duration)
		if r.Pgbench[n], err = runPgbench(ctx, pgbench, benchURL, n, c.Duration); err != nil {
			return err
		}
		if !slices.Contains(c.Clients, n) {
			continue
		}
		for procs, into := range []map[int]pgPhase{r.One, r.Two} {
			logf("allot: %d process(es) of %d caller(s) each for %s…", procs+1, n, c.Duration)
			if into[n], err = runProcesses(ctx, self, ledgerURL, procs+1, n, c.Duration); err != nil {
				return err
			}
		}
	}
	pgReport(stdout, c, r)
	return nil
}

// pgClients returns the numbers of clients pgbench runs with: each of
// clients, and twice each, ascending.
func pgClients(clients []int) []int {
	var all []int
	for _, n := range clients {
		all = append(all, n, 2*n)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// withDatabase returns the server's URL naming database name.
func withDatabase(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// createDatabase creates database name on the server admin is connected
// to and returns its URL.
func createDatabase(ctx context.Context, admin *pgx.Conn, server, name string, logf func(string, ...any)) (string, error) {
	u, err := withDatabase(server, name)
	if err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	logf("created the database %s", name)
	return u, nil
}

// dropDatabase drops database name, even when the run was interrupted.
func dropDatabase(admin *pgx.Conn, name string, logf func(string, ...any)) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		logf("drop database %s: %v", name, err)
		return
	}
	logf("dropped the database %s", name)
}

// maxClients bounds -clients: two processes of as many callers each, and
// pgbench with twice as many clients, stay well within a server's
// connections.
const maxClients = 16

// parseClients reads a comma-separated list of numbers of clients.
func parseClients(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > maxClients {
			return nil, fmt.Errorf("%q is not a number of clients from 1 to %d", f, maxClients)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
