package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"allot/metrics"
)

// metricsFlags say where the operators' metrics are served: on the main
// address to those who send Token, and on Addr to anyone who reaches it.
// With neither, they are not served, nor counted.
type metricsFlags struct {
	Token string
	Addr  string
}

func (f *metricsFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.Token, "metrics-token", os.Getenv("ALLOT_METRICS_TOKEN"), "serve the metrics at /metrics on -addr to operators who send this Bearer token (env ALLOT_METRICS_TOKEN)")
	fs.StringVar(&f.Addr, "metrics-addr", os.Getenv("ALLOT_METRICS_ADDR"), "serve the metrics at /metrics on this address without a token, e.g. 127.0.0.1:9090; keep it inside the operators' network (env ALLOT_METRICS_ADDR)")
}

// check reports what is wrong with f.
func (f metricsFlags) check() error {
	if f.Token != "" && len(f.Token) < 16 {
		return errors.New("-metrics-token: give at least 16 characters, such as the output of openssl rand -hex 32")
	}
	if f.Addr != "" {
		if _, port, err := net.SplitHostPort(f.Addr); err != nil || port == "" {
			return fmt.Errorf("-metrics-addr: %q is not host:port (e.g. 127.0.0.1:9090)", f.Addr)
		}
	}
	return nil
}

// instrument makes the process's metrics when they are served, and has
// the services that run here tell them what they do; the HTTP server
// and the worker are told by serve.
func (m *Main) instrument() {
	if m.Config.Metrics.Token == "" && m.Config.Metrics.Addr == "" {
		return
	}
	m.Metrics = metrics.New()
	m.Directory.ObserveImport, m.Directory.ObserveSync = m.Metrics.Import, m.Metrics.Sync
	m.Webhooks.ObserveAttempt = m.Metrics.WebhookAttempt
}

// listenMetrics serves the metrics on -metrics-addr, when given, and
// returns its address and how to stop it.
func (m *Main) listenMetrics() (string, func(), error) {
	if m.Config.Metrics.Addr == "" {
		return "", func() {}, nil
	}
	ln, err := net.Listen("tcp", m.Config.Metrics.Addr)
	if err != nil {
		return "", nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	stop := func() {
		srv.Close()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("metrics listener", "err", err)
		}
	}
	return ln.Addr().String(), stop, nil
}

// printMetrics says where the metrics are served: on the main address
// addr with the token, and at metricsAt without.
func (m *Main) printMetrics(addr, metricsAt string) {
	if m.Config.Metrics.Token != "" {
		fmt.Fprintf(m.Stdout, "  metrics for operators at http://%s/metrics with their Bearer token\n", addr)
	}
	if metricsAt != "" {
		fmt.Fprintf(m.Stdout, "  metrics for operators at http://%s/metrics\n", metricsAt)
	}
}
