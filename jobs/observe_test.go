package jobs_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"allot"
	"allot/jobs"
	"allot/metrics"
	"allot/metrics/metricstest"
	"allot/storetest"
)

// TestObserve runs a job that succeeds, one that fails and is retried,
// one that fails for good, and one of a kind nobody handles, and finds
// each counted once in the metrics by its kind and outcome, and timed.
func TestObserve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t)
		m := metrics.New()
		w := &jobs.Worker{Store: s, Clock: allot.NewManualClock(t0), Observe: m.Job, Handlers: map[string]jobs.Handler{
			"work": func(context.Context, allot.Job) error { return nil },
			"mail": func(context.Context, allot.Job) error { return errors.New("smtp: 421 try later") },
			"bad":  func(context.Context, allot.Job) error { return jobs.Permanent(errors.New("550 no such user")) },
		}}
		enqueue(t, s, allot.Job{Kind: "work", Key: "w", RunAt: t0, CreatedAt: t0})
		enqueue(t, s, allot.Job{Kind: "mail", Key: "m", RunAt: t0, MaxAttempts: 3, CreatedAt: t0})
		enqueue(t, s, allot.Job{Kind: "bad", Key: "b", RunAt: t0, CreatedAt: t0})
		enqueue(t, s, allot.Job{Kind: "nobody-handles", Key: "n", RunAt: t0, MaxAttempts: 1, CreatedAt: t0})
		if ran, err := w.Tick(context.Background()); err != nil || ran != 4 {
			t.Fatalf("ran %d jobs (%v), want 4", ran, err)
		}
		srv := httptest.NewServer(m.Handler())
		defer srv.Close()
		got := metricstest.Scrape(t, srv.URL, "")
		for _, c := range [][2]string{{"work", jobs.Done}, {"mail", jobs.Retried}, {"bad", jobs.Failed}, {"nobody-handles", jobs.Failed}} {
			if v := got.Counter("allot_jobs_total", "kind", c[0], "outcome", c[1]); v != 1 {
				t.Errorf("jobs of kind %s %s: %v, want 1", c[0], c[1], v)
			}
		}
		if v := got.Counter("allot_jobs_total"); v != 4 {
			t.Errorf("%v jobs counted, want 4", v)
		}
		if n := got.Observations("allot_job_duration_seconds", "kind", "mail"); n != 1 {
			t.Errorf("the mail job was timed %d times, want once", n)
		}
	})
}
