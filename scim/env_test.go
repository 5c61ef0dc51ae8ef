package scim_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"allot"
	"allot/scim"
	"allot/storetest"
	"allot/world"
)

// env is a deployment with two customers, Acme (the fixture's, 50 seats
// of premium) and Globex (10 seats), each with a SCIM token, and allot's
// handler serving SCIM over HTTP.
type env struct {
	*world.Fixture
	SCIM   *scim.Service
	URL    string            // the server's address
	Tokens map[string]string // by company: acme, globex
	IDs    map[string]string // the ids steps saved, by name
	Globex allot.Company
}

func newEnv(t *testing.T, b storetest.Backend) *env {
	t.Helper()
	f := world.Setup(t, b)
	e := &env{Fixture: f, Tokens: map[string]string{}, IDs: map[string]string{}}
	e.SCIM = &scim.Service{Ledger: f.Svc, Store: f.DB.SCIM(), Directory: f.Dir}
	var err error
	e.Globex, _, err = f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Globex", DefaultProductCode: "premium"})
	if err != nil {
		t.Fatal(err)
	}
	f.Pool(f.Company, 50)
	f.Pool(e.Globex, 10)
	for name, c := range map[string]allot.Company{"acme": f.Company, "globex": e.Globex} {
		_, secret, err := e.SCIM.NewToken(f.As(f.Managing(c)), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.Tokens[name] = secret
	}
	srv := httptest.NewServer(scim.New(scim.Config{Service: e.SCIM}))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

// do sends a SCIM request with company as's token ("" for none) and
// returns the status, the body and the response.
func (e *env) do(t testing.TB, as, method, path, body string) (int, string, *http.Response) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.URL+scim.Prefix+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	if tok, ok := e.Tokens[as]; ok {
		req.Header.Set("Authorization", "Bearer "+tok)
	} else if as != "" {
		req.Header.Set("Authorization", "Bearer "+as)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp
}

// expand replaces each {name} in s, escaped in a query or not, by the id
// saved as name.
func (e *env) expand(s string) string {
	for name, id := range e.IDs {
		s = strings.ReplaceAll(s, "{"+name+"}", id)
		s = strings.ReplaceAll(s, url.QueryEscape("{"+name+"}"), id)
	}
	return s
}

// user returns the person of e-mail email.
func (e *env) user(t *testing.T, email string) allot.User {
	t.Helper()
	return world.Must(e.Svc.UserByEmail(e.As(e.Admin), email))(t)
}

// live returns the products (by code) of the seats user u holds now, and
// the reasons of the seats released.
func (e *env) live(t *testing.T, u allot.User) (held, released []string) {
	t.Helper()
	seats := world.Must(e.Svc.Seats(e.As(e.Admin), allot.SeatFilter{UserID: u.ID, Limit: allot.MaxLimit}))(t)
	codes := map[int64]string{}
	for _, p := range world.Must(e.Svc.Products(e.As(e.Admin)))(t) {
		codes[p.ID] = p.Code
	}
	for _, s := range seats {
		if s.Live(e.Clock.Now()) {
			held = append(held, codes[s.ProductID])
		} else if s.ReleaseReason != "" {
			released = append(released, codes[s.ProductID]+":"+s.ReleaseReason)
		}
	}
	return held, released
}

// step is one request of a scenario and what its answer must be.
type step struct {
	name         string
	as           string // the company whose token is sent: acme when empty; "-" for none
	method, path string // the path under /scim/v2; {name} is an id saved
	body         string
	status       int
	has, hasNot  []string       // in the body
	fields       map[string]any // top-level fields of the body's JSON, compared as text
	save         string         // saves the answer's id under this name
	check        func(t *testing.T, e *env, body map[string]any)
}

// run runs the steps in order on e, failing at the first that answers
// otherwise than it says.
func (e *env) run(t *testing.T, steps []step) {
	t.Helper()
	for i, s := range steps {
		as := s.as
		switch as {
		case "":
			as = "acme"
		case "-":
			as = ""
		}
		path, body := e.expand(s.path), e.expand(s.body)
		status, got, resp := e.do(t, as, s.method, path, body)
		where := fmt.Sprintf("step %d %q (%s %s)", i+1, s.name, s.method, path)
		if status != s.status {
			t.Fatalf("%s: status %d, want %d; body %s", where, status, s.status, got)
		}
		if got != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/scim+json") {
			t.Errorf("%s: Content-Type %q", where, resp.Header.Get("Content-Type"))
		}
		for _, want := range s.has {
			if want = e.expand(want); !strings.Contains(got, want) {
				t.Errorf("%s: body lacks %q: %s", where, want, got)
			}
		}
		for _, not := range s.hasNot {
			if not = e.expand(not); strings.Contains(got, not) {
				t.Errorf("%s: body has %q: %s", where, not, got)
			}
		}
		var doc map[string]any
		if got != "" {
			if err := json.Unmarshal([]byte(got), &doc); err != nil {
				t.Fatalf("%s: body is not JSON: %v: %s", where, err, got)
			}
		}
		for name, want := range s.fields {
			if g := fmt.Sprint(doc[name]); g != e.expand(fmt.Sprint(want)) {
				t.Errorf("%s: %s = %s, want %v; body %s", where, name, g, want, got)
			}
		}
		if s.save != "" {
			id, _ := doc["id"].(string)
			if id == "" {
				t.Fatalf("%s: no id to save as %s: %s", where, s.save, got)
			}
			e.IDs[s.save] = id
		}
		if s.check != nil {
			s.check(t, e, doc)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}
