package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/directory"
	"allot/offline"
	"allot/programme"
	"allot/scim"
	"allot/server"
	"allot/store"
	"allot/storetest"
	"allot/support"
	"allot/webhook"
	"allot/world"
)

// env is a running API over the shared test world (package world), with an
// API token for each of its people.
//
// Names of people (the keys of tokens): admin, am (account manager), agent
// (support agent), success, pm (Channel One's manager), pm2 (Channel
// Two's), and C-cm and C-learner for each company C. acme and beta are
// Channel One's customers, globex Channel Two's, solo a direct customer.
// Named ids (keys of ids): the people, partner1 (Channel One), partner2
// (Channel Two), acme, beta, globex, solo, and for each company C: C.pool
// (premium) and C.pool.order (the order it came from), C.seat, C.order
// (requested), C.learner, C.cm; acme.coaching and globex.coaching (their
// coaching pools) and their orders acme.coaching.order and
// globex.coaching.order; premium (the product).
type env struct {
	t        *testing.T
	srv      *httptest.Server
	svc      *allot.Service
	dir      *directory.Service
	acc      *account.Service
	programs *programme.Service
	support  *support.Service
	webhooks *webhook.Service
	db       *store.DB
	clock    *allot.ManualClock
	tokens   map[string]string
	emails   map[string]string // the people's, by name
	ids      map[string]int64
}

// t0 is when the world starts.
var t0 = world.T0

func newEnv(t *testing.T, b storetest.Backend) *env {
	t.Helper()
	return newEnvWith(t, b, server.Config{InsecureCookies: true})
}

// newEnvWith is newEnv with a server made with c; its sessions and
// idempotency keys are kept in the env's store unless c names others.
func newEnvWith(t *testing.T, b storetest.Backend, c server.Config) *env {
	t.Helper()
	w := world.New(t, b)
	e := &env{t: t, svc: w.Svc, dir: w.Dir, acc: w.Accounts, programs: w.Programs, db: w.DB, clock: w.Clock,
		tokens: map[string]string{}, emails: map[string]string{}, ids: map[string]int64{}}
	c.Ledger, c.Directory, c.Accounts, c.Programs, c.Support = e.svc, e.dir, w.Accounts, w.Programs, w.Support
	c.Reports, c.Reclaim = w.Reports, w.Reclaim
	e.support = w.Support
	c.SCIM = &scim.Service{Ledger: e.svc, Store: e.db.SCIM(), Directory: e.dir}
	if c.Tokens == nil { // offline tokens, by the keys in the env's store
		c.Tokens = &offline.Service{Ledger: e.svc, Store: e.db.Offline(), TTL: offline.DefaultTTL, Issuer: "https://allot.test"}
	}
	if c.Webhooks == nil {
		c.Webhooks = &webhook.Service{Ledger: e.svc, Store: e.db.Webhook()}
	}
	e.webhooks = c.Webhooks
	if c.Sessions == nil {
		c.Sessions = e.db.Sessions()
	}
	if c.Keys == nil {
		c.Keys = e.db
	}
	e.srv = httptest.NewServer(server.New(c))
	t.Cleanup(e.srv.Close)

	e.ids["premium"] = w.Product.ID
	e.ids["partner1"], e.ids["partner2"] = w.Partner.ID, w.Partner2.ID
	for _, name := range []string{"admin", "am", "agent", "success", "pm", "pm2"} {
		e.person(name, w.Users[name])
	}
	for name, c := range map[string]world.Customer{"acme": w.Acme, "beta": w.Beta, "globex": w.Globex, "solo": w.Solo} {
		e.ids[name] = c.Company.ID
		e.person(name+"-cm", w.Users[name+" cm"])
		e.person(name+"-learner", c.Learner)
		e.ids[name+".cm"] = c.CM.UserID
		e.ids[name+".learner"] = c.Learner.ID
		e.ids[name+".pool"], e.ids[name+".pool.order"] = c.Pool.ID, c.Pool.OrderID
		e.ids[name+".seat"] = c.Seat.ID
		e.ids[name+".order"] = c.Order.ID
	}
	e.ids["acme.coaching"], e.ids["acme.coaching.order"] = w.Acme.Coaching.ID, w.Acme.Coaching.OrderID
	e.ids["globex.coaching"], e.ids["globex.coaching.order"] = w.Globex.Coaching.ID, w.Globex.Coaching.OrderID
	return e
}

// Password is every test person's password.
const Password = world.Password

// person gives u an API token and names u, their id and e-mail.
func (e *env) person(name string, u allot.User) {
	_, e.tokens[name] = e.token(u, "tests")
	e.emails[name] = u.Email
	e.ids[name] = u.ID
}

// token gives u an API token named name and returns it with its secret:
// made through the service, or for a learner, who may make none, put right
// in the store, as a token made before learners could not.
func (e *env) token(u allot.User, name string) (allot.Token, string) {
	e.t.Helper()
	if u.Role != allot.RoleLearner {
		t, secret, err := e.svc.CreateToken(allot.WithPrincipal(context.Background(), u.Principal()), name, time.Time{})
		if err != nil {
			e.t.Fatal(err)
		}
		return t, secret
	}
	secret := allot.TokenPrefix + strings.ToLower(rand.Text())
	t := allot.Token{UserID: u.ID, Name: name, Prefix: secret[:len(allot.TokenPrefix)+6], Hash: allot.HashToken(secret),
		CreatedAt: e.clock.Now()}
	if err := e.db.Write(context.Background(), func(tx allot.Tx) error { return tx.CreateToken(&t) }); err != nil {
		e.t.Fatal(err)
	}
	return t, secret
}

// request is one HTTP request to the env's server.
type request struct {
	who     string // a person of the env, or "" for none
	method  string
	path    string // {name} is replaced by e.ids[name]
	body    string
	headers map[string]string
}

// path replaces each {name} in p by the id of that name.
var placeholder = regexp.MustCompile(`\{([a-z0-9.-]+)\}`)

func (e *env) path(p string) string {
	return placeholder.ReplaceAllStringFunc(p, func(m string) string {
		id, ok := e.ids[m[1:len(m)-1]]
		if !ok {
			e.t.Fatalf("no id named %s", m)
		}
		return strconv.FormatInt(id, 10)
	})
}

// do sends r and returns the response with its body read.
func (e *env) do(r request) (*http.Response, string) {
	e.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(e.path(r.body))
	}
	req, err := http.NewRequest(r.method, e.srv.URL+e.path(r.path), body)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.who != "" {
		secret, ok := e.tokens[r.who]
		if !ok {
			e.t.Fatalf("no person %q", r.who)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for k, v := range r.headers {
		req.Header.Set(k, e.path(v))
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, string(b)
}

// scenario is a request and what its answer must and must not hold.
type scenario struct {
	name string
	request
	status  int
	want    []string // substrings of the body
	notWant []string
	// keep names ids of the body for later scenarios: name → the path of
	// a number in the JSON body, e.g. "company.id" or "items.0.id".
	keep map[string]string
	// check, when set, looks further at the answer.
	check func(t *testing.T, res *http.Response, body string)
}

// run runs the scenarios as subtests on e.
func (e *env) run(t *testing.T, scenarios []scenario) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			res, body := e.do(sc.request)
			if res.StatusCode != sc.status {
				t.Errorf("%s %s as %q: status %d, want %d\n%s", sc.method, sc.path, sc.who, res.StatusCode, sc.status, body)
			}
			for _, w := range sc.want {
				if !strings.Contains(body, e.path(w)) {
					t.Errorf("body lacks %q:\n%s", e.path(w), body)
				}
			}
			for _, w := range sc.notWant {
				if strings.Contains(body, e.path(w)) {
					t.Errorf("body holds %q:\n%s", e.path(w), body)
				}
			}
			for name, at := range sc.keep {
				e.ids[name] = jsonID(t, body, at)
			}
			if sc.check != nil {
				sc.check(t, res, body)
			}
		})
	}
}

// decode decodes a JSON body into v.
func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.NewDecoder(bytes.NewReader([]byte(body))).Decode(v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
}

// jsonID returns the number at path (field names and array indexes,
// separated by dots) in a JSON body.
func jsonID(t *testing.T, body, path string) int64 {
	t.Helper()
	var v any
	decode(t, body, &v)
	for _, k := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(node) {
				t.Fatalf("no %s in %s", path, body)
			}
			v = node[i]
		default:
			t.Fatalf("no %s in %s", path, body)
		}
	}
	n, ok := v.(float64)
	if !ok {
		t.Fatalf("%s is not a number in %s", path, body)
	}
	return int64(n)
}

func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func must2[T, U any](v T, w U, err error) func(testing.TB) (T, U) {
	return func(t testing.TB) (T, U) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v, w
	}
}

func TestEnv(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		e.run(t, []scenario{
			{name: "a learner checks themself", request: request{who: "acme-learner", method: "GET", path: "/v1/check?user=learner@acme.test&product=premium"},
				status: 200, want: []string{`"allowed":true`}},
			{name: "no credentials", request: request{method: "GET", path: "/v1/me"}, status: 401, want: []string{`"code":"unauthorized"`}},
		})
	})
}

// wantWelcomes fails the test unless n welcome mails are queued to email.
func (e *env) wantWelcomes(t *testing.T, email string, n int) {
	t.Helper()
	var got int
	err := e.db.Read(context.Background(), func(tx allot.Tx) error {
		jobs, err := tx.Jobs(allot.JobFilter{Kind: allot.JobMail, Limit: allot.MaxLimit})
		for _, j := range jobs {
			var m allot.Mail
			if json.Unmarshal([]byte(j.Payload), &m) == nil && m.Kind == allot.MailWelcome && m.Email == email {
				got++
			}
		}
		return err
	})
	if err != nil || got != n {
		t.Errorf("welcome mails queued to %s: %d (%v), want %d", email, got, err, n)
	}
}
