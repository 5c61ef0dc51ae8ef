// Package api serves allot's JSON API under /v1, its OpenAPI 3.1 document at
// /openapi.json with a docs page at /docs, and the health and readiness
// probes. Every handler calls the domain's Service; none holds a rule.
package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"allot/account"
	"allot/directory"
	"allot/metrics"
	"allot/offline"
	"allot/programme"
	"allot/reclaim"
	"allot/report"
	"allot/scim"
	"allot/support"
	"allot/webhook"

	"allot"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Config is what the API is made of.
type Config struct {
	Ledger    *allot.Service
	Directory *directory.Service
	Accounts  *account.Service // single sign-on's connections
	Programs  *programme.Service
	Support   *support.Service
	Reports   *report.Service
	Reclaim   *reclaim.Service
	Webhooks  *webhook.Service
	Tokens    *offline.Service // the check's offline tokens
	Metrics   *metrics.Metrics // counts the checks; nil counts nothing
	SCIM      *scim.Service    // the companies' SCIM tokens
	Log       *slog.Logger
	Keys      Keys // idempotency keys
	Sessions  Sessions
	// BaseURL is where people reach allot, for the links of a previewed
	// mail, as the mail that goes out has them; each request's own address
	// when empty.
	BaseURL string
}

// Sessions is the sign-in and the browser session the API shares with the
// dashboard; the composition root provides them. A request signed in with
// a session carries its principal already.
type Sessions interface {
	// SignIn checks an e-mail and password and starts a session, or
	// returns an error with a RetryAfter method over the limits of
	// attempts, or EUNAUTHORIZED.
	SignIn(ctx context.Context, email, password, addr string) (allot.User, error)
	SignOut(ctx context.Context) error
	EnterCompany(ctx context.Context, id int64) (allot.Company, error)
	LeaveCompany(ctx context.Context)
	// ChangePassword changes the signed-in person's password and ends
	// their other sessions.
	ChangePassword(ctx context.Context, in allot.PasswordChange) error
	// Forgot sends a reset link to the person with that e-mail, if any,
	// within limits per e-mail and address, answering the same either way.
	Forgot(ctx context.Context, email, addr string) error
	// SecondStep finishes a sign-in whose password was right with a code of
	// the person's second factor, or one of their recovery codes.
	SecondStep(ctx context.Context, code, addr string) (allot.User, error)
}

// Server is the API's HTTP handler.
type Server struct {
	svc      *allot.Service
	dir      *directory.Service
	programs *programme.Service
	support  *support.Service
	reports  *report.Service
	reclaim  *reclaim.Service
	webhooks *webhook.Service
	offline  *offline.Service
	metrics  *metrics.Metrics
	accounts *account.Service
	scim     *scim.Service
	log      *slog.Logger
	keys     Keys
	sessions Sessions
	baseURL  string
	mux      *http.ServeMux
	handler  http.Handler
	API      huma.API
}

// Limits of requests.
const (
	MaxBodyBytes = 1 << 20 // 1 MiB for a JSON body
	MaxPageSize  = allot.MaxLimit
)

// Patterns are the paths the API answers: its operations, its OpenAPI
// document (and the schemas it names) and its docs page with its style.
var Patterns = []string{"/v1/", "GET /openapi.json", "GET /openapi.yaml", "GET /openapi-3.0.json", "GET /openapi-3.0.yaml",
	"GET /schemas/", "GET /docs", "GET /docs.css"}

var installProblem sync.Once

// New returns the API's handler.
func New(c Config) *Server {
	// huma writes its own errors through a package-level constructor: make
	// them Problems with allot's codes.
	installProblem.Do(func() { huma.NewError = newProblem })
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{svc: c.Ledger, dir: c.Directory, programs: c.Programs, support: c.Support, reports: c.Reports, reclaim: c.Reclaim, webhooks: c.Webhooks, offline: c.Tokens, metrics: c.Metrics, accounts: c.Accounts, scim: c.SCIM, log: c.Log, keys: c.Keys, sessions: c.Sessions,
		baseURL: strings.TrimSuffix(c.BaseURL, "/"), mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /docs", s.docs)
	s.mux.HandleFunc("GET /docs.css", docsCSS)
	s.API = humago.New(s.mux, s.config())
	s.routes()
	s.handler = s.authenticate(s.idempotent(s.mux))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// config describes the API for its OpenAPI document.
func (s *Server) config() huma.Config {
	c := huma.DefaultConfig("allot", "1.0.0")
	c.Info.Description = "Licence seats for a vendor, its partners and their customers: orders, pools, seats, " +
		"renewals, imports of users from files and exports as CSV, programmes and the invitations of their members, the audit log and the entitlement check. Sign in with a session cookie (POST /v1/auth/login) " +
		"or a personal API token as a Bearer token. Send `Allot-Company: ID` to act in a customer company " +
		"(manage-company mode). A POST accepts an `Idempotency-Key` header where its parameters name one: not to sign in or out, " +
		"nor to make a token, whose secret no replay may keep."
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"token":   {Type: "http", Scheme: "bearer", Description: "A personal API token (allot_…), made at POST /v1/me/tokens."},
		"session": {Type: "apiKey", In: "cookie", Name: SessionCookie, Description: "The session cookie set by POST /v1/auth/login."},
	}
	c.Security = []map[string][]string{{"token": {}}, {"session": {}}}
	c.CreateHooks = nil // no $schema links in bodies
	c.DocsPath = ""     // served by docs, without a script from elsewhere
	return c
}

func writeJSONType(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
