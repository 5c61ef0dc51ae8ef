package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"allot"
	"allot/offline"

	"github.com/go-jose/go-jose/v4"
)

// TestOfflineTokens asks the check for tokens and verifies them with the
// keys /.well-known/jwks.json publishes, without credentials; only the
// vendor admin lists and rotates the keys, and a token signed before a
// rotation still verifies.
func TestOfflineTokens(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		first := e.checkToken(t, "acme-learner", "premium", true)

		e.run(t, []scenario{
			{name: "the keys are published to anyone, for a few minutes", request: request{method: "GET", path: "/.well-known/jwks.json"},
				status: 200, want: []string{`"kty":"OKP"`, `"crv":"Ed25519"`, `"alg":"EdDSA"`, `"kid":"` + first.kid + `"`}, notWant: []string{`"d":`},
				check: func(t *testing.T, res *http.Response, body string) {
					if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
						t.Errorf("Cache-Control %q, want public for 5 minutes", cc)
					}
					if o := res.Header.Get("Access-Control-Allow-Origin"); o != "*" {
						t.Errorf("Access-Control-Allow-Origin %q, want any origin", o)
					}
				}},
			{name: "no token unless asked", request: request{who: "admin", method: "GET", path: "/v1/check?user={acme.learner}&product=premium"},
				status: 200, notWant: []string{`"token"`, `"token_expires_at"`}},
			{name: "a learner lists no keys", request: request{who: "acme-learner", method: "GET", path: "/v1/signing-keys"}, status: 403},
			{name: "a company manager rotates none", request: request{who: "acme-cm", method: "POST", path: "/v1/signing-keys/rotate"}, status: 403},
			{name: "a partner manager rotates none", request: request{who: "pm", method: "POST", path: "/v1/signing-keys/rotate"}, status: 403},
			{name: "an account manager rotates none", request: request{who: "am", method: "POST", path: "/v1/signing-keys/rotate"}, status: 403},
			{name: "the vendor admin lists the key that signs", request: request{who: "admin", method: "GET", path: "/v1/signing-keys"},
				status: 200, want: []string{`"kid":"` + first.kid + `","public_key":"`, `"signs":true`}, notWant: []string{`"retired_at"`}},
			{name: "the vendor admin rotates", request: request{who: "admin", method: "POST", path: "/v1/signing-keys/rotate"},
				status: 201, want: []string{`"signs":true`}, notWant: []string{first.kid}},
			{name: "the old key is listed retired, published a day and a few minutes", request: request{who: "admin", method: "GET", path: "/v1/signing-keys"},
				status: 200, want: []string{`"kid":"` + first.kid + `"`, `"signs":false`,
					`"published_until":"` + e.clock.Now().Add(offline.Overlap).Format(time.RFC3339) + `"`}},
		})

		second := e.checkToken(t, "acme-learner", "premium", true)
		if second.kid == first.kid {
			t.Errorf("after rotating, the token is signed by the old key %s", first.kid)
		}
		e.verifyToken(t, first.token) // signed before the rotation: still published
		must(e.svc.CreateProduct(allot.WithPrincipal(context.Background(), allot.System), allot.Product{Code: "ai-coach", Name: "AI coach"}))(t)
		refused := e.checkToken(t, "globex-learner", "ai-coach", false)
		if refused.claims.Allowed || refused.claims.Reason == "" {
			t.Errorf("a refused check's token says %+v", refused.claims)
		}
	})
}

// checked is a check's answer with its token, verified.
type checked struct {
	token, kid string
	claims     offline.Claims
}

// checkToken checks, as the vendor admin, whether who's user may use
// product, with a token: the answer must be allowed as said, and its token
// verify with the published keys and say what the answer says.
func (e *env) checkToken(t *testing.T, who, product string, allowed bool) checked {
	t.Helper()
	res, body := e.do(request{who: "admin", method: "GET", path: "/v1/check?user=" + strconv.FormatInt(e.ids[who], 10) + "&product=" + product + "&token=true"})
	if res.StatusCode != 200 {
		t.Fatalf("check %s with a token: %d %s", who, res.StatusCode, body)
	}
	var d struct {
		Allowed        bool       `json:"allowed"`
		UserID         int64      `json:"user_id"`
		Email          string     `json:"email"`
		Until          *time.Time `json:"until"`
		Reason         string     `json:"reason"`
		Token          string     `json:"token"`
		TokenExpiresAt time.Time  `json:"token_expires_at"`
	}
	decode(t, body, &d)
	if d.Allowed != allowed || d.Token == "" {
		t.Fatalf("check %s: %s, want allowed %v with a token", who, body, allowed)
	}
	kid, c := e.verifyToken(t, d.Token)
	want := offline.Claims{Issuer: "https://allot.test", Subject: strconv.FormatInt(d.UserID, 10), Email: d.Email, Product: product,
		Allowed: d.Allowed, Reason: d.Reason, IssuedAt: e.clock.Now().Unix(), NotBefore: e.clock.Now().Unix(),
		Expiry: d.TokenExpiresAt.Unix(), ID: c.ID}
	if d.Until != nil {
		want.Until = d.Until.Unix()
	}
	if c != want || c.ID == "" {
		t.Errorf("claims\n%+v, want\n%+v", c, want)
	}
	if wantExp := offline.Expiry(decisionOf(d.Allowed, d.Until), e.clock.Now(), offline.DefaultTTL); !d.TokenExpiresAt.Equal(wantExp) {
		t.Errorf("token_expires_at %v, want %v", d.TokenExpiresAt, wantExp)
	}
	return checked{token: d.Token, kid: kid, claims: c}
}

// verifyToken verifies tok with the keys /.well-known/jwks.json publishes,
// and returns the kid that signed it and its claims.
func (e *env) verifyToken(t *testing.T, tok string) (string, offline.Claims) {
	t.Helper()
	res, body := e.do(request{method: "GET", path: "/.well-known/jwks.json"})
	var set jose.JSONWebKeySet
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &set) != nil {
		t.Fatalf("jwks: %d %s", res.StatusCode, body)
	}
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		t.Fatalf("parse token: %v", err)
	}
	kid := jws.Signatures[0].Protected.KeyID
	keys := set.Key(kid)
	if len(keys) != 1 {
		t.Fatalf("the token's key %s is not published: %s", kid, body)
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		t.Fatalf("verify token: %v", err)
	}
	var c offline.Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return kid, c
}

// decisionOf is a decision allowed or not until until.
func decisionOf(allowed bool, until *time.Time) allot.Decision {
	d := allot.Decision{Allowed: allowed}
	if until != nil {
		d.Until = *until
	}
	return d
}
