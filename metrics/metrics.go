// Package metrics is allot's adapter to Prometheus: what operators watch
// (requests, checks, jobs, mail, imports, syncs, webhook deliveries),
// counted in this process and exposed at /metrics to operators only.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"allot"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one process's metrics. A nil *Metrics counts nothing, so
// that every part of allot may be used without them.
//
// Every label takes its values from a small set allot names (a route's
// pattern, a status code, a job's kind, an outcome), never from what a
// request carries, so that the series stay few.
type Metrics struct {
	registry       *prometheus.Registry
	requests       *prometheus.CounterVec
	requestSeconds *prometheus.HistogramVec
	checks         *prometheus.CounterVec
	checkSeconds   prometheus.Histogram
	jobs           *prometheus.CounterVec
	jobSeconds     *prometheus.HistogramVec
	mails          *prometheus.CounterVec
	imports        *prometheus.CounterVec
	syncs          *prometheus.CounterVec
	webhooks       *prometheus.CounterVec
	webhookSeconds prometheus.Histogram
}

// Buckets of the histograms, in seconds. The check answers in tens of
// microseconds, so its buckets run from 10 µs to 100 ms.
var (
	checkBuckets   = []float64{10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3}
	requestBuckets = []float64{100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10}
	jobBuckets     = []float64{1e-3, 5e-3, 25e-3, 100e-3, 500e-3, 2.5, 10, 60, 300}
	webhookBuckets = []float64{5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10, 30}
)

// New returns metrics on a registry of their own, with the Go runtime's
// and the process's collectors beside allot's.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "allot_http_requests_total",
			Help: "HTTP requests answered, by the route's pattern and the status."}, []string{"route", "status"}),
		requestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "allot_http_request_duration_seconds",
			Help: "How long HTTP requests took to answer, by the route's pattern.", Buckets: requestBuckets}, []string{"route"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "allot_checks_total",
			Help: "Entitlement checks, by decision (allowed, refused, error) and reason (why refused, or the error's code)."},
			[]string{"decision", "reason"}),
		checkSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "allot_check_duration_seconds",
			Help: "How long the entitlement check took to decide.", Buckets: checkBuckets}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "allot_jobs_total",
			Help: "Background jobs run, by kind and outcome (done, retried, failed)."}, []string{"kind", "outcome"}),
		jobSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "allot_job_duration_seconds",
			Help: "How long background jobs ran, by kind.", Buckets: jobBuckets}, []string{"kind"}),
		mails: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "allot_mails_total",
			Help: "Mails delivered, by outcome (sent, kept without an SMTP server, failed)."}, []string{"outcome"}),
		imports: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "allot_imports_total",
			Help: "Steps of imports of people from files, by outcome (previewed, applied, failed)."}, []string{"outcome"}),
		syncs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "allot_directory_syncs_total",
			Help: "Runs of directory synchronisation, by outcome (applied, previewed, held, failed)."}, []string{"outcome"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "allot_webhook_attempts_total",
			Help: "Attempts to deliver webhooks, by outcome."}, []string{"outcome"}),
		webhookSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "allot_webhook_attempt_duration_seconds",
			Help: "How long attempts to deliver webhooks took.", Buckets: webhookBuckets}),
	}
	m.registry.MustRegister(m.requests, m.requestSeconds, m.checks, m.checkSeconds, m.jobs, m.jobSeconds, m.mails,
		m.imports, m.syncs, m.webhooks, m.webhookSeconds,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format to whoever
// reaches it: the caller decides who may. Without metrics it answers 404.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Request counts a request that the route of pattern route answered with
// status after d.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.requestSeconds.WithLabelValues(route).Observe(d.Seconds())
}

// Check counts an entitlement check that took d and decided dec, or
// failed with err.
func (m *Metrics) Check(d time.Duration, dec allot.Decision, err error) {
	if m == nil {
		return
	}
	m.checkSeconds.Observe(d.Seconds())
	switch {
	case err != nil:
		m.checks.WithLabelValues("error", allot.ErrorCode(err)).Inc()
	case dec.Allowed:
		m.checks.WithLabelValues("allowed", "").Inc()
	default:
		m.checks.WithLabelValues("refused", dec.Reason).Inc()
	}
}

// Job counts a background job of kind that ran for d and ended with
// outcome (done, retried or failed).
func (m *Metrics) Job(kind, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.jobs.WithLabelValues(kind, outcome).Inc()
	m.jobSeconds.WithLabelValues(kind).Observe(d.Seconds())
}

// Mail counts a mail delivered with outcome (sent, kept or failed).
func (m *Metrics) Mail(outcome string) {
	if m == nil {
		return
	}
	m.mails.WithLabelValues(outcome).Inc()
}

// Import counts a step of an import that ended with outcome (previewed,
// applied or failed).
func (m *Metrics) Import(outcome string) {
	if m == nil {
		return
	}
	m.imports.WithLabelValues(outcome).Inc()
}

// Sync counts a run of a directory that ended with outcome (applied,
// previewed, held or failed).
func (m *Metrics) Sync(outcome string) {
	if m == nil {
		return
	}
	m.syncs.WithLabelValues(outcome).Inc()
}

// WebhookAttempt counts an attempt to deliver a webhook that took d and
// ended with outcome.
func (m *Metrics) WebhookAttempt(outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(outcome).Inc()
	m.webhookSeconds.Observe(d.Seconds())
}
