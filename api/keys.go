package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"allot"
	"allot/offline"
)

// withToken is the decision d with a token that says it, signed, when
// asked: the check's answer for a product that decides offline for a while.
func (s *Server) withToken(ctx context.Context, d allot.Decision, err error, asked bool) (*body[decision], error) {
	out, err := one(d, err, toDecision)
	if err != nil || !asked {
		return out, err
	}
	if s.offline == nil {
		return nil, allot.Invalid("token", "this deployment issues no offline tokens")
	}
	tok, err := s.offline.Issue(ctx, d)
	if err != nil {
		return nil, err
	}
	out.Body.Token, out.Body.TokenExpiresAt = tok.Value, &tok.ExpiresAt
	return out, nil
}

// signingKey is a key that signs offline tokens, or did.
type signingKey struct {
	KID            string     `json:"kid" example:"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" doc:"The key's ID: the kid of the tokens it signs and of its entry in /.well-known/jwks.json."`
	PublicKey      string     `json:"public_key" doc:"The Ed25519 public key, in base64url."`
	Signs          bool       `json:"signs" doc:"Whether it signs the tokens issued now."`
	CreatedAt      time.Time  `json:"created_at"`
	RetiredAt      *time.Time `json:"retired_at,omitempty" doc:"When it stopped signing."`
	PublishedUntil *time.Time `json:"published_until,omitempty" doc:"When it leaves the published keys: every token it signed has expired by then."`
}

func toSigningKey(k offline.Key) signingKey {
	return signingKey{KID: k.ID, PublicKey: base64.RawURLEncoding.EncodeToString(k.Public()), Signs: k.Signs(),
		CreatedAt: k.CreatedAt, RetiredAt: optTime(k.RetiredAt), PublishedUntil: optTime(k.DropsAt)}
}

func (s *Server) signingKeys(ctx context.Context, _ *struct{}) (*listOutput[signingKey], error) {
	if s.offline == nil {
		return list([]offline.Key{}, nil, toSigningKey)
	}
	keys, err := s.offline.Keys(ctx)
	return list(keys, err, toSigningKey)
}

func (s *Server) rotateSigningKey(ctx context.Context, _ *struct{}) (*body[signingKey], error) {
	if s.offline == nil {
		return nil, allot.Invalid("", "this deployment issues no offline tokens")
	}
	k, err := s.offline.Rotate(ctx)
	return one(k, err, toSigningKey)
}

// JWKSMaxAge is how long a product may keep the published keys before
// asking again. A rotated key signs at once and is published from the same
// moment (the set is read from the database on every request), so a
// product that asks again for a kid it does not hold, as JWKS clients do,
// verifies every token; one that does not waits this long at most.
const JWKSMaxAge = time.Minute

// JWKS serves the public keys that verify offline tokens as a JSON Web Key
// Set, to anyone: a product verifies tokens with them without calling
// allot otherwise. Without tokens there is no set: not found.
func JWKS(tokens *offline.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tokens == nil {
			http.NotFound(w, r)
			return
		}
		set, err := tokens.JWKS(r.Context())
		if err != nil {
			if log != nil {
				log.Error("jwks", "err", err)
			}
			WriteProblem(w, http.StatusInternalServerError, "the keys could not be read", nil)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(int(JWKSMaxAge.Seconds())))
		w.Header().Set("Access-Control-Allow-Origin", "*") // public keys: a product's page may fetch them too
		w.Header().Set("Content-Type", "application/jwk-set+json")
		json.NewEncoder(w).Encode(set)
	})
}
