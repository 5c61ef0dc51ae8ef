package storetest

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/offline"
)

var signingKeyTests = []test{
	{"KeptAndListedSigningFirst", testSigningKeysKept},
	{"OneKeySigns", testOneKeySigns},
	{"OneKeySignsAcrossWriters", testOneKeySignsRacing},
	{"DroppedKeysForgotten", testDroppedKeysForgotten},
}

// signingKey is a new key named name, made at at.
func signingKey(t *testing.T, name string, at time.Time) offline.Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return offline.Key{ID: name, Private: priv, CreatedAt: at}
}

// signingKeys returns s's keys not dropped at now.
func signingKeys(t *testing.T, s Stores, now time.Time) []offline.Key {
	t.Helper()
	return read(t, s.Offline(), func(tx offline.Tx) ([]offline.Key, error) { return tx.SigningKeys(now) })
}

// kids are the IDs of keys, in order.
func kids(keys []offline.Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.ID
	}
	return out
}

func testSigningKeysKept(t *testing.T, s Stores) {
	a, b := signingKey(t, "a", t0), signingKey(t, "b", t0.Add(time.Hour))
	write(t, s.Offline(), func(tx offline.Tx) error { return tx.AddSigningKey(a) })
	write(t, s.Offline(), func(tx offline.Tx) error {
		if err := tx.RetireSigningKeys(t0.Add(time.Hour), t0.Add(2*time.Hour)); err != nil {
			return err
		}
		return tx.AddSigningKey(b)
	})
	keys := signingKeys(t, s, t0.Add(time.Hour))
	if fmt.Sprint(kids(keys)) != "[b a]" {
		t.Fatalf("keys %v, want the one that signs first, then the retired one", kids(keys))
	}
	got, want := keys[1], a
	want.RetiredAt, want.DropsAt = t0.Add(time.Hour), t0.Add(2*time.Hour)
	if got.ID != want.ID || !got.Private.Equal(want.Private) || !got.CreatedAt.Equal(want.CreatedAt) ||
		!got.RetiredAt.Equal(want.RetiredAt) || !got.DropsAt.Equal(want.DropsAt) {
		t.Errorf("retired key %+v, want %+v", got, want)
	}
	if !keys[0].Signs() || !keys[0].Private.Equal(b.Private) || !keys[0].CreatedAt.Equal(b.CreatedAt) {
		t.Errorf("signing key %+v, want %+v", keys[0], b)
	}
	if keys := signingKeys(t, s, t0.Add(2*time.Hour)); fmt.Sprint(kids(keys)) != "[b]" {
		t.Errorf("keys at the retired one's drop %v, want only the one that signs", kids(keys))
	}
}

func testOneKeySigns(t *testing.T, s Stores) {
	write(t, s.Offline(), func(tx offline.Tx) error { return tx.AddSigningKey(signingKey(t, "a", t0)) })
	err := s.Offline().Write(t.Context(), func(tx offline.Tx) error { return tx.AddSigningKey(signingKey(t, "b", t0)) })
	if allot.ErrorCode(err) != allot.ECONFLICT {
		t.Errorf("a second key that signs: %v, want ECONFLICT", err)
	}
	if keys := signingKeys(t, s, t0); fmt.Sprint(kids(keys)) != "[a]" {
		t.Errorf("keys %v, want the first alone", kids(keys))
	}
}

// testOneKeySignsRacing adds keys that sign from several writers at once,
// as processes starting together make the first key: one is kept.
func testOneKeySignsRacing(t *testing.T, s Stores) {
	const writers = 6
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		k := signingKey(t, fmt.Sprint("k", i), t0)
		wg.Go(func() {
			errs[i] = s.Offline().Write(t.Context(), func(tx offline.Tx) error { return tx.AddSigningKey(k) })
		})
	}
	wg.Wait()
	added := 0
	for _, err := range errs {
		switch allot.ErrorCode(err) {
		case "":
			added++
		case allot.ECONFLICT:
		default:
			t.Errorf("adding a key: %v, want ECONFLICT when another signs", err)
		}
	}
	if keys := signingKeys(t, s, t0); added != 1 || len(keys) != 1 {
		t.Errorf("%d writers added a key, %d keys stored; want one", added, len(keys))
	}
}

func testDroppedKeysForgotten(t *testing.T, s Stores) {
	write(t, s.Offline(), func(tx offline.Tx) error { return tx.AddSigningKey(signingKey(t, "a", t0)) })
	write(t, s.Offline(), func(tx offline.Tx) error {
		if err := tx.RetireSigningKeys(t0, t0.Add(time.Hour)); err != nil {
			return err
		}
		return tx.AddSigningKey(signingKey(t, "b", t0))
	})
	write(t, s.Offline(), func(tx offline.Tx) error { return tx.DeleteDroppedKeys(t0.Add(time.Hour - time.Second)) })
	if keys := signingKeys(t, s, time.Time{}); fmt.Sprint(kids(keys)) != "[b a]" {
		t.Errorf("keys before the drop %v, want both kept", kids(keys))
	}
	write(t, s.Offline(), func(tx offline.Tx) error { return tx.DeleteDroppedKeys(t0.Add(time.Hour)) })
	if keys := signingKeys(t, s, time.Time{}); fmt.Sprint(kids(keys)) != "[b]" {
		t.Errorf("keys after the drop %v, want the dropped one forgotten", kids(keys))
	}
}
