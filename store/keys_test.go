package store_test

import (
	"bytes"
	"testing"
	"time"

	"allot/storetest"
)

func TestIdempotencyKeys(t *testing.T) {
	const (
		stale   = 10 * time.Minute
		expired = 24 * time.Hour
	)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		db := b.Open(t)
		ctx := t.Context()
		claim := func(owner, key, hash string, at time.Time) (new, mismatch, running bool, status int, body string) {
			t.Helper()
			c, err := db.ClaimKey(ctx, owner, key, hash, at, stale, expired)
			if err != nil {
				t.Fatal(err)
			}
			return c.New, c.Mismatch, c.InProgress, c.Status, string(c.Body)
		}
		if n, _, _, _, _ := claim("1", "k", "h1", now); !n {
			t.Fatal("a fresh key is not new")
		}
		if _, _, running, _, _ := claim("1", "k", "h1", now.Add(time.Minute)); !running {
			t.Error("a key whose request runs is not in progress")
		}
		if _, mismatch, _, _, _ := claim("1", "k", "h2", now.Add(time.Minute)); !mismatch {
			t.Error("a key used with another request is not a mismatch")
		}
		if n, _, _, _, _ := claim("2", "k", "h1", now); !n {
			t.Error("another owner's same key is not new")
		}
		if err := db.FinishKey(ctx, "1", "k", 201, "application/json", []byte(`{"id":1}`)); err != nil {
			t.Fatal(err)
		}
		n, _, running, status, body := claim("1", "k", "h1", now.Add(time.Hour))
		if n || running || status != 201 || body != `{"id":1}` {
			t.Errorf("finished key: new %v, running %v, %d %q; want the stored 201", n, running, status, body)
		}
		if n, _, _, _, _ := claim("1", "k", "h2", now.Add(expired+time.Second)); !n {
			t.Error("a key older than its lifetime is not forgotten")
		}

		// A claim whose process died is taken over after the lease.
		claim("1", "dead", "h", now)
		if n, _, _, _, _ := claim("1", "dead", "h", now.Add(stale+time.Second)); !n {
			t.Error("a stale claim is not taken over")
		}
		// A released claim may be tried again at once.
		claim("1", "failed", "h", now)
		if err := db.ReleaseKey(ctx, "1", "failed"); err != nil {
			t.Fatal(err)
		}
		if n, _, _, _, _ := claim("1", "failed", "h", now); !n {
			t.Error("a released key is not new")
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t).Sessions()
		if _, found, err := s.Find("nope"); err != nil || found {
			t.Fatalf("Find of an unknown session: found %v, %v", found, err)
		}
		if err := s.Commit("tok", []byte("one"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit("tok", []byte("two"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if data, found, err := s.Find("tok"); err != nil || !found || !bytes.Equal(data, []byte("two")) {
			t.Errorf("Find = %q, %v, %v; want the last commit", data, found, err)
		}
		if err := s.Commit("old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := s.Find("old"); found {
			t.Error("an expired session is found")
		}
		if err := s.Delete("tok"); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := s.Find("tok"); found {
			t.Error("a deleted session is found")
		}
	})
}
