package offline

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"allot"

	"github.com/go-jose/go-jose/v4"
)

// signer is the key that signs, ready to sign, and when it was read.
type signer struct {
	key    Key
	jose   jose.Signer
	readAt time.Time
}

// fresh reports whether g may still sign at now without reading the key
// again.
func (g *signer) fresh(now time.Time) bool {
	return g != nil && !now.Before(g.readAt) && now.Sub(g.readAt) < KeyRefresh
}

// signer returns the key that signs: the one in memory while it is fresh,
// else the stored one, made on first need.
func (s *Service) signer(ctx context.Context) (*signer, error) {
	now := s.Ledger.Clock.Now()
	if g := s.signing.Load(); g.fresh(now) {
		return g, nil
	}
	s.load.Lock()
	defer s.load.Unlock()
	now = s.Ledger.Clock.Now() // another caller may have read the key while this one waited
	if g := s.signing.Load(); g.fresh(now) {
		return g, nil
	}
	k, err := s.signingKey(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	g, err := newSigner(k, now)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", k.ID, err)
	}
	s.signing.Store(g)
	return g, nil
}

// newSigner makes k ready to sign: EdDSA, its kid and the type JWT in the
// protected header.
func newSigner(k Key, now time.Time) (*signer, error) {
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: k.Private, KeyID: k.ID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, err
	}
	return &signer{key: k, jose: sig, readAt: now}, nil
}

// signingKey reads the key that signs, and makes it when there is none.
// Two processes making the first key at once make one: the second's insert
// breaks the unique index, and it reads the first's.
func (s *Service) signingKey(ctx context.Context, now time.Time) (Key, error) {
	k, found, err := s.readSigning(ctx, now)
	if err != nil || found {
		return k, err
	}
	if k, err = newKey(now); err != nil {
		return Key{}, err
	}
	err = s.Store.Write(ctx, func(tx Tx) error { return tx.AddSigningKey(k) })
	if allot.ErrorCode(err) == allot.ECONFLICT {
		if k, found, err = s.readSigning(ctx, now); err == nil && !found {
			err = fmt.Errorf("no key signs after another process made one")
		}
	}
	return k, err
}

// readSigning reads the key that signs, reporting whether there is one.
func (s *Service) readSigning(ctx context.Context, now time.Time) (Key, bool, error) {
	var keys []Key
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		keys, err = tx.SigningKeys(now)
		return err
	})
	for _, k := range keys {
		if k.Signs() {
			return k, true, err
		}
	}
	return Key{}, false, err
}

// newKey makes a new Ed25519 key, named by its public key's thumbprint
// (RFC 7638).
func newKey(now time.Time) (Key, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, err
	}
	thumb, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return Key{}, err
	}
	return Key{ID: base64.RawURLEncoding.EncodeToString(thumb), Private: priv, CreatedAt: now}, nil
}

// Keys returns the published keys: the one that signs (made when there is
// none yet), then those retired but still published, the latest retired
// first (ActManageKeys).
func (s *Service) Keys(ctx context.Context) ([]Key, error) {
	p, err := allot.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.Must(allot.ActManageKeys, p.Home()); err != nil {
		return nil, err
	}
	if _, err := s.signer(ctx); err != nil {
		return nil, err
	}
	var keys []Key
	err = s.Store.Read(ctx, func(tx Tx) (err error) {
		keys, err = tx.SigningKeys(s.Ledger.Clock.Now())
		return err
	})
	return keys, err
}

// Rotate makes a new key that signs from now on (ActManageKeys). The key
// that signed until now stays published for Overlap, until every token it
// signed has expired; the keys dropped by now are forgotten. It returns the
// new key.
func (s *Service) Rotate(ctx context.Context) (Key, error) {
	now := s.Ledger.Clock.Now()
	k, err := newKey(now)
	if err != nil {
		return Key{}, fmt.Errorf("rotate signing key: %w", err)
	}
	err = allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActManageKeys, p.Home()); err != nil {
			return err
		}
		old, err := tx.SigningKeys(now)
		if err != nil {
			return err
		}
		if err := tx.RetireSigningKeys(now, now.Add(Overlap)); err != nil {
			return err
		}
		if err := tx.AddSigningKey(k); err != nil {
			return err
		}
		if err := tx.DeleteDroppedKeys(now); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, allot.Company{}, "key.rotate", "signing_key", 0, signingKID(old), map[string]string{"kid": k.ID})
	})
	if err != nil {
		return Key{}, err
	}
	s.signing.Store(nil) // this process signs with the new key at once
	return k, nil
}

// signingKID is the kid of the key of keys that signs, for the audit log;
// nil when none does.
func signingKID(keys []Key) any {
	for _, k := range keys {
		if k.Signs() {
			return map[string]string{"kid": k.ID}
		}
	}
	return nil
}

// JWKS returns the published public keys as a JSON Web Key Set (RFC 7517),
// for anyone: the key that signs (made when there is none yet) and the
// retired ones still published.
func (s *Service) JWKS(ctx context.Context) (jose.JSONWebKeySet, error) {
	now := s.Ledger.Clock.Now()
	if _, err := s.signer(ctx); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	var keys []Key
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		keys, err = tx.SigningKeys(now)
		return err
	})
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Public(), KeyID: k.ID, Algorithm: string(jose.EdDSA), Use: "sig"})
	}
	return set, err
}
