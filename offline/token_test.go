package offline_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/offline"
	"allot/store"
	"allot/storetest"
	"allot/world"

	"github.com/go-jose/go-jose/v4"
)

// issuer is the deployment's address the tests' tokens name.
const issuer = "https://allot.example"

// tokens returns the token service of f's ledger, with a TTL of 15 minutes.
func tokens(f *world.Fixture) *offline.Service {
	return &offline.Service{Ledger: f.Svc, Store: f.DB.Offline(), TTL: 15 * time.Minute, Issuer: issuer}
}

// verify checks tok's signature with the keys svc publishes now and
// returns its header and claims; it fails the test when no published key
// verifies it.
func verify(t *testing.T, svc *offline.Service, tok string) (jose.Header, offline.Claims) {
	t.Helper()
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		t.Fatalf("parse %s: %v", tok, err)
	}
	set := world.Must(svc.JWKS(context.Background()))(t)
	h := jws.Signatures[0].Protected
	keys := set.Key(h.KeyID)
	if len(keys) != 1 {
		t.Fatalf("the key %s is not published: %+v", h.KeyID, set)
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var c offline.Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return h, c
}

// TestTokenNeverOutlivesTheSeat: a learner whose seat ends in 5 minutes
// gets a token of 15 minutes' TTL that expires when the seat ends, and
// says so in its signed claims.
func TestTokenNeverOutlivesTheSeat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		pool := f.Assigned(allot.NewOrder{Quantity: 1, TermDays: 1})
		u := f.Learner(f.Company, "ada@acme.test")
		f.Clock.Set(pool.EndsAt.Add(-5 * time.Minute))
		d := f.Check(u, "premium")
		if !d.Allowed || !d.Until.Equal(pool.EndsAt) {
			t.Fatalf("decision %+v, want allowed until the pool's end %v", d, pool.EndsAt)
		}
		svc := tokens(f)
		tok := world.Must(svc.Issue(context.Background(), d))(t)
		if !tok.ExpiresAt.Equal(pool.EndsAt.Truncate(time.Second)) {
			t.Errorf("token expires at %v, want the seat's end %v", tok.ExpiresAt, pool.EndsAt)
		}
		h, c := verify(t, svc, tok.Value)
		if h.Algorithm != "EdDSA" || h.KeyID != tok.KeyID || h.ExtraHeaders["typ"] != "JWT" {
			t.Errorf("header %+v, want EdDSA, kid %s, typ JWT", h, tok.KeyID)
		}
		now := f.Clock.Now().Unix()
		want := offline.Claims{Issuer: issuer, Subject: strconv.FormatInt(u.ID, 10), Email: u.Email, Product: "premium", Allowed: true,
			Until: pool.EndsAt.Unix(), IssuedAt: now, NotBefore: now, Expiry: pool.EndsAt.Unix(), ID: c.ID}
		if c != want {
			t.Errorf("claims\n%+v, want\n%+v", c, want)
		}
		if c.Expiry > d.Until.Unix() {
			t.Errorf("exp %d past the seat's end %d", c.Expiry, d.Until.Unix())
		}
		if other := world.Must(svc.Issue(context.Background(), d))(t); other.Value == tok.Value {
			t.Error("two tokens of one decision are the same: jti is not random")
		}
	})
}

// TestRefusedToken: a refused decision's token says no, why and since
// when, and lasts the TTL: its seat's end, past, does not shorten it.
func TestRefusedToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		pool := f.Assigned(allot.NewOrder{Quantity: 1, TermDays: 1})
		u := f.Learner(f.Company, "ada@acme.test")
		f.Clock.Set(pool.EndsAt.Add(time.Hour))
		d := f.Check(u, "premium")
		if d.Allowed || d.Reason != allot.DenyExpired {
			t.Fatalf("decision %+v, want refused as expired", d)
		}
		svc := tokens(f)
		tok := world.Must(svc.Issue(context.Background(), d))(t)
		_, c := verify(t, svc, tok.Value)
		now := f.Clock.Now()
		if c.Allowed || c.Reason != allot.DenyExpired || c.Until != pool.EndsAt.Unix() || c.Expiry != now.Add(15*time.Minute).Unix() {
			t.Errorf("claims %+v, want refused as expired since %d, expiring after the TTL", c, pool.EndsAt.Unix())
		}
	})
}

// TestRotationKeepsTheOldKeyPublished: rotating makes a new key sign at
// once; the old one stays published, verifying its tokens, until its
// retirement plus the overlap, then leaves the set.
func TestRotationKeepsTheOldKeyPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		svc := tokens(f)
		ctx := f.As(f.Admin)
		d := allot.Decision{Allowed: true, UserID: 1, Email: "ada@acme.test", ProductCode: "premium", Until: f.Clock.Now().Add(48 * time.Hour)}
		old := world.Must(svc.Issue(ctx, d))(t)
		rotatedAt := f.Clock.Now()
		k := world.Must(svc.Rotate(ctx))(t)
		if k.ID == old.KeyID {
			t.Fatal("the new key is the old one")
		}
		if tok := world.Must(svc.Issue(ctx, d))(t); tok.KeyID != k.ID {
			t.Errorf("after rotating, a token is signed by %s, want the new key %s", tok.KeyID, k.ID)
		}
		keys := world.Must(svc.Keys(ctx))(t)
		if len(keys) != 2 || keys[0].ID != k.ID || !keys[0].Signs() || keys[1].ID != old.KeyID || keys[1].Signs() ||
			!keys[1].DropsAt.Equal(rotatedAt.Add(offline.Overlap)) {
			t.Fatalf("keys %+v, want the new one signing, the old one retired until %v", keys, rotatedAt.Add(offline.Overlap))
		}

		f.Clock.Set(rotatedAt.Add(offline.Overlap - time.Second))
		if !published(t, svc, old.KeyID) {
			t.Errorf("the old key left the set before its overlap ended")
		}
		f.Clock.Set(rotatedAt.Add(offline.Overlap))
		if published(t, svc, old.KeyID) {
			t.Errorf("the old key is still published after its overlap")
		}
		if !published(t, svc, k.ID) {
			t.Errorf("the new key is not published")
		}
		if n := len(world.Must(svc.Keys(ctx))(t)); n != 1 {
			t.Errorf("%d keys listed after the overlap, want the one that signs", n)
		}

		// The next rotation forgets the dropped key, its private key with it.
		world.Must(svc.Rotate(ctx))(t)
		var all []offline.Key
		err := f.DB.Offline().Read(context.Background(), func(tx offline.Tx) (err error) {
			all, err = tx.SigningKeys(time.Time{}) // every stored key, dropped or not
			return err
		})
		if err != nil || len(all) != 2 {
			t.Errorf("%d keys stored after the next rotation (%v), want 2: the dropped one forgotten", len(all), err)
		}
	})
}

// published reports whether the key kid is in svc's JWKS now.
func published(t *testing.T, svc *offline.Service, kid string) bool {
	t.Helper()
	set := world.Must(svc.JWKS(context.Background()))(t)
	return len(set.Key(kid)) == 1
}

// TestFirstKeyOnceAcrossProcesses: processes that start together on one
// database, each issuing its first token at once, make one key between
// them and sign with it.
func TestFirstKeyOnceAcrossProcesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		const processes = 4
		kids := make([]string, processes)
		errs := make([]error, processes)
		var wg sync.WaitGroup
		for i := range processes {
			db := storetest.OpenURL(t, url)
			svc := &offline.Service{Ledger: allot.NewService(db, allot.NewManualClock(world.T0), nil), Store: db.Offline()}
			wg.Go(func() {
				var tok offline.Token
				tok, errs[i] = svc.Issue(context.Background(), allot.Decision{UserID: 1, ProductCode: "premium"})
				kids[i] = tok.KeyID
			})
		}
		wg.Wait()
		for i := range processes {
			if errs[i] != nil || kids[i] != kids[0] {
				t.Errorf("process %d signed with %q (%v), process 0 with %q: want one key", i, kids[i], errs[i], kids[0])
			}
		}
	})
}

// TestIssueReadsNoDatabase: once the key is in memory, tokens are issued
// with the database closed, until the key is due to be read again.
func TestIssueReadsNoDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		db, err := store.Open(context.Background(), b.URL(t)) // closed by the test
		if err != nil {
			t.Fatal(err)
		}
		clock := allot.NewManualClock(world.T0)
		svc := &offline.Service{Ledger: allot.NewService(db, clock, nil), Store: db.Offline()}
		d := allot.Decision{Allowed: true, UserID: 1, ProductCode: "premium", Until: world.T0.Add(time.Hour)}
		first := world.Must(svc.Issue(context.Background(), d))(t)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		clock.Advance(offline.KeyRefresh - time.Second)
		if tok, err := svc.Issue(context.Background(), d); err != nil || tok.KeyID != first.KeyID {
			t.Errorf("issuing with the key in memory: %v, %v; want a token of %s without the database", tok.KeyID, err, first.KeyID)
		}
		clock.Advance(time.Second)
		if _, err := svc.Issue(context.Background(), d); err == nil {
			t.Error("issuing a minute later read no database: the key is never read again")
		}
	})
}

// TestRotationElsewhereSeenWithinAMinute: a process signs with the key it
// read until another process's rotation is a minute old at most, then with
// the new key; the one that rotated signs with the new key at once.
func TestRotationElsewhereSeenWithinAMinute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		clock := allot.NewManualClock(world.T0)
		process := func() *offline.Service {
			db := storetest.OpenURL(t, url)
			return &offline.Service{Ledger: allot.NewService(db, clock, nil), Store: db.Offline()}
		}
		one, two := process(), process()
		d := allot.Decision{Allowed: true, UserID: 1, ProductCode: "premium", Until: world.T0.Add(time.Hour)}
		old := world.Must(one.Issue(context.Background(), d))(t).KeyID
		k := world.Must(two.Rotate(allot.WithPrincipal(context.Background(), allot.System)))(t)
		if got := world.Must(two.Issue(context.Background(), d))(t).KeyID; got != k.ID {
			t.Errorf("the rotating process signs with %s, want the new key %s", got, k.ID)
		}
		clock.Advance(offline.KeyRefresh - time.Second)
		if got := world.Must(one.Issue(context.Background(), d))(t).KeyID; got != old {
			t.Errorf("the other process read the key again before a minute: %s, want %s", got, old)
		}
		clock.Advance(time.Second)
		if got := world.Must(one.Issue(context.Background(), d))(t).KeyID; got != k.ID {
			t.Errorf("a minute on, the other process signs with %s, want the new key %s", got, k.ID)
		}
	})
}
