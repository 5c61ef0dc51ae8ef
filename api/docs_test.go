package api_test

import (
	"net/http"
	"strings"
	"testing"

	"allot/storetest"
)

// TestDocsPage checks that the docs page holds nothing inline that the
// Content-Security-Policy forbids: its style is a file of its own.
func TestDocsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	e.run(t, []scenario{
		{name: "the page", request: request{method: "GET", path: "/docs"}, status: 200,
			want:    []string{`<link rel="stylesheet" href="/docs.css">`, `create-token`},
			notWant: []string{"<style", "style=", "<script"},
			check: func(t *testing.T, res *http.Response, body string) {
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q", ct)
				}
			}},
		{name: "its style", request: request{method: "GET", path: "/docs.css"}, status: 200, want: []string{".op{"},
			check: func(t *testing.T, res *http.Response, body string) {
				if ct := res.Header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
			}},
	})
}
