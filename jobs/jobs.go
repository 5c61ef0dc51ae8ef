// Package jobs runs allot's background work. A Worker claims due jobs from
// the store with a lease, runs the handler of each job's kind and records
// the outcome, retrying failures with backoff. Several workers, in one
// process or many, share the jobs table safely: a job is claimed by one at
// a time, and a periodic job is enqueued under a key unique to its period,
// so it runs once per period however many processes tick.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"allot"
)

// Handler does the work of one job. It must be safe to run twice: a worker
// that dies after the work but before recording it loses its lease, and the
// job runs again.
type Handler func(ctx context.Context, j allot.Job) error

// Periodic is a job enqueued once per period.
type Periodic struct {
	Kind  string
	Every time.Duration
}

// Worker claims and runs jobs.
type Worker struct {
	Store    allot.Store
	Clock    allot.Clock
	Log      *slog.Logger
	Handlers map[string]Handler
	Periodic []Periodic
	Lease    time.Duration // how long a claim lasts; a minute by default
	Batch    int           // how many jobs one tick claims; 16 by default
	Poll     time.Duration // the pause between ticks with nothing to do; a second by default
	// Observe, when set, is told of each job run: its kind, its outcome
	// (Done, Retried or Failed) and how long its handler ran, on the wall
	// clock whatever Clock says.
	Observe func(kind, outcome string, d time.Duration)
}

// Outcomes of a job's run.
const (
	Done    = "done"    // it did its work
	Retried = "retried" // it failed and runs again later
	Failed  = "failed"  // it failed for good
)

// permanent marks an error not worth retrying.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent wraps err so that the job fails at once instead of being
// retried.
func Permanent(err error) error { return permanent{err} }

// Run ticks until ctx is done.
func (w *Worker) Run(ctx context.Context) error {
	for {
		n, err := w.Tick(ctx)
		if err != nil && ctx.Err() == nil {
			w.log().Error("jobs: tick failed", "err", err)
		}
		if n > 0 && err == nil {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.poll()):
		}
	}
}

// Tick enqueues the periodic jobs of the current period, then claims a
// batch of due jobs and runs them one after another, as long as their
// lease lasts. It returns how many jobs it ran.
func (w *Worker) Tick(ctx context.Context) (int, error) {
	now := w.Clock.Now()
	for _, p := range w.Periodic {
		start := now.Truncate(p.Every)
		j := allot.Job{Kind: p.Kind, Key: p.Kind + "@" + start.UTC().Format(time.RFC3339), RunAt: start, CreatedAt: now}
		if err := w.Store.Write(ctx, func(tx allot.Tx) error { _, err := tx.Enqueue(&j); return err }); err != nil {
			return 0, fmt.Errorf("enqueue %s: %w", p.Kind, err)
		}
	}
	claimed, err := w.Store.ClaimJobs(ctx, now, w.lease(), w.batch())
	if err != nil {
		return 0, err
	}
	for i, j := range claimed {
		if !w.Clock.Now().Before(j.LeaseUntil) {
			// The jobs before outlasted the lease: another worker may
			// have claimed this one and the rest, which are its now.
			return i, nil
		}
		if err := w.run(ctx, j); err != nil {
			return 0, err
		}
	}
	return len(claimed), nil
}

// run runs one claimed job and records its outcome.
func (w *Worker) run(ctx context.Context, j allot.Job) error {
	h, ok := w.Handlers[j.Kind]
	jobErr := fmt.Errorf("no handler for jobs of kind %q", j.Kind)
	start := time.Now()
	if ok {
		jobErr = h(allot.WithLease(ctx, func() error {
			err := w.Store.RenewLease(ctx, j, w.Clock.Now().Add(w.lease()))
			if err != nil && allot.ErrorCode(err) != allot.ECONFLICT {
				// The lease holds until it runs out, and the job's next
				// renewal may succeed: only a lost claim stops the job.
				w.log().Warn("jobs: lease not renewed", "id", j.ID, "kind", j.Kind, "err", err)
				return nil
			}
			return err
		}), j)
	}
	if errors.Is(jobErr, allot.ErrTakenOver) {
		w.log().Warn("jobs: another run has taken the job over", "id", j.ID, "kind", j.Kind, "err", jobErr)
		return nil
	}
	now := w.Clock.Now()
	var retryAt time.Time
	var p permanent
	if jobErr != nil && !errors.As(jobErr, &p) && j.Attempts < j.MaxAttempts {
		retryAt = now.Add(allot.Backoff(j.Attempts))
	}
	if jobErr != nil {
		w.log().Warn("jobs: job failed", "id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "retry_at", retryAt, "err", jobErr)
	}
	w.observe(j.Kind, jobErr, retryAt, time.Since(start))
	switch err := w.Store.FinishJob(ctx, j, now, jobErr, retryAt); {
	case allot.ErrorCode(err) == allot.ECONFLICT:
		w.log().Warn("jobs: job outlasted its lease; the process that claimed it since records it", "id", j.ID, "kind", j.Kind)
	case err != nil:
		return fmt.Errorf("finish job %d: %w", j.ID, err)
	}
	return nil
}

// observe tells Observe how a job of kind ran for d: done without err,
// else retried when it runs again at retryAt, else failed.
func (w *Worker) observe(kind string, err error, retryAt time.Time, d time.Duration) {
	if w.Observe == nil {
		return
	}
	outcome := Done
	switch {
	case err != nil && !retryAt.IsZero():
		outcome = Retried
	case err != nil:
		outcome = Failed
	}
	w.Observe(kind, outcome, d)
}

func (w *Worker) lease() time.Duration { return or(w.Lease, time.Minute) }
func (w *Worker) poll() time.Duration  { return or(w.Poll, time.Second) }
func (w *Worker) batch() int           { return or(w.Batch, 16) }

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

func or[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}
