package webhook

import (
	"strings"
	"testing"
	"time"
)

// TestSchedule checks the waits between attempts: the schedule's, moved
// by up to a fifth either way, about three days in all; a Retry-After
// waited for when it asks for longer, up to the schedule's longest wait,
// so that a rate-limited receiver does not use up a round in minutes.
func TestSchedule(t *testing.T) {
	var total time.Duration
	for _, d := range Schedule {
		total += d
	}
	if total < 70*time.Hour || total > 74*time.Hour {
		t.Errorf("the schedule lasts %s, want about three days", total)
	}
	tests := []struct {
		name   string
		n      int
		asked  time.Duration
		jitter float64
		want   time.Duration
	}{
		{"first, least", 1, 0, 0, 4 * time.Second},
		{"first, most", 1, 0, 1, 6 * time.Second},
		{"first, middle", 1, 0, 0.5, 5 * time.Second},
		{"last, least", len(Schedule), 0, 0, 16 * time.Hour},
		{"retry-after, later than the schedule", 3, 20 * time.Minute, 0.5, 20 * time.Minute},
		{"retry-after, sooner than the schedule", 3, time.Second, 0.5, 5 * time.Minute},
		{"retry-after, later than the longest wait", 3, 48 * time.Hour, 0.5, 20 * time.Hour},
		{"retry-after at the last wait, moved later", len(Schedule), 48 * time.Hour, 1, 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := wait(tt.n, tt.asked, tt.jitter); got != tt.want {
			t.Errorf("%s: wait %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestNext checks a delivery's state after each kind of attempt, at a
// fixed instant.
func TestNext(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	claim := func(round int) Claim {
		return Claim{Delivery: Delivery{ID: 1, Status: DeliveryPending, Attempts: round}, Round: round}
	}
	failed := func(status int, why string) response {
		return response{attempt: Attempt{Status: status, Error: why}, outcome: OutcomeFailed}
	}
	if d := next(claim(1), response{attempt: Attempt{Status: 204}, outcome: OutcomeDelivered}, now, 0.5); d.Status != DeliveryDelivered ||
		!d.DeliveredAt.Equal(now) || !d.NextAttemptAt.IsZero() {
		t.Errorf("after a 204: %+v", d)
	}
	if d := next(claim(1), failed(500, "answered 500"), now, 0.5); d.Status != DeliveryPending || !d.NextAttemptAt.Equal(now.Add(5*time.Second)) {
		t.Errorf("after a first 500: %+v, want pending 5 s later", d)
	}
	if d := next(claim(2), response{attempt: Attempt{Status: 429}, outcome: OutcomeFailed, retryAfter: time.Hour}, now, 0); !d.NextAttemptAt.Equal(now.Add(time.Hour)) {
		t.Errorf("after a 429 asking for an hour: next at %s", d.NextAttemptAt)
	}
	if d := next(claim(1), failed(410, "answered 410"), now, 0.5); d.Status != DeliveryFailed {
		t.Errorf("after a 410: %+v, want failed", d)
	}
	if d := next(claim(len(Schedule)), failed(500, "answered 500"), now, 0.5); d.Status != DeliveryPending {
		t.Errorf("after the round's attempt %d: %+v, want one more", len(Schedule), d)
	}
	d := next(claim(len(Schedule)+1), failed(0, "no response within 10s"), now, 0.5)
	if d.Status != DeliveryFailed || !strings.Contains(d.LastError, "gave up after 11 attempts") {
		t.Errorf("after the last attempt: %+v, want failed, saying so", d)
	}
}
