package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"allot"
	"allot/directory"
	"allot/jobs"
	"allot/mail"
	"allot/reclaim"
	"allot/server"
	"allot/support"
)

// serve runs the HTTP server until ctx is done, then shuts it down
// gracefully.
func (m *Main) serve(ctx context.Context, args []string) error {
	if len(args) > 0 {
		fmt.Fprintf(m.Stderr, "allot serve: unexpected argument %q\n", args[0])
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	m.instrument()
	if m.Config.Demo {
		sum, err := m.loadDemo(ctx)
		if err != nil {
			return err
		}
		m.printAccounts(sum)
	}
	// A help centre without any article gets the starter set, once.
	if n, err := m.Support.InstallStarter(allot.WithPrincipal(ctx, allot.System)); err != nil {
		return fmt.Errorf("serve: %w", err)
	} else if n > 0 {
		fmt.Fprintf(m.Stdout, "the help centre's %d starter articles were added\n", n)
	}
	supportAt, stopSupport, err := m.listenSupport()
	if err != nil {
		return err
	}
	defer stopSupport()
	metricsAt, stopMetrics, err := m.listenMetrics()
	if err != nil {
		return err
	}
	defer stopMetrics()
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	m.Tokens.Issuer = cmp.Or(m.Tokens.Issuer, "http://"+ln.Addr().String()) // the tokens' iss: the base URL, else this address
	handler := server.New(server.Config{Ledger: m.Service, Directory: m.Directory, Accounts: m.Accounts, Programs: m.Programs, SCIM: m.SCIM, Support: m.Support, Reports: m.Reports, Reclaim: m.Reclaim, Webhooks: m.Webhooks, Tokens: m.Tokens, Metrics: m.Metrics, Log: m.Log,
		Sessions: m.Store.Sessions(), Keys: m.Store, InsecureCookies: m.Config.InsecureCookies, BaseURL: m.Config.BaseURL, MetricsToken: m.Config.Metrics.Token})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	if m.Config.Workers {
		worker, err := m.worker("http://" + addr)
		if err != nil {
			return err
		}
		// On the way out, stop the worker and let the job that runs finish
		// before the store closes: a mail sent but not recorded would be
		// sent again.
		wctx, stop := context.WithCancel(ctx)
		working := make(chan struct{})
		go func() {
			defer close(working)
			worker.Run(wctx)
		}()
		defer func() { stop(); <-working }()
		// Webhook deliveries go out beside the jobs, on their own loop.
		dispatching := make(chan struct{})
		go func() {
			defer close(dispatching)
			m.Webhooks.Dispatch(wctx)
		}()
		defer func() { stop(); <-dispatching }()
	}
	fmt.Fprintf(m.Stdout, "\nallot is running on %s database %s\n  sign in at http://%s/  (API docs: /docs, health: /healthz, readiness: /readyz)\n",
		m.Store.Dialect(), m.Config.Database, addr)
	switch {
	case !m.Config.Workers:
		fmt.Fprintln(m.Stdout, "  background jobs are off in this process")
	case !m.Config.SMTP.Enabled():
		fmt.Fprintln(m.Stdout, "  no SMTP server: mail is kept; read it under Sent mail or with allot mail")
	}
	if supportAt != "" {
		fmt.Fprintf(m.Stdout, "  replies to the support desk's mail (%s) come in by SMTP on %s\n", m.Config.SupportReplyTo, supportAt)
	}
	m.printMetrics(addr, metricsAt)
	m.Listening <- addr

	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: shut down: %w", err)
	}
	return nil
}

// worker returns the background worker: the sweep once a minute, and mail
// delivery through the configured SMTP server, or kept without one.
func (m *Main) worker(base string) (*jobs.Worker, error) {
	reply, err := mail.ParseReplyAddress(m.Config.SupportReplyTo)
	if err != nil {
		return nil, err
	}
	d := &mail.Deliverer{Store: m.Store, Clock: m.Clock, BaseURL: cmp.Or(m.Config.BaseURL, base), Links: m.Accounts,
		Invitations: m.Programs, ReplyTo: reply, Observe: m.Metrics.Mail}
	if m.Config.SMTP.Enabled() {
		sender, err := mail.NewSMTP(m.Config.SMTP)
		if err != nil {
			return nil, err
		}
		d.Sender = sender
	}
	sweep := func(ctx context.Context, _ allot.Job) error {
		_, err := m.Service.Sweep(ctx)
		return err
	}
	return &jobs.Worker{Store: m.Store, Clock: m.Clock, Log: m.Log, Observe: m.Metrics.Job,
		Handlers: map[string]jobs.Handler{allot.JobMail: d.Handle, allot.JobSweep: sweep, directory.JobImport: m.Directory.RunImport,
			directory.JobSyncDue: m.Directory.QueueDue, directory.JobSync: m.Directory.RunSync, support.JobSweep: m.Support.Handle,
			reclaim.JobRun: m.Reclaim.Handle},
		Periodic: []jobs.Periodic{{Kind: allot.JobSweep, Every: time.Minute}, {Kind: directory.JobSyncDue, Every: time.Minute},
			{Kind: support.JobSweep, Every: time.Minute}, {Kind: reclaim.JobRun, Every: time.Hour}}}, nil
}
