package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"allot"
	"allot/account"
	"allot/csvio"
	"allot/demo"
	"allot/directory"
	"allot/metrics"
	"allot/offline"
	"allot/programme"
	"allot/reclaim"
	"allot/report"
	"allot/scim"
	"allot/store"
	"allot/support"
	"allot/webhook"
)

const usage = `allot manages licence seats.

Usage:
  allot serve [-addr host:port] [-demo] [-database URL | -data DIR]
  allot migrate [-database URL | -data DIR]
  allot demo [-database URL | -data DIR]
  allot check [-database URL | -data DIR] EMAIL PRODUCT
  allot jobs [-database URL | -data DIR]
  allot mail [-limit N] [-database URL | -data DIR]
  allot import users FILE -company COMPANY [-map field=Column]… [-dry-run] [-database URL | -data DIR]
  allot scim-token -company COMPANY [-database URL | -data DIR]

Commands:
  serve     run the HTTP server
  migrate   bring the database schema up to date, then exit
  demo      fill an empty database with demo data
  check     print whether EMAIL may use PRODUCT now (exit 0 yes, 1 no, 2 error)
  jobs      list the background jobs that wait to run or have failed, newest first
  mail      list the mail allot sent, or kept without a mail server, newest first
  import    add and update a company's users from a CSV file: preview, then apply
  scim-token  make a company's SCIM token (a new one replaces the old), making the company when there is none

Run allot COMMAND -h for a command's flags.
`

// exitCode ends the program with a status and no further message.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// Main is the allot program, wired so that tests can run it whole: Run
// parses the arguments and runs a command; Close releases what it opened.
type Main struct {
	Config Config
	Stdout io.Writer
	Stderr io.Writer
	Clock  allot.Clock
	Log    *slog.Logger

	Store     *store.DB
	Service   *allot.Service
	Directory *directory.Service
	Accounts  *account.Service
	Programs  *programme.Service
	SCIM      *scim.Service
	Support   *support.Service
	Reports   *report.Service
	Reclaim   *reclaim.Service
	Webhooks  *webhook.Service
	Tokens    *offline.Service
	Metrics   *metrics.Metrics
	// Listening receives the server's address once it accepts connections.
	Listening chan string
}

// NewMain returns a Main writing to stdout and stderr, on the wall clock.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{
		Stdout: stdout, Stderr: stderr, Clock: allot.SystemClock{},
		Log:       slog.New(slog.NewTextHandler(stderr, nil)),
		Listening: make(chan string, 1),
	}
}

// Run runs the command named by args[0] with the rest as its arguments.
// Usage errors are reported on Stderr and returned as exit status 2.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(m.Stderr, usage)
		if len(args) == 0 {
			return exitCode(2)
		}
		return nil
	}
	cmd, args := args[0], args[1:]
	commands := map[string]func(context.Context, []string) error{
		"serve": m.serve, "migrate": m.migrate, "demo": m.demo, "check": m.check,
		"jobs": m.jobs, "mail": m.mail, "import": m.importCmd, "scim-token": m.scimToken,
	}
	run, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(m.Stderr, "allot: unknown command %q\n\n%s", cmd, usage)
		return exitCode(2)
	}
	// Flags may come before, between or after the other arguments.
	fs := m.Config.flags(cmd, m.Stderr)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return exitCode(2)
		}
		if args = fs.Args(); len(args) == 0 {
			break
		}
		rest, args = append(rest, args[0]), args[1:]
	}
	if err := m.Config.check(); err != nil {
		fmt.Fprintf(m.Stderr, "allot %s: %v\n", cmd, err)
		return exitCode(2)
	}
	return run(ctx, rest)
}

// open opens (and migrates) the database and makes the services.
func (m *Main) open(ctx context.Context) error {
	db, err := store.Open(ctx, m.Config.Database)
	if err != nil {
		return err
	}
	m.Store = db
	m.Service = allot.NewService(db, m.Clock, m.Log)
	m.Directory = &directory.Service{Ledger: m.Service, Store: db.Directory(), Files: csvio.Files{}, Sources: sources}
	m.Accounts = &account.Service{Ledger: m.Service, Store: db.Account()}
	m.Programs = &programme.Service{Ledger: m.Service, Store: db.Programme()}
	m.Support = &support.Service{Ledger: m.Service, Store: db.Support()}
	m.Reports = &report.Service{Ledger: m.Service, Store: db.Report()}
	m.Reclaim = &reclaim.Service{Ledger: m.Service, Store: db.Reclaim()}
	m.Webhooks = &webhook.Service{Ledger: m.Service, Store: db.Webhook(), AllowLoopback: m.Config.WebhooksAllowLoopback,
		Timeout: m.Config.WebhooksTimeout}
	m.Tokens = &offline.Service{Ledger: m.Service, Store: db.Offline(), TTL: m.Config.TokenTTL, Issuer: strings.TrimSuffix(m.Config.BaseURL, "/")}
	m.SCIM = &scim.Service{Ledger: m.Service, Store: db.SCIM(), Directory: m.Directory}
	return nil
}

// Close closes the database.
func (m *Main) Close() error {
	if m.Store == nil {
		return nil
	}
	return m.Store.Close()
}

func (m *Main) migrate(ctx context.Context, args []string) error {
	if len(args) > 0 {
		fmt.Fprintf(m.Stderr, "allot migrate: unexpected argument %q\n", args[0])
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "database %s is up to date (%s)\n", m.Config.Database, m.Store.Dialect())
	return nil
}

func (m *Main) demo(ctx context.Context, args []string) error {
	if len(args) > 0 {
		fmt.Fprintf(m.Stderr, "allot demo: unexpected argument %q\n", args[0])
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	sum, err := m.loadDemo(ctx)
	if err != nil {
		return err
	}
	m.printAccounts(sum)
	return nil
}

// loadDemo fills the database with demo data when it is empty; it returns
// nil when it was not.
func (m *Main) loadDemo(ctx context.Context) (*demo.Summary, error) {
	empty, err := demo.IsEmpty(ctx, m.Store)
	if err != nil || !empty {
		if err == nil {
			fmt.Fprintln(m.Stdout, "the database already holds data: demo data not loaded")
		}
		return nil, err
	}
	sum, err := demo.Load(ctx, m.Store, m.Clock.Now(), allot.DefaultPasswordParams)
	if err != nil {
		return nil, err
	}
	return &sum, nil
}

func (m *Main) printAccounts(sum *demo.Summary) {
	if sum == nil {
		return
	}
	fmt.Fprintf(m.Stdout, "\nDemo accounts (password %q):\n", demo.Password)
	for _, a := range sum.Managers {
		fmt.Fprintf(m.Stdout, "  %-28s %s\n", a.Email, a.What)
	}
	fmt.Fprintln(m.Stdout, "\nDemo learners (same password) to sign in as, or to check with allot check EMAIL premium:")
	for _, a := range sum.Learners {
		fmt.Fprintf(m.Stdout, "  %-36s %s\n", a.Email, a.What)
	}
	fmt.Fprintf(m.Stdout, "\nA new learner, without a password yet: %s, %s\n(without an SMTP server, the mail is in Sent mail, as admin@allot.demo)\n",
		sum.Welcomed.Email, sum.Welcomed.What)
	fmt.Fprintf(m.Stdout, "\nStark Studios' identity provider provisions its people over SCIM at /scim/v2 with the token\n  %s\n",
		sum.SCIMToken)
}
