package offline_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot/offline"
	"allot/server"
	"allot/storetest"
	"allot/world"
)

// verifyScript verifies tokens as a product would, with npm's jose and the
// keys of a JWKS URL: argv[2] is the URL, argv[3] the issuer, stdin a JSON
// list of tokens. It prints, for each, its claims or jose's error code.
const verifyScript = `import { createRemoteJWKSet, jwtVerify } from "jose";
const [url, issuer] = process.argv.slice(2);
const tokens = JSON.parse(await new Promise(r => { let s = ""; process.stdin.on("data", d => s += d); process.stdin.on("end", () => r(s)); }));
const keys = createRemoteJWKSet(new URL(url));
const out = [];
for (const token of tokens) {
	try {
		const { payload, protectedHeader } = await jwtVerify(token, keys, { issuer, algorithms: ["EdDSA"], typ: "JWT" });
		out.push({ claims: payload, kid: protectedHeader.kid });
	} catch (e) {
		out.push({ error: e.code || String(e) });
	}
}
console.log(JSON.stringify(out));
`

// verdict is what jose says of a token: its claims, or why it refused it.
type verdict struct {
	Claims offline.Claims `json:"claims"`
	KID    string         `json:"kid"`
	Error  string         `json:"error"`
}

// joseVerify runs verifyScript on tokens against the keys srv publishes.
func joseVerify(t *testing.T, srv *httptest.Server, tokens ...string) []verdict {
	t.Helper()
	modules, node := os.Getenv("ALLOT_NODE_MODULES"), ""
	if p, err := exec.LookPath("node"); err == nil {
		node = p
	}
	if modules == "" || node == "" {
		t.Skip("tokens are verified by npm's jose: install Node.js and npm install jose@6.2.19, and set ALLOT_NODE_MODULES to its node_modules (.ci/run does)")
	}
	dir := t.TempDir()
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "verify.mjs")
	if err := os.WriteFile(script, []byte(verifyScript), 0o600); err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(tokens)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, srv.URL+"/.well-known/jwks.json", srv.URL)
	cmd.Stdin = strings.NewReader(string(in))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var vs []verdict
	if err := json.Unmarshal(out, &vs); err != nil || len(vs) != len(tokens) {
		t.Fatalf("node printed %s: %v", out, err)
	}
	return vs
}

// TestJoseVerifiesTokens runs a real allot server, asks its check for
// tokens, and has npm's jose verify them with the keys the server
// publishes, as a product does: a valid token verifies and says what the
// check said; an expired one, one whose claims were changed, and one
// signed by a key rotated out of the published set are refused.
func TestJoseVerifiesTokens(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	w := world.NewWith(t, storetest.Backends[0], world.Options{Start: now.Add(-2 * time.Hour)}) // seats from two hours ago
	w.Clock.Set(now)
	svc := &offline.Service{Ledger: w.Svc, Store: w.DB.Offline(), TTL: 15 * time.Minute}
	srv := httptest.NewServer(server.New(server.Config{Ledger: w.Svc, Directory: w.Dir, Accounts: w.Accounts, Reports: w.Reports,
		Tokens: svc, Sessions: w.DB.Sessions(), Keys: w.DB}))
	t.Cleanup(srv.Close)
	svc.Issuer = srv.URL
	_, secret, err := w.Svc.CreateToken(w.Ctx(t, "admin"), "product", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	learner := w.Acme.Learner

	valid, d := check(t, srv, secret, learner.Email)
	w.Clock.Set(now.Add(-time.Hour)) // a token issued an hour ago, of 15 minutes
	expired, _ := check(t, srv, secret, learner.Email)
	w.Clock.Set(now)
	tampered := tamper(t, valid)

	vs := joseVerify(t, srv, valid, expired, tampered)
	want := offline.Claims{Issuer: srv.URL, Subject: strconv.FormatInt(learner.ID, 10), Email: learner.Email, Product: "premium",
		Allowed: true, Until: d.Until.Unix(), IssuedAt: now.Unix(), NotBefore: now.Unix(), Expiry: d.TokenExpiresAt.Unix(), ID: vs[0].Claims.ID}
	if vs[0].Error != "" || vs[0].Claims != want || vs[0].Claims.ID == "" {
		t.Errorf("the valid token: %+v, want claims\n%+v", vs[0], want)
	}
	if !d.Allowed || d.TokenExpiresAt.Unix() != now.Add(15*time.Minute).Unix() {
		t.Errorf("the check: %+v, want allowed with a token of 15 minutes", d)
	}
	for i, c := range []struct{ name, code string }{{"the expired token", "ERR_JWT_EXPIRED"},
		{"the tampered token", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"}} {
		if got := vs[i+1]; got.Error != c.code {
			t.Errorf("%s: %+v, want refused with %s", c.name, got, c.code)
		}
	}

	// The key that signed valid is rotated out: retired longer ago than
	// the overlap, it is no longer published, and jose refuses its token.
	w.Clock.Set(now.Add(-offline.Overlap - time.Minute))
	if _, err := svc.Rotate(w.Ctx(t, "admin")); err != nil {
		t.Fatal(err)
	}
	w.Clock.Set(now)
	fresh, _ := check(t, srv, secret, learner.Email)
	vs = joseVerify(t, srv, valid, fresh)
	if vs[0].Error != "ERR_JWKS_NO_MATCHING_KEY" {
		t.Errorf("a token of a key rotated out: %+v, want refused with ERR_JWKS_NO_MATCHING_KEY", vs[0])
	}
	if vs[1].Error != "" || vs[1].KID == vs[0].KID || !vs[1].Claims.Allowed {
		t.Errorf("a token of the new key: %+v, want it verified", vs[1])
	}
}

// checkAnswer is the check's answer with its token.
type checkAnswer struct {
	Allowed        bool      `json:"allowed"`
	Until          time.Time `json:"until"`
	Token          string    `json:"token"`
	TokenExpiresAt time.Time `json:"token_expires_at"`
}

// check asks srv's check, with the API token secret, whether email may use
// premium, with a token.
func check(t *testing.T, srv *httptest.Server, secret, email string) (string, checkAnswer) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/v1/check?product=premium&token=true&user="+email, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var a checkAnswer
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &a) != nil || a.Token == "" {
		t.Fatalf("check %s: %d %s", email, res.StatusCode, body)
	}
	return a.Token, a
}

// tamper returns tok with its claims changed to refuse (allowed false),
// its signature kept.
func tamper(t *testing.T, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(payload), `"allowed":true`, `"allowed":false`, 1)
	if changed == string(payload) {
		t.Fatalf("no allowed claim to change in %s", payload)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(changed))
	return strings.Join(parts, ".")
}
