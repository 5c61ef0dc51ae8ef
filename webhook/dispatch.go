package webhook

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"allot"
)

// Schedule is how long a delivery waits after each failed attempt of a
// round, give or take a fifth (jitter): about three days in all, after
// which the delivery failed.
var Schedule = []time.Duration{5 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 20 * time.Hour}

// Bounds of a wait a 429 or 503's Retry-After asks for.
const (
	minRetryAfter = 5 * time.Second
	maxRetryAfter = 24 * time.Hour
)

// FailureWindow is how long an endpoint may fail, without a success,
// before it is disabled.
const FailureWindow = 72 * time.Hour

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
		endpoints = map[int64]Endpoint{}
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
	return len(claims), s.finish(ctx, claims, results, endpoints)
}

// finish records in one transaction how each claimed delivery's attempt
// went, and what the attempts say of each endpoint, once: a success ends
// its failures; without one, a 410, or failures for longer than
// FailureWindow, disable it.
func (s *Service) finish(ctx context.Context, claims []Claim, results []response, endpoints map[int64]Endpoint) error {
	now := s.Ledger.Clock.Now()
	return s.Store.Write(ctx, func(tx Tx) error {
		last := map[int64]response{} // of each endpoint: a success, else its last failure
		var order []int64
		for i, c := range claims {
			r := results[i]
			err := tx.FinishAttempt(c, r.attempt, next(c, r, now, rand.Float64()))
			if allot.ErrorCode(err) == allot.ECONFLICT {
				continue // its lease ran out and another process took it on
			}
			if err != nil {
				return fmt.Errorf("record attempt %d of delivery %d: %w", c.Attempts, c.ID, err)
			}
			prev, seen := last[c.EndpointID]
			if !seen {
				order = append(order, c.EndpointID)
			}
			if prev.outcome != OutcomeDelivered && (prev.attempt.Status != 410 || r.outcome == OutcomeDelivered) {
				last[c.EndpointID] = r
			}
		}
		for _, id := range order {
			if err := s.judge(tx, endpoints[id], last[id], now); err != nil {
				return err
			}
		}
		return nil
	})
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
// schedule's, moved by jitter, or what a Retry-After asked, within bounds.
func wait(n int, asked time.Duration, jitter float64) time.Duration {
	if asked > 0 {
		return min(max(asked, minRetryAfter), maxRetryAfter)
	}
	d := Schedule[n-1]
	return time.Duration(float64(d) * (0.8 + 0.4*jitter)).Truncate(time.Millisecond)
}

// judge updates endpoint e after response r: a success ends its
// failures; a failure starts them, and disables it after a 410 or when
// they last longer than FailureWindow.
func (s *Service) judge(tx Tx, e Endpoint, r response, now time.Time) error {
	if r.outcome == OutcomeDelivered {
		return tx.SetWebhookFailing(e.ID, time.Time{})
	}
	if err := tx.SetWebhookFailing(e.ID, now); err != nil {
		return err
	}
	if r.attempt.Status == 410 {
		return s.disable(tx, e, now, "It answered 410 Gone: the receiver asked for no more deliveries.")
	}
	cur, err := tx.WebhookEndpoint(e.ID)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	if !cur.FailingSince.IsZero() && now.Sub(cur.FailingSince) > FailureWindow {
		return s.disable(tx, cur, now, fmt.Sprintf("Its deliveries have failed since %s, for more than %d days; the last: %s",
			cur.FailingSince.Format(time.RFC3339), int(FailureWindow.Hours()/24), r.attempt.Error))
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
