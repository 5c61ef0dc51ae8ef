package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"allot/api"
	"allot/web"
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
	if m.Config.Demo {
		sum, err := m.loadDemo(ctx)
		if err != nil {
			return err
		}
		m.printAccounts(sum)
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	handler := api.New(m.Service, api.Options{Log: m.Log, Sessions: m.Store.Sessions(), Keys: m.Store,
		InsecureCookies: m.Config.InsecureCookies})
	handler.Mount(web.New(m.Service, handler, m.Log))
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	fmt.Fprintf(m.Stdout, "\nallot is running on %s database %s\n  sign in at http://%s/  (health: /healthz, readiness: /readyz)\n",
		m.Store.Dialect(), m.Config.Database, addr)
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
