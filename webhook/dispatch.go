package webhook

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"allot"
)

// Schedule is how long a delivery waits after each failed attempt of a
// round, give or take a fifth (jitter): about three days in all, after
// which the delivery failed.
var Schedule = []time.Duration{5 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 20 * time.Hour}

// FailureWindow is how long an endpoint may fail, without a success,
// before it is disabled. See dead for how it and Schedule make one rule.
const FailureWindow = 72 * time.Hour

// dead returns why endpoint e, failing again at now, is to be disabled, or
// "" when it is not. Its failures began at e.FailingSince (zero: they begin
// now). A round of attempts lasts from 0.8 to 1.2 times the sum of
// Schedule, about FailureWindow: with little traffic, the last delivery's
// round often ends before the window has passed, and then no attempt comes
// to find it passed. So an endpoint is disabled when its failures have
// lasted longer than FailureWindow, or when a delivery ran out of attempts
// (gaveUp) while they last, whichever comes first.
func dead(e Endpoint, gaveUp bool, now time.Time, last string) string {
	since := e.FailingSince
	switch {
	case since.IsZero():
		return ""
	case now.Sub(since) > FailureWindow:
		return fmt.Sprintf("Its deliveries have failed since %s, for more than %d days; the last: %s",
			since.Format(time.RFC3339), int(FailureWindow.Hours()/24), last)
	case gaveUp:
		return fmt.Sprintf("Its deliveries have failed since %s, and one ran out of its %d attempts; the last: %s",
			since.Format(time.RFC3339), len(Schedule)+1, last)
	}
	return ""
}

// finishTimeout bounds recording how a batch's attempts went, which goes on
// when the dispatcher is stopped: an attempt sent and not recorded would
// be sent again.
const finishTimeout = 10 * time.Second

// Sizes of the dispatcher's work: the deliveries one claim takes, and how
// many are sent at once.
const (
	claimBatch  = 256
	concurrency = 32
)

// pollEvery is how long the dispatcher waits when it found nothing to do.
const pollEvery = 500 * time.Millisecond

// Dispatch fans out and sends deliveries until ctx is done, as allot's own
// background work. An error is logged and the work goes on.
func (s *Service) Dispatch(ctx context.Context) error {
	for {
		n, err := s.DispatchOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.Ledger.Log.Error("webhook dispatch", "error", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pollEvery):
		}
	}
}

// DispatchOnce fans out the new events, then claims the deliveries due
// now, sends them (concurrency at once) and records how each attempt
// went. It returns how many it sent.
func (s *Service) DispatchOnce(ctx context.Context) (int, error) {
	if _, err := s.FanOut(ctx); err != nil {
		return 0, err
	}
	now := s.Ledger.Clock.Now()
	var (
		claims    []Claim
		endpoints = map[int64]Endpoint{} // what sends each claim: its address and secrets
	)
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if claims, err = tx.ClaimDeliveries(now, s.lease(), claimBatch); err != nil || len(claims) == 0 {
			return err
		}
		eps, err := tx.WebhookEndpoints(EndpointFilter{All: true, Enabled: true})
		for _, e := range eps {
			endpoints[e.ID] = e
		}
		return err
	})
	if err != nil || len(claims) == 0 {
		return 0, err
	}
	results := make([]response, len(claims))
	var wg sync.WaitGroup
	sem := make(chan struct{}, concurrency)
	for i, c := range claims {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = s.send(ctx, endpoints[c.EndpointID], c, s.Ledger.Clock.Now())
			s.observe(results[i])
		}()
	}
	wg.Wait()
	// Stopping the dispatcher does not discard the attempts made.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	return len(claims), s.finish(fctx, claims, results)
}

// verdict is what a batch's attempts say of one endpoint.
type verdict struct {
	last   response // a success, else a 410, else its last failure
	gaveUp bool     // a delivery of it ran out of attempts
}

// finish records in one transaction how each claimed delivery's attempt
// went, and what the attempts say of each endpoint, once: a success ends
// its failures; without one, a 410, or failures as dead says, disable it.
func (s *Service) finish(ctx context.Context, claims []Claim, results []response) error {
	now := s.Ledger.Clock.Now()
	return s.Store.Write(ctx, func(tx Tx) error {
		// The endpoints are locked first, in the order of their IDs, as a
		// change or a deletion of one locks it before its deliveries: no
		// two transactions wait for each other.
		ids := make([]int64, len(claims))
		for i, c := range claims {
			ids[i] = c.EndpointID
		}
		slices.Sort(ids)
		endpoints := map[int64]Endpoint{}
		for _, id := range slices.Compact(ids) {
			e, err := tx.LockWebhookEndpoint(id)
			if allot.ErrorCode(err) == allot.ENOTFOUND {
				continue // deleted with its deliveries: their attempts are lost claims
			}
			if err != nil {
				return err
			}
			endpoints[id] = e
		}
		verdicts := map[int64]verdict{}
		for i, c := range claims {
			r := results[i]
			d := next(c, r, now, s.jitter())
			err := tx.FinishAttempt(c, r.attempt, d)
			if allot.ErrorCode(err) == allot.ECONFLICT {
				continue // its lease ran out and another process took it on
			}
			if err != nil {
				return fmt.Errorf("record attempt %d of delivery %d: %w", c.Attempts, c.ID, err)
			}
			v, seen := verdicts[c.EndpointID]
			if !seen || v.last.outcome != OutcomeDelivered && (v.last.attempt.Status != 410 || r.outcome == OutcomeDelivered) {
				v.last = r
			}
			v.gaveUp = v.gaveUp || d.Status == DeliveryFailed && r.attempt.Status != 410
			verdicts[c.EndpointID] = v
		}
		for id, v := range verdicts {
			if err := s.judge(tx, endpoints[id], v, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// jitter returns a number from 0 to 1 that moves a wait of the schedule.
func (s *Service) jitter() float64 {
	if s.jitterFunc != nil {
		return s.jitterFunc()
	}
	return rand.Float64()
}

// next returns the state of claimed delivery c after attempt response r,
// at now; jitter, from 0 to 1, moves the wait by up to a fifth either way.
func next(c Claim, r response, now time.Time, jitter float64) Delivery {
	d := c.Delivery
	d.LastStatus, d.LastError = r.attempt.Status, r.attempt.Error
	switch {
	case r.outcome == OutcomeDelivered:
		d.Status, d.NextAttemptAt, d.DeliveredAt = DeliveryDelivered, time.Time{}, now
	case r.attempt.Status == 410:
		d.Status, d.NextAttemptAt = DeliveryFailed, time.Time{}
	case c.Round > len(Schedule):
		d.Status, d.NextAttemptAt = DeliveryFailed, time.Time{}
		d.LastError = fmt.Sprintf("%s; gave up after %d attempts", r.attempt.Error, c.Round)
	default:
		d.Status, d.NextAttemptAt = DeliveryPending, now.Add(wait(c.Round, r.retryAfter, jitter))
	}
	return d
}

// wait is how long to wait after the round's attempt n failed: the
// schedule's, moved by jitter, or longer when a Retry-After asked for
// longer, up to the schedule's longest wait. So a receiver that asks for
// less does not use up the round's attempts sooner, and one that asks for
// more does not make a round last much longer than about three days.
func wait(n int, asked time.Duration, jitter float64) time.Duration {
	d := time.Duration(float64(Schedule[n-1]) * (0.8 + 0.4*jitter)).Truncate(time.Millisecond)
	return max(d, min(asked, slices.Max(Schedule)))
}

// judge updates endpoint e, locked, after verdict v: a success ends its
// failures; a failure starts them, and disables the endpoint after a 410
// or as dead says.
func (s *Service) judge(tx Tx, e Endpoint, v verdict, now time.Time) error {
	if v.last.outcome == OutcomeDelivered {
		return tx.SetWebhookFailing(e.ID, time.Time{})
	}
	if err := tx.SetWebhookFailing(e.ID, now); err != nil {
		return err
	}
	if v.last.attempt.Status == 410 {
		return s.disable(tx, e, now, "It answered 410 Gone: the receiver asked for no more deliveries.")
	}
	if reason := dead(e, v.gaveUp, now, v.last.attempt.Error); reason != "" {
		return s.disable(tx, e, now, reason)
	}
	return nil
}

// disable disables endpoint e saying why, once: the first process to do
// so records it in the audit log and mails the managers of its owner.
func (s *Service) disable(tx Tx, e Endpoint, now time.Time, reason string) error {
	ok, err := tx.DisableWebhookEndpoint(e.ID, now, reason)
	if err != nil || !ok {
		return err
	}
	before := audited(e)
	after := before
	after.Disabled, after.DisabledReason = true, reason
	if err := s.Ledger.Record(tx, allot.System, allot.Company{PartnerID: e.PartnerID}, "webhook.disable", "webhook_endpoint", e.ID,
		before, after); err != nil {
		return err
	}
	return tellOwner(tx, e, reason, now)
}

// tellOwner mails the managers of endpoint e's owner that it was disabled:
// its partner's managers, or the vendor admins.
func tellOwner(tx Tx, e Endpoint, reason string, now time.Time) error {
	f := allot.UserFilter{Roles: []allot.Role{allot.RoleVendorAdmin}, Limit: allot.MaxLimit}
	owner := ""
	if e.PartnerID != 0 {
		p, err := tx.Partner(e.PartnerID)
		if err != nil {
			return err
		}
		f, owner = allot.UserFilter{PartnerID: e.PartnerID, Roles: []allot.Role{allot.RolePartnerManager}, Limit: allot.MaxLimit}, p.Name
	}
	managers, err := tx.Users(f)
	if err != nil {
		return err
	}
	m := allot.Mail{Kind: allot.MailWebhookDisabled, WebhookID: e.ID, Endpoint: e.URL, Company: owner, Reason: reason,
		EndsAt: now, DueAt: now}
	for _, u := range managers {
		if err := allot.QueueMail(tx, m.To(u), now); err != nil {
			return err
		}
	}
	return nil
}
