package support

import (
	"context"
	"fmt"
	"time"

	"allot"
)

// JobSweep is the kind of the periodic job that warns of targets near
// their end and records those breached.
const JobSweep = "support_sweep"

// sweepBatch is how many targets one transaction of the sweep marks.
const sweepBatch = 200

// SweepResult counts what a sweep recorded.
type SweepResult struct {
	Warned   int
	Breached int
}

// Sweep records, once each, the warnings of targets past WarnShare of
// their length and the breaches of targets past their due time, each with
// an audit event and a mail to whoever has the request. Several processes
// may sweep at once: a target is marked by one guarded update, and only
// the sweep that marks it records and tells.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	for _, warn := range []bool{true, false} {
		for {
			n, more, err := s.sweepBatch(ctx, warn)
			if err != nil {
				return res, err
			}
			if warn {
				res.Warned += n
			} else {
				res.Breached += n
			}
			if !more {
				break
			}
		}
	}
	return res, nil
}

// Handle runs the sweep as a job of the worker.
func (s *Service) Handle(ctx context.Context, _ allot.Job) error {
	_, err := s.Sweep(allot.WithPrincipal(ctx, allot.System))
	return err
}

// sweepBatch marks up to sweepBatch targets in one transaction, and
// reports how many it marked and whether there may be more.
func (s *Service) sweepBatch(ctx context.Context, warn bool) (int, bool, error) {
	var n, found int
	err := s.Store.Write(ctx, func(tx Tx) error {
		now := s.Ledger.Clock.Now()
		ts, err := tx.DueTargets(now, warn, sweepBatch)
		if err != nil {
			return fmt.Errorf("due targets: %w", err)
		}
		found = len(ts)
		for _, t := range ts {
			ok, err := s.mark(tx, t, warn, now)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	return n, found == sweepBatch, err
}

// mark records that target t was warned of or breached, unless another
// sweep did first.
func (s *Service) mark(tx Tx, t TargetState, warn bool, now time.Time) (bool, error) {
	ok, err := tx.MarkTarget(t.ID, warn, now)
	if err != nil || !ok {
		return false, err
	}
	action := "request.breach"
	if warn {
		action = "request.warning"
	} else {
		t.Request.Breached = true
	}
	after := map[string]any{"target": t.Kind, "due_at": t.Due, "at": now}
	if err := s.Ledger.Record(tx, allot.System, t.Request.company(), action, "request", t.RequestID, nil, after); err != nil {
		return false, err
	}
	return true, tellTarget(tx, t, warn, now)
}
