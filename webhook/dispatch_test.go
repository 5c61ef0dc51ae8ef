package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/webhook"
	"allot/world"
)

// answering starts a receiver on 127.0.0.1 that answers every request
// with status.
func answering(t *testing.T, status int) string {
	t.Helper()
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
	t.Cleanup(rcv.Close)
	return rcv.URL
}

// subscribed returns a world, a service over it sending with a one-second
// timeout, and an endpoint of the vendor at url receiving user.added, with
// one delivery enqueued to it.
func subscribed(t *testing.T, b storetest.Backend, url string) (*world.World, *webhook.Service, webhook.Delivery) {
	t.Helper()
	w := world.NewWith(t, b, world.Options{Start: time.Now()})
	s := &webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook(), AllowLoopback: true, Timeout: time.Second}
	admin := w.Ctx(t, "admin")
	w.Clock.Advance(time.Second) // the world's events were before the endpoint
	e := world.Must(s.CreateEndpoint(admin, webhook.NewEndpoint{URL: url, Types: []string{"user.added"}}))(t)
	w.NewLearner(t, w.Acme)
	for deadline := time.Now().Add(horizonWait); ; time.Sleep(20 * time.Millisecond) {
		if _, err := s.FanOut(w.As(allot.System)); err != nil {
			t.Fatal(err)
		}
		ds := world.Must(s.Deliveries(admin, webhook.DeliveryFilter{EndpointID: e.ID}))(t)
		if len(ds) == 1 {
			return w, s, ds[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s the fan-out enqueued %d deliveries, want 1", horizonWait, len(ds))
		}
	}
}

// TestDeadEndpointDisabled follows the only delivery of an endpoint that
// always fails through its round, each wait the least the jitter allows:
// the round ends before FailureWindow has passed, and the endpoint is
// disabled then, its owner told once, rather than never.
func TestDeadEndpointDisabled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w, s, d := subscribed(t, b, answering(t, http.StatusInternalServerError))
		webhook.SetJitter(s, 0)
		admin := w.Ctx(t, "admin")
		start := w.Clock.Now()
		for range len(webhook.Schedule) + 1 {
			w.Clock.Advance(d.NextAttemptAt.Sub(w.Clock.Now()))
			if n := dispatch(t, s, w); n != 1 {
				t.Fatalf("dispatched %d deliveries at attempt %d, want 1", n, d.Attempts+1)
			}
			d = world.Must(s.Delivery(admin, d.ID))(t).Delivery
		}
		if took := w.Clock.Now().Sub(start); d.Status != webhook.DeliveryFailed || took >= webhook.FailureWindow {
			t.Fatalf("the delivery is %s after %s, want failed within the window of %s", d.Status, took, webhook.FailureWindow)
		}
		e := world.Must(s.Endpoint(admin, d.EndpointID))(t)
		if !e.Disabled || !strings.Contains(e.DisabledReason, "ran out of its 11 attempts") {
			t.Errorf("after its only delivery failed for good the endpoint is %+v, want disabled saying why", e)
		}
		if got := w.Mails(allot.MailWebhookDisabled)["admin@vendor.test"]; len(got) != 1 {
			t.Errorf("the vendor admin got %d mails that the endpoint was disabled, want 1", len(got))
		}
	})
}

// TestFinishWhenStopped stops the dispatcher while an attempt is being
// sent: the attempt, delivered, is recorded all the same, and not sent
// again.
func TestFinishWhenStopped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w, s, d := subscribed(t, b, answering(t, http.StatusNoContent))
		ctx, stop := context.WithCancel(w.As(allot.System))
		defer stop()
		s.ObserveAttempt = func(string, time.Duration) { stop() } // after the attempt, before it is recorded
		if n, err := s.DispatchOnce(ctx); n != 1 || err != nil {
			t.Fatalf("dispatch: %d sent, %v", n, err)
		}
		got := world.Must(s.Delivery(w.Ctx(t, "admin"), d.ID))(t)
		if got.Status != webhook.DeliveryDelivered || len(got.Attempts) != 1 {
			t.Errorf("the delivery is %s with %d attempts recorded, want delivered and its one attempt", got.Status, len(got.Attempts))
		}
	})
}

// TestReplayInFlight refuses to replay a delivery while an attempt of it
// is being sent (its claim holds), as the attempt's outcome would undo
// the replay; once the claim has run out, it replays.
func TestReplayInFlight(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w, s, d := subscribed(t, b, answering(t, http.StatusNoContent))
		admin := w.Ctx(t, "admin")
		err := s.Store.Write(admin, func(tx webhook.Tx) error {
			claims, err := tx.ClaimDeliveries(w.Clock.Now(), time.Minute, 10)
			if len(claims) != 1 {
				t.Errorf("claimed %d deliveries, want 1", len(claims))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Replay(admin, d.ID)
		world.WantError(t, err, allot.ECONFLICT, "")
		if msg := allot.ErrorMessage(err); !strings.Contains(msg, "an attempt is being sent now; replay it when it ends") {
			t.Errorf("the replay is refused saying %q", msg)
		}
		w.Clock.Advance(time.Minute)
		if _, err := s.Replay(admin, d.ID); err != nil {
			t.Errorf("the replay after the claim ran out: %v", err)
		}
	})
}
