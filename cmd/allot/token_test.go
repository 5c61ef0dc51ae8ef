package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTokenTTLFlag: allot serve refuses a token TTL outside 1m to 24h, or
// one that is not a duration, saying which flag or variable is wrong.
func TestTokenTTLFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "allot.db")
	for _, c := range []struct {
		name, ttl, env, want string
	}{
		{"too short", "30s", "", "-token-ttl: a token lasts from 1m to 24h, not 30s"},
		{"too long", "25h", "", "-token-ttl: a token lasts from 1m to 24h, not 25h0m0s"},
		{"none", "0", "", "-token-ttl: a token lasts from 1m to 24h, not 0s"},
		{"not a duration", "soon", "", `invalid value "soon" for flag -token-ttl`},
		{"too long in the environment", "", "48h", "-token-ttl: a token lasts from 1m to 24h, not 48h0m0s"},
		{"not a duration in the environment", "", "a while", `ALLOT_TOKEN_TTL: "a while" is not a duration such as 15m or 2h`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("ALLOT_TOKEN_TTL", c.env)
			}
			args := []string{"serve", "-addr", "127.0.0.1:0", "-database", db}
			if c.ttl != "" {
				args = append(args, "-token-ttl", c.ttl)
			}
			code, _, errout := run(t, args...)
			if code != 2 || !strings.Contains(errout, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errout, c.want)
			}
		})
	}
}

// TestServePublishesTokenKeys: allot serve gives the token service its TTL
// and its address as the tokens' issuer, and publishes the key that signs
// at /.well-known/jwks.json.
func TestServePublishesTokenKeys(t *testing.T) {
	m := NewMain(&bytes.Buffer{}, &bytes.Buffer{})
	stop := serve(t, m, "-addr", "127.0.0.1:0", "-data", t.TempDir(), "-workers=false", "-token-ttl", "2h")
	defer stop()
	if m.Tokens.TTL != 2*time.Hour || !strings.HasPrefix(m.Tokens.Issuer, "http://127.0.0.1:") {
		t.Errorf("tokens last %s, issued by %q; want 2h, by the address served", m.Tokens.TTL, m.Tokens.Issuer)
	}
	res, err := http.Get(m.Tokens.Issuer + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct {
		Keys []struct{ Kty, Crv, Alg, Kid string }
	}
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("jwks: %d, %v", res.StatusCode, err)
	}
	if len(set.Keys) != 1 || set.Keys[0].Kty != "OKP" || set.Keys[0].Crv != "Ed25519" || set.Keys[0].Alg != "EdDSA" || set.Keys[0].Kid == "" {
		t.Errorf("jwks keys %+v, want the one Ed25519 key that signs", set.Keys)
	}
}
