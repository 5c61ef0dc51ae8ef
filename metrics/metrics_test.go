package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"allot"
	"allot/metrics"
	"allot/metrics/metricstest"
)

// TestNilCountsNothing: every part of allot may run without metrics.
func TestNilCountsNothing(t *testing.T) {
	var m *metrics.Metrics
	m.Request("GET /v1/check", 200, time.Millisecond)
	m.Check(time.Millisecond, allot.Decision{Allowed: true}, nil)
	m.Job("sweep", "done", time.Millisecond)
	m.Mail("sent")
	m.Import("applied")
	m.Sync("held")
	m.WebhookAttempt("delivered", time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("no metrics served: %d, want 404", rec.Code)
	}
}

// TestExposition counts one of each and reads it back as Prometheus
// would, beside the Go runtime's and the process's metrics.
func TestExposition(t *testing.T) {
	m := metrics.New()
	m.Request("GET /v1/check", 200, 40*time.Microsecond)
	m.Request("GET /v1/check", 200, 60*time.Microsecond)
	m.Request("GET /v1/check", 404, time.Millisecond)
	m.Check(30*time.Microsecond, allot.Decision{Allowed: true}, nil)
	m.Check(30*time.Microsecond, allot.Decision{Reason: allot.DenyExpired}, nil)
	m.Check(30*time.Microsecond, allot.Decision{}, allot.NotFound("user"))
	m.Job("sweep", "done", time.Second)
	m.Job("mail", "retried", time.Second)
	m.Mail("kept")
	m.Import("failed")
	m.Sync("held")
	m.WebhookAttempt("delivered", 20*time.Millisecond)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	got := metricstest.Scrape(t, srv.URL, "")
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"allot_http_requests_total", []string{"route", "GET /v1/check", "status", "200"}, 2},
		{"allot_http_requests_total", []string{"route", "GET /v1/check", "status", "404"}, 1},
		{"allot_checks_total", []string{"decision", "allowed", "reason", ""}, 1},
		{"allot_checks_total", []string{"decision", "refused", "reason", allot.DenyExpired}, 1},
		{"allot_checks_total", []string{"decision", "error", "reason", allot.ENOTFOUND}, 1},
		{"allot_jobs_total", []string{"kind", "sweep", "outcome", "done"}, 1},
		{"allot_jobs_total", []string{"kind", "mail", "outcome", "retried"}, 1},
		{"allot_mails_total", []string{"outcome", "kept"}, 1},
		{"allot_imports_total", []string{"outcome", "failed"}, 1},
		{"allot_directory_syncs_total", []string{"outcome", "held"}, 1},
		{"allot_webhook_attempts_total", []string{"outcome", "delivered"}, 1},
	} {
		if v := got.Counter(c.name, c.labels...); v != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	for name, want := range map[string]uint64{"allot_check_duration_seconds": 3, "allot_http_request_duration_seconds": 3,
		"allot_job_duration_seconds": 2, "allot_webhook_attempt_duration_seconds": 1} {
		if n := got.Observations(name); n != want {
			t.Errorf("%s holds %d observations, want %d", name, n, want)
		}
	}
	for _, name := range []string{"go_goroutines", "process_start_time_seconds"} {
		if !got.Has(name) {
			t.Errorf("no %s among the metrics", name)
		}
	}
}

// TestOwnRegistry: two processes' worth of metrics in one test binary do
// not share counts, as no global registry holds them.
func TestOwnRegistry(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.Mail("sent")
	srv := httptest.NewServer(b.Handler())
	defer srv.Close()
	if v := metricstest.Scrape(t, srv.URL, "").Counter("allot_mails_total", "outcome", "sent"); v != 0 {
		t.Errorf("b counted a's mail: %v", v)
	}
}

// BenchmarkCount measures what one checked request adds: its count and
// time under its route, and the check's decision and latency.
func BenchmarkCount(b *testing.B) {
	m := metrics.New()
	d := allot.Decision{Allowed: true}
	b.ReportAllocs()
	for b.Loop() {
		m.Check(40*time.Microsecond, d, nil)
		m.Request("GET /v1/check", 200, 50*time.Microsecond)
	}
}
