package offline

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"allot"
)

// Token is a decision of the check, signed.
type Token struct {
	Value     string    // the JWS in compact form
	KeyID     string    // the kid of the key that signed it
	ExpiresAt time.Time // its exp
}

// Claims are what a token says, inside the signed bytes. Instants are
// NumericDates: seconds since 1970 in UTC.
type Claims struct {
	Issuer    string `json:"iss"`             // the deployment's base URL
	Subject   string `json:"sub"`             // the user's ID
	Email     string `json:"email"`           // the user's e-mail
	Product   string `json:"product"`         // the product's code
	Allowed   bool   `json:"allowed"`         // whether the user may use the product
	Until     int64  `json:"until,omitempty"` // when access ends (allowed), ended or starts (refused); absent when none
	Reason    string `json:"reason,omitempty"`
	IssuedAt  int64  `json:"iat"`
	NotBefore int64  `json:"nbf"`
	Expiry    int64  `json:"exp"`
	ID        string `json:"jti"` // random, unique to the token
}

// Expiry is when a token of decision d issued at now expires: ttl after
// now, but never, when d allows, past the end of the access it grants (an
// allowed decision without an end, which Decide never makes, gets none of
// ttl), nor, when it refuses access that starts later (a scheduled seat),
// past that start. It is a whole second, as a token carries it, rounded
// down so that it stays within both bounds.
func Expiry(d allot.Decision, now time.Time, ttl time.Duration) time.Time {
	exp := now.Add(ttl)
	switch {
	case d.Allowed && d.Until.IsZero():
		exp = now
	case (d.Allowed || d.Until.After(now)) && d.Until.Before(exp):
		exp = d.Until
	}
	return time.Unix(exp.Unix(), 0).UTC()
}

// Issue signs decision d, which the check made just now, as a token that
// lasts TTL at most (Expiry). It reads no database but to make the first
// key, and every KeyRefresh to see whether another process rotated it.
func (s *Service) Issue(ctx context.Context, d allot.Decision) (Token, error) {
	g, err := s.signer(ctx)
	if err != nil {
		return Token{}, fmt.Errorf("issue token: %w", err)
	}
	now := s.Ledger.Clock.Now()
	exp := Expiry(d, now, s.Lifetime())
	c := Claims{Issuer: s.Issuer, Subject: strconv.FormatInt(d.UserID, 10), Email: d.Email, Product: d.ProductCode,
		Allowed: d.Allowed, Reason: d.Reason, IssuedAt: now.Unix(), NotBefore: now.Unix(), Expiry: exp.Unix(), ID: rand.Text()}
	if !d.Until.IsZero() {
		c.Until = d.Until.Unix()
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return Token{}, fmt.Errorf("issue token: %w", err)
	}
	jws, err := g.jose.Sign(payload)
	if err != nil {
		return Token{}, fmt.Errorf("issue token: %w", err)
	}
	v, err := jws.CompactSerialize()
	if err != nil {
		return Token{}, fmt.Errorf("issue token: %w", err)
	}
	return Token{Value: v, KeyID: g.key.ID, ExpiresAt: exp}, nil
}

// Lifetime is how long the Service's tokens last at most: its TTL,
// DefaultTTL when unset.
func (s *Service) Lifetime() time.Duration {
	if s.TTL == 0 {
		return DefaultTTL
	}
	return s.TTL
}

// CheckTTL returns an error naming field when ttl is outside MinTTL to
// MaxTTL.
func CheckTTL(field string, ttl time.Duration) error {
	if ttl < MinTTL || ttl > MaxTTL {
		return allot.Invalid(field, "a token lasts from 1m to 24h, not %s", ttl)
	}
	return nil
}
