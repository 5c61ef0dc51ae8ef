package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestIdempotencyConcurrent sends one POST ten times at once with the same
// Idempotency-Key. The first to claim the key runs; each other either
// finds it still running (409) or replays its answer. Exactly one order is
// made.
func TestIdempotencyConcurrent(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		path, body := "/v1/orders", e.path(`{"company_id":{acme},"product":"premium","quantity":3,"po_ref":"PO-IDEM"}`)
		headers := map[string]string{"Idempotency-Key": "order-2026-03-02"}
		const n = 10
		var (
			start   = make(chan struct{})
			wg      sync.WaitGroup
			answers = make([]answer, n)
		)
		for i := range n {
			wg.Go(func() {
				<-start
				answers[i] = e.send("POST", path, e.tokens["acme-cm"], body, headers)
			})
		}
		close(start)
		wg.Wait()

		var first, created string
		originals, replays, running := 0, 0, 0
		for i, a := range answers {
			switch {
			case a.err != nil:
				t.Fatalf("request %d: %v", i, a.err)
			case a.status == http.StatusCreated && a.header.Get("Idempotent-Replayed") == "":
				originals++
				first = a.body
			case a.status == http.StatusCreated && a.header.Get("Idempotent-Replayed") == "true":
				replays++
			case a.status == http.StatusConflict:
				running++
				if !strings.Contains(a.body, `"code":"conflict"`) || !strings.Contains(a.body, "still running") {
					t.Errorf("request %d: 409 %s", i, a.body)
				}
				continue
			default:
				t.Fatalf("request %d: %d %v\n%s", i, a.status, a.header, a.body)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("request %d: Content-Type %q", i, ct)
			}
			if created == "" {
				created = a.body
			} else if a.body != created {
				t.Errorf("request %d answered\n%s\nanother answered\n%s", i, a.body, created)
			}
		}
		t.Logf("%d ran, %d replayed, %d found it running", originals, replays, running)
		if originals != 1 || originals+replays+running != n {
			t.Fatalf("%d requests ran the order, %d replayed, %d found it running", originals, replays, running)
		}

		id := jsonID(t, first, "id")
		e.ids["idem"] = id
		e.run(t, []scenario{
			{name: "one order was made", request: request{who: "acme-cm", method: "GET", path: "/v1/orders?po_ref=PO-IDEM"},
				status: 200, check: e.wantIDs("idem")},
			{name: "a later retry replays the answer", request: request{who: "acme-cm", method: "POST", path: path, body: body, headers: headers},
				status: 201, check: func(t *testing.T, res *http.Response, body string) {
					if res.Header.Get("Idempotent-Replayed") != "true" || body != first {
						t.Errorf("replay %v\n%s\nwant\n%s", res.Header, body, first)
					}
				}},
			{name: "still one order", request: request{who: "acme-cm", method: "GET", path: "/v1/orders?po_ref=PO-IDEM"},
				status: 200, check: e.wantIDs("idem")},
		})
	})
}

// TestIdempotencyKeys checks what a key is bound to: its request, its user
// and 24 hours.
func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		key := map[string]string{"Idempotency-Key": "k-1"}
		order := `{"company_id":{acme},"product":"premium","quantity":3,"po_ref":"PO-K"}`
		replayed := func(want bool) func(t *testing.T, res *http.Response, body string) {
			return func(t *testing.T, res *http.Response, body string) {
				if got := res.Header.Get("Idempotent-Replayed") == "true"; got != want {
					t.Errorf("replayed %v, want %v", got, want)
				}
			}
		}
		e.run(t, []scenario{
			{name: "the first request", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order, headers: key},
				status: 201, check: replayed(false), keep: map[string]string{"first": "id"}},
			{name: "the same key and body replay it", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order, headers: key},
				status: 201, want: []string{`"id":{first},`}, check: replayed(true)},
			{name: "the same key with another body", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":4,"po_ref":"PO-K"}`, headers: key},
				status: 422, want: []string{`"code":"invalid"`, `another request`}},
			{name: "the same key on another path", request: request{who: "acme-cm", method: "POST", path: "/v1/seats", body: `{"user_id":{acme.learner},"product":"premium"}`, headers: key},
				status: 422, want: []string{`"code":"invalid"`, `another request`}},
			{name: "a partner manager's key", request: request{who: "pm", method: "POST", path: "/v1/orders", body: order,
				headers: map[string]string{"Idempotency-Key": "k-pm"}},
				status: 201, check: replayed(false), keep: map[string]string{"pm.first": "id"}},
			{name: "the same key and body in manage-company mode are another request", request: request{who: "pm", method: "POST", path: "/v1/orders", body: order,
				headers: map[string]string{"Idempotency-Key": "k-pm", "Allot-Company": "{acme}"}},
				status: 422, want: []string{`"code":"invalid"`, `another request`}},
			{name: "another user's same key and body are their own", request: request{who: "pm", method: "POST", path: "/v1/orders", body: order, headers: key},
				status: 201, notWant: []string{`"id":{first},`}, check: replayed(false), keep: map[string]string{"other": "id"}},
			{name: "and replay their own", request: request{who: "pm", method: "POST", path: "/v1/orders", body: order, headers: key},
				status: 201, want: []string{`"id":{other},`}, check: replayed(true)},
			{name: "without a key each request counts", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order},
				status: 201, check: replayed(false), keep: map[string]string{"unkeyed": "id"}},
			{name: "an answer of 4xx is kept too", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{globex},"product":"premium","quantity":1}`, headers: map[string]string{"Idempotency-Key": "k-404"}},
				status: 404, check: replayed(false)},
			{name: "and replayed", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{globex},"product":"premium","quantity":1}`, headers: map[string]string{"Idempotency-Key": "k-404"}},
				status: 404, want: []string{`"code":"not_found"`}, check: replayed(true)},
			{name: "a key is at most 255 characters", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order,
				headers: map[string]string{"Idempotency-Key": strings.Repeat("k", 256)}},
				status: 422, want: []string{`"code":"invalid"`, `Idempotency-Key`}},
			{name: "the orders made", request: request{who: "admin", method: "GET", path: "/v1/orders?po_ref=PO-K"},
				status: 200, check: e.wantIDs("unkeyed", "other", "pm.first", "first")},
		})

		e.clock.Advance(23 * time.Hour)
		e.run(t, []scenario{
			{name: "23 hours later the key still replays", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order, headers: key},
				status: 201, want: []string{`"id":{first},`}, check: replayed(true)},
		})
		e.clock.Advance(time.Hour + time.Second)
		e.run(t, []scenario{
			{name: "after 24 hours the key is forgotten: the request runs again", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order,
				headers: key},
				status: 201, notWant: []string{`"id":{first},`}, check: replayed(false), keep: map[string]string{"again": "id"}},
			{name: "and the new answer is kept", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order, headers: key},
				status: 201, want: []string{`"id":{again},`}, check: replayed(true)},
			{name: "one order more", request: request{who: "admin", method: "GET", path: "/v1/orders?po_ref=PO-K"},
				status: 200, check: e.wantIDs("again", "unkeyed", "other", "pm.first", "first")},
		})
	})
}

// TestIdempotencyKeepsNoSecret checks that a token's secret is never kept
// for a replay: making a token takes no Idempotency-Key (the document says
// so), a request with one is refused before anything is made, and the
// same request without it makes the token once.
func TestIdempotencyKeepsNoSecret(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		key := map[string]string{"Idempotency-Key": "token-1"}
		e.run(t, []scenario{
			{name: "a key is refused", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens", body: `{"name":"keyed"}`, headers: key},
				status: 422, want: []string{`"code":"invalid"`, `Idempotency-Key`, `secret`}, notWant: []string{`allot_`}},
			{name: "and again: nothing was kept to replay", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens", body: `{"name":"keyed"}`, headers: key},
				status: 422, notWant: []string{`allot_`}},
			{name: "nothing was made", request: request{who: "acme-cm", method: "GET", path: "/v1/me/tokens"},
				status: 200, notWant: []string{`"keyed"`}},
			{name: "without a key the token is made", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens", body: `{"name":"keyed"}`},
				status: 201, want: []string{`"secret":"allot_`}},
		})
		var doc struct {
			Paths map[string]map[string]docOperation `json:"paths"`
		}
		if err := json.Unmarshal(getDocument(t, e), &doc); err != nil {
			t.Fatal(err)
		}
		for _, p := range doc.Paths["/v1/me/tokens"]["post"].Parameters {
			if p.Name == "Idempotency-Key" {
				t.Error("create-token documents an Idempotency-Key")
			}
		}
	})
}
