package offline_test

import (
	"testing"
	"time"

	"allot"
	"allot/offline"
	"allot/world"

	"pgregory.net/rapid"
)

// TestExpiryNeverPastAccess checks the one rule of a token's lifetime over
// any decision and TTL: at most the TTL; when allowed, never past the
// access's end; when refused until a later start, never past that start;
// a whole second, less than a second short of the nearest bound.
func TestExpiryNeverPastAccess(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		now := time.Unix(rapid.Int64Range(1e9, 4e9).Draw(t, "now"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns")).UTC()
		ttl := time.Duration(rapid.Int64Range(int64(offline.MinTTL), int64(offline.MaxTTL)).Draw(t, "ttl"))
		d := allot.Decision{Allowed: rapid.Bool().Draw(t, "allowed")}
		if rapid.Bool().Draw(t, "has until") {
			span := int64(2 * offline.MaxTTL)
			d.Until = now.Add(time.Duration(rapid.Int64Range(-span, span).Draw(t, "until from now")))
		}
		exp := offline.Expiry(d, now, ttl)

		bound := now.Add(ttl)
		switch {
		case d.Allowed && d.Until.IsZero():
			bound = now
		case (d.Allowed || d.Until.After(now)) && d.Until.Before(bound):
			bound = d.Until
		}
		if exp.After(now.Add(ttl)) {
			t.Fatalf("expires at %v, past the TTL's %v", exp, now.Add(ttl))
		}
		if d.Allowed && !d.Until.IsZero() && exp.After(d.Until) {
			t.Fatalf("says yes until %v, past the access's end %v", exp, d.Until)
		}
		if d.Allowed && d.Until.IsZero() && exp.After(now) {
			t.Fatalf("says yes until %v for an access without an end", exp)
		}
		if !d.Allowed && d.Until.After(now) && exp.After(d.Until) {
			t.Fatalf("says no until %v, past the access's start %v", exp, d.Until)
		}
		if exp.Nanosecond() != 0 || exp.Location() != time.UTC {
			t.Fatalf("expires at %v: not a whole second in UTC", exp)
		}
		if !exp.Add(time.Second).After(bound) {
			t.Fatalf("expires at %v, a second or more before its bound %v", exp, bound)
		}
	})
}

// TestExpiry names the cases the property covers.
func TestExpiry(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 500_000_000, time.UTC)
	at := func(d time.Duration) time.Time { return now.Add(d) }
	whole := func(d time.Duration) time.Time { return now.Add(d).Truncate(time.Second) }
	for _, c := range []struct {
		name string
		d    allot.Decision
		want time.Time
	}{
		{"a seat ending after the TTL: the TTL", allot.Decision{Allowed: true, Until: at(time.Hour)}, whole(15 * time.Minute)},
		{"a seat ending in 5 minutes: its end", allot.Decision{Allowed: true, Until: at(5 * time.Minute)}, whole(5 * time.Minute)},
		{"a refusal for an expired seat: the TTL", allot.Decision{Reason: allot.DenyExpired, Until: at(-time.Hour)}, whole(15 * time.Minute)},
		{"a refusal without a seat: the TTL", allot.Decision{Reason: allot.DenyNoSeat}, whole(15 * time.Minute)},
		{"a refusal until a seat starts in 2 minutes: the start", allot.Decision{Reason: allot.DenyScheduled, Until: at(2 * time.Minute)}, whole(2 * time.Minute)},
		{"an allowed decision without an end: none", allot.Decision{Allowed: true}, whole(0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := offline.Expiry(c.d, now, 15*time.Minute); !got.Equal(c.want) {
				t.Errorf("Expiry = %v, want %v", got, c.want)
			}
		})
	}
}

// TestCheckTTL checks the bounds of the TTL, which the command's flag
// refuses outside them, naming the flag.
func TestCheckTTL(t *testing.T) {
	for ttl, ok := range map[time.Duration]bool{time.Minute: true, 15 * time.Minute: true, 24 * time.Hour: true,
		59 * time.Second: false, 24*time.Hour + time.Second: false, 0: false, -time.Minute: false} {
		err := offline.CheckTTL("-token-ttl", ttl)
		if (err == nil) != ok {
			t.Errorf("CheckTTL(%s) = %v, want ok %v", ttl, err, ok)
		}
		if err != nil && (allot.ErrorCode(err) != allot.EINVALID || world.FieldOf(err) != "-token-ttl") {
			t.Errorf("CheckTTL(%s) = %v, want EINVALID naming -token-ttl", ttl, err)
		}
	}
}
