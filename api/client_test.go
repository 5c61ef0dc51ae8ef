package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"allot/storetest"
)

// onEveryBackend runs f on a fresh env of each backend, in parallel.
func onEveryBackend(t *testing.T, f func(t *testing.T, e *env)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		f(t, newEnv(t, b))
	})
}

// signIn signs in with the test password and returns the value of the
// session cookie.
func (e *env) signIn(t *testing.T, email string) string {
	t.Helper()
	res, body := e.do(request{method: "POST", path: "/v1/auth/login", body: `{"email":"` + email + `","password":"` + Password + `"}`})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign in as %s: status %d\n%s", email, res.StatusCode, body)
	}
	if c := sessionCookie(res); c != nil {
		return c.Value
	}
	t.Fatalf("sign in as %s: no session cookie in %v", email, res.Header)
	return ""
}

// sessionCookie returns the session cookie a response sets, or nil.
func sessionCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == "allot_session" {
			return c
		}
	}
	return nil
}

// withSession returns the headers that send a session cookie, and more.
func withSession(value string, more ...string) map[string]string {
	h := map[string]string{"Cookie": "allot_session=" + value}
	for i := 0; i+1 < len(more); i += 2 {
		h[more[i]] = more[i+1]
	}
	return h
}

// answer is a response as seen from a goroutine that may not stop the test.
type answer struct {
	status int
	header http.Header
	body   string
	err    error
}

// send sends a request already resolved (no {name} left) without touching
// the test: it is safe in goroutines.
func (e *env) send(method, path, secret, body string, headers map[string]string) answer {
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		return answer{err: err}
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: string(b), err: err}
}

// ids returns the ids of a list's items, in order.
func itemIDs(t *testing.T, body string) []int64 {
	t.Helper()
	var page struct {
		Items []struct {
			ID   int64 `json:"id"`
			User *struct {
				ID int64 `json:"id"`
			} `json:"user"`
		} `json:"items"`
	}
	decode(t, body, &page)
	out := make([]int64, len(page.Items))
	for i, it := range page.Items {
		out[i] = it.ID
		if it.User != nil {
			out[i] = it.User.ID
		}
	}
	return out
}

// wantIDs returns a check that a list holds exactly the named ids, in this
// order.
func (e *env) wantIDs(names ...string) func(t *testing.T, res *http.Response, body string) {
	return func(t *testing.T, res *http.Response, body string) {
		t.Helper()
		got := itemIDs(t, body)
		want := make([]int64, len(names))
		for i, n := range names {
			id, ok := e.ids[n]
			if !ok {
				t.Fatalf("no id named %s", n)
			}
			want[i] = id
		}
		if len(got) != len(want) {
			t.Fatalf("items %v, want %v (%v)", got, want, names)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("items %v, want %v (%v)", got, want, names)
			}
		}
	}
}
