package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestIdempotencyKeysForgotten checks that no response is kept past a key's
// lifetime, whoever's key it is: any claim forgets every expired key. And
// that the responses kept before making a token refused keys, which hold
// its secret, are forgotten by the statement of the migration that does it.
func TestIdempotencyKeysForgotten(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		db, plain := storetest.OpenURL(t, url), storetest.OpenPlain(t, url)
		ctx := t.Context()
		keys := func() []string {
			t.Helper()
			rows, err := plain.QueryContext(ctx, `SELECT owner || '/' || key FROM idempotency_keys ORDER BY owner, key`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					t.Fatal(err)
				}
				out = append(out, k)
			}
			return out
		}
		for _, k := range []struct {
			owner, key, body string
			at               time.Time
		}{
			{"1", "old", `{"id":1}`, now},
			{"2", "token", `{"token":{"id":7,"name":"ci"},"secret":"allot_abcdefghijklmnop"}`, now.Add(time.Hour)},
			{"2", "order", `{"id":2,"po_ref":"allot_ref"}`, now.Add(time.Hour)},
		} {
			if _, err := db.ClaimKey(ctx, k.owner, k.key, "h", k.at, 10*time.Minute, 24*time.Hour); err != nil {
				t.Fatal(err)
			}
			if err := db.FinishKey(ctx, k.owner, k.key, 201, "application/json", []byte(k.body)); err != nil {
				t.Fatal(err)
			}
		}
		migration, err := os.ReadFile(filepath.Join("migrations", b.Name, "0012_hardening.sql"))
		if err != nil {
			t.Fatal(err)
		}
		forget, _, _ := strings.Cut(string(migration[bytes.Index(migration, []byte("DELETE FROM idempotency_keys")):]), ";")
		if _, err := plain.ExecContext(ctx, forget); err != nil {
			t.Fatal(err)
		}
		if got, want := keys(), []string{"1/old", "2/order"}; !slices.Equal(got, want) {
			t.Errorf("after the migration the keys are %v, want %v", got, want)
		}
		if _, err := db.ClaimKey(ctx, "3", "new", "h", now.Add(24*time.Hour+time.Second), 10*time.Minute, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if got, want := keys(), []string{"2/order", "3/new"}; !slices.Equal(got, want) {
			t.Errorf("after a claim 24 hours later the keys are %v, want %v", got, want)
		}
	})
}
