// Package api serves allot's JSON API under /v1, its OpenAPI 3.1 document at
// /openapi.json with a docs page at /docs, and the health and readiness
// probes. Every handler calls the domain's Service; none holds a rule.
package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"allot"

	"github.com/alexedwards/scs/v2"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Options are what the server needs besides the Service.
type Options struct {
	Log      *slog.Logger
	Sessions scs.Store // browser sessions; in memory when nil
	Keys     Keys      // idempotency keys
	// InsecureCookies drops the Secure attribute of the session cookie, for
	// plain-HTTP development only.
	InsecureCookies bool
	// LoginLimit is how many sign-in attempts one account, and ten times as
	// many one address, may make per LoginWindow. Defaults: 10 per 15 minutes.
	LoginLimit  int
	LoginWindow time.Duration
}

// Server is allot's HTTP handler.
type Server struct {
	svc      *allot.Service
	log      *slog.Logger
	keys     Keys
	sessions *scs.SessionManager
	accounts *limiter // sign-in attempts per account
	addrs    *limiter // sign-in attempts per address
	mux      *http.ServeMux
	handler  http.Handler
	API      huma.API
}

// Limits of requests.
const (
	MaxBodyBytes = 1 << 20 // 1 MiB for a JSON body
	MaxPageSize  = allot.MaxLimit
)

var installProblem sync.Once

// New returns the HTTP handler of allot over svc.
func New(svc *allot.Service, opts Options) *Server {
	// huma writes its own errors through a package-level constructor: make
	// them Problems with allot's codes.
	installProblem.Do(func() { huma.NewError = newProblem })
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.LoginLimit == 0 {
		opts.LoginLimit = 10
	}
	if opts.LoginWindow == 0 {
		opts.LoginWindow = 15 * time.Minute
	}
	s := &Server{
		svc:      svc,
		log:      opts.Log,
		keys:     opts.Keys,
		sessions: scs.New(),
		accounts: newLimiter(svc.Clock, opts.LoginLimit, opts.LoginWindow),
		addrs:    newLimiter(svc.Clock, 10*opts.LoginLimit, opts.LoginWindow),
	}
	if opts.Sessions != nil {
		s.sessions.Store = opts.Sessions
	}
	s.sessions.Lifetime = 12 * time.Hour
	s.sessions.IdleTimeout = 2 * time.Hour
	s.sessions.Cookie.Name = sessionCookie
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = !opts.InsecureCookies

	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /healthz", s.health)
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.HandleFunc("GET /docs", s.docs)
	s.API = humago.New(s.mux, s.config())
	s.routes()

	var h http.Handler = s.mux
	h = s.idempotent(h)
	h = s.authenticate(h)
	h = s.sessions.LoadAndSave(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusForbidden, "cross-origin request refused", nil)
	}))
	h = cop.Handler(h)
	s.handler = h
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// config describes the API for its OpenAPI document.
func (s *Server) config() huma.Config {
	c := huma.DefaultConfig("allot", "1.0.0")
	c.Info.Description = "Licence seats for a vendor, its partners and their customers: orders, pools, seats, " +
		"renewals, imports of users from files and exports as CSV, the audit log and the entitlement check. Sign in with a session cookie (POST /v1/auth/login) " +
		"or a personal API token as a Bearer token. Send `Allot-Company: ID` to act in a customer company " +
		"(manage-company mode). Every POST accepts an `Idempotency-Key` header."
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"token":   {Type: "http", Scheme: "bearer", Description: "A personal API token (allot_…), made at POST /v1/me/tokens."},
		"session": {Type: "apiKey", In: "cookie", Name: sessionCookie, Description: "The session cookie set by POST /v1/auth/login."},
	}
	c.Security = []map[string][]string{{"token": {}}, {"session": {}}}
	c.CreateHooks = nil // no $schema links in bodies
	c.DocsPath = ""     // served by docs, without a script from elsewhere
	return c
}

// health answers while the process runs.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSONType(w, "application/json", http.StatusOK, map[string]string{"status": "ok"})
}

// ready answers 200 while the database answers, 503 otherwise.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Store.Read(r.Context(), func(allot.Tx) error { return nil }); err != nil {
		s.log.Error("readiness: database unreachable", "err", err)
		writeJSONType(w, "application/json", http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return
	}
	writeJSONType(w, "application/json", http.StatusOK, map[string]string{"status": "ready"})
}

func writeJSONType(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
