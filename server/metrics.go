package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
	"time"

	"allot/api"
	"allot/metrics"
	"allot/web"
)

// operatorMetrics serves the metrics on the main address to an operator
// who sends token as a Bearer token. Without metrics or a token they are
// not served here: /metrics is then not found, and no other handler (not
// the dashboard) answers it.
func operatorMetrics(m *metrics.Metrics, token string) http.Handler {
	if m == nil || token == "" {
		return http.NotFoundHandler()
	}
	// Comparing hashes takes the same time whatever the length of what
	// was sent, and whatever it shares with the token.
	want := sha256.Sum256([]byte(token))
	exposition := m.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := sha256.Sum256([]byte(bearer(r)))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "the metrics are for operators: send their token as a Bearer token", http.StatusUnauthorized)
			return
		}
		exposition.ServeHTTP(w, r)
	})
}

// bearer is the token of r's Authorization header, or "".
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// measured counts and times every request that next answers, under the
// pattern of the route that answered it (route) and its status.
func measured(m *metrics.Metrics, route func(*http.Request) string, next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		m.Request(route(r), rec.code(), time.Since(start))
	})
}

// routeOf returns the pattern of the route that answers a request: mux's
// own, or the API's or the dashboard's, whose patterns mux mounts whole.
// A request no route answers (not found, a method not allowed) counts as
// "unmatched": the set of labels is the set of routes, however many paths
// are asked for.
func routeOf(mux *http.ServeMux, a *api.Server, dashboard *web.Server) func(*http.Request) string {
	return func(r *http.Request) string {
		_, pattern := mux.Handler(r)
		switch {
		case pattern == "/":
			pattern = dashboard.Pattern(r)
		case slices.Contains(api.Patterns, pattern):
			pattern = a.Pattern(r)
		}
		if pattern == "" {
			return "unmatched"
		}
		return pattern
	}
}

// statusRecorder remembers the status a response was sent with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 && code >= 200 { // an informational answer comes before the status
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// code is the status sent, 200 when the handler wrote nothing.
func (s *statusRecorder) code() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}
