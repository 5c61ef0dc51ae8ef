package api_test

import (
	"bytes"
	"context"
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
	"allot/csvio"
	"allot/directory"
	"allot/server"
	"allot/store"
	"allot/storetest"
)

// env is a running API over a fresh store holding two partners, three
// customer companies and a person of every role, each with an API token.
//
// Names of people (the keys of tokens): admin, am (account manager), agent
// (support agent), success, pm (partner one's manager), pm2 (partner two's),
// acme-cm, acme-learner, globex-cm, globex-learner, solo-cm, solo-learner.
// acme is partner one's customer, globex partner two's, solo a direct
// customer. Named ids (keys of ids): partner1, partner2, acme, globex, solo,
// and for each company C: C.pool, C.seat, C.order (requested), C.learner,
// C.cm; premium (the product).
type env struct {
	t      *testing.T
	srv    *httptest.Server
	svc    *allot.Service
	dir    *directory.Service
	db     *store.DB
	clock  *allot.ManualClock
	tokens map[string]string
	ids    map[string]int64
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, b storetest.Backend) *env {
	t.Helper()
	return newEnvWith(t, b, server.Config{InsecureCookies: true})
}

// newEnvWith is newEnv with a server made with c; its sessions and
// idempotency keys are kept in the env's store unless c names others.
func newEnvWith(t *testing.T, b storetest.Backend, c server.Config) *env {
	t.Helper()
	e := &env{t: t, clock: allot.NewManualClock(t0), tokens: map[string]string{}, ids: map[string]int64{}}
	e.db = b.Open(t)
	e.svc = allot.NewService(e.db, e.clock, nil)
	e.svc.Passwords = allot.PasswordParams{Time: 1, Memory: 64, Threads: 1}
	e.dir = &directory.Service{Ledger: e.svc, Store: e.db.Directory(), Files: csvio.Files{}}
	c.Ledger, c.Directory = e.svc, e.dir
	if c.Sessions == nil {
		c.Sessions = e.db.Sessions()
	}
	if c.Keys == nil {
		c.Keys = e.db
	}
	e.srv = httptest.NewServer(server.New(c))
	t.Cleanup(e.srv.Close)

	sys := allot.WithPrincipal(context.Background(), allot.System)
	pr := must(e.svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}))(t)
	must(e.svc.CreateProduct(sys, allot.Product{Code: "coaching", Name: "Coaching"}))(t)
	e.ids["premium"] = pr.ID
	staff := func(name string, role allot.Role, partnerID int64) {
		u := must(e.svc.CreateStaff(sys, allot.NewUser{Email: name + "@vendor.test", Role: role, PartnerID: partnerID, Password: Password}))(t)
		e.person(name, u)
	}
	staff("admin", allot.RoleVendorAdmin, 0)
	staff("am", allot.RoleAccountManager, 0)
	staff("agent", allot.RoleSupportAgent, 0)
	staff("success", allot.RoleSuccessManager, 0)
	for i, name := range []string{"partner1", "partner2"} {
		p := must(e.svc.CreatePartner(sys, allot.Partner{Name: name}))(t)
		e.ids[name] = p.ID
		staff([]string{"pm", "pm2"}[i], allot.RolePartnerManager, p.ID)
	}
	for _, c := range []struct {
		name    string
		partner int64
	}{{"acme", e.ids["partner1"]}, {"globex", e.ids["partner2"]}, {"solo", 0}} {
		co, _ := must2(e.svc.CreateCompany(sys, allot.NewCompany{Name: c.name, PartnerID: c.partner, DefaultProductCode: "premium"}))(t)
		e.ids[c.name] = co.ID
		cm := must(e.svc.AddUser(sys, allot.NewUser{Email: "cm@" + c.name + ".test", Role: allot.RoleCompanyManager,
			CompanyID: co.ID, Password: Password}))(t)
		e.person(c.name+"-cm", cm)
		e.ids[c.name+".cm"] = cm.ID
		o := must(e.svc.RequestOrder(sys, allot.NewOrder{CompanyID: co.ID, ProductCode: "premium", Quantity: 10}))(t)
		_, p := must2(e.svc.AssignOrder(sys, o.ID))(t)
		e.ids[c.name+".pool"] = p.ID
		acting := allot.WithPrincipal(context.Background(), allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: co.ID})
		l := must(e.svc.AddUser(acting, allot.NewUser{Email: "learner@" + c.name + ".test", CompanyID: co.ID, Password: Password}))(t)
		e.person(c.name+"-learner", l)
		e.ids[c.name+".learner"] = l.ID
		seats := must(e.svc.Seats(sys, allot.SeatFilter{UserID: l.ID}))(t)
		e.ids[c.name+".seat"] = seats[0].ID
		e.ids[c.name+".order"] = must(e.svc.RequestOrder(sys, allot.NewOrder{CompanyID: co.ID, ProductCode: "premium", Quantity: 5, PORef: "PO-" + c.name}))(t).ID
	}
	return e
}

// Password is every test person's password.
const Password = "correct horse battery"

func (e *env) person(name string, u allot.User) {
	_, secret, err := e.svc.CreateToken(allot.WithPrincipal(context.Background(), u.Principal()), "tests", time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	e.tokens[name] = secret
	e.ids[name] = u.ID
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
