package allot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Job is a unit of background work: run at or after RunAt by whichever
// process claims it first. A claim holds a lease; a process that dies
// loses its lease and another runs the job again, so handlers must be safe
// to run twice. Key is unique: a job enqueued twice with one key exists
// once, which makes a periodic job run once per period across processes.
type Job struct {
	ID          int64
	Kind        string
	Key         string
	Payload     string // JSON, for the handler of Kind
	CompanyID   int64  // the company the job concerns; 0 for none
	RunAt       time.Time
	Attempts    int
	MaxAttempts int
	LeaseUntil  time.Time
	Status      JobStatus
	LastError   string
	CreatedAt   time.Time
	DoneAt      time.Time
}

// JobStatus is where a job is.
type JobStatus string

// Job statuses.
const (
	JobPending JobStatus = "pending" // waiting for its time, or for a retry
	JobDone    JobStatus = "done"
	JobFailed  JobStatus = "failed" // gave up after MaxAttempts
)

// leaseKey is the context key of the lease of the job a context runs.
type leaseKey struct{}

// WithLease returns a copy of ctx that runs a claimed job, whose lease
// renew extends; renew fails only when the claim is lost.
func WithLease(ctx context.Context, renew func() error) context.Context {
	return context.WithValue(ctx, leaseKey{}, renew)
}

// ErrTakenOver is the error of a run of a job that another run has taken
// over: RenewLease's when another process has claimed the job since, the
// store's when another run of an import's step started or finished it. The
// run should stop, as the other one runs it now.
var ErrTakenOver = errors.New("another run has taken the work over")

// RenewLease extends the lease of the job ctx runs, when it runs one: a job
// that may outlast its lease renews it as it makes progress, outside any
// transaction of its own.
func RenewLease(ctx context.Context) error {
	renew, ok := ctx.Value(leaseKey{}).(func() error)
	if !ok {
		return nil
	}
	if err := renew(); err != nil {
		return fmt.Errorf("%w: %w", ErrTakenOver, err)
	}
	return nil
}

// DefaultMaxAttempts is how many times a job is tried unless it says.
const DefaultMaxAttempts = 8

// Backoff is how long to wait before the next attempt of a job that failed
// attempts times: 30 seconds, doubling, at most an hour.
func Backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// JobFilter selects jobs, newest first. Zero fields do not filter.
type JobFilter struct {
	Statuses  []JobStatus
	Kind      string
	CompanyID int64
	Limit     int
}
