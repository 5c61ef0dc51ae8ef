// Package server is allot's composition root: it mounts the JSON API and
// the dashboard side by side, behind one session and one sign-in, and
// answers the probes.
package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"allot"
	"allot/account"
	"allot/api"
	"allot/directory"
	"allot/metrics"
	"allot/offline"
	"allot/programme"
	"allot/reclaim"
	"allot/report"
	"allot/scim"
	"allot/support"
	"allot/web"
	"allot/webhook"

	"github.com/alexedwards/scs/v2"
)

// Config is what the server is made of.
type Config struct {
	Ledger    *allot.Service
	Directory *directory.Service
	Accounts  *account.Service // required: every sign-in asks it for a second step
	Programs  *programme.Service
	SCIM      *scim.Service // a company's directory provisions its people at /scim/v2; not served when nil
	Support   *support.Service
	Reports   *report.Service
	Reclaim   *reclaim.Service
	Webhooks  *webhook.Service
	Tokens    *offline.Service // offline entitlement tokens and the public keys that verify them
	Metrics   *metrics.Metrics // served at /metrics to operators; nil counts nothing
	Log       *slog.Logger
	Sessions  scs.Store // browser sessions; in memory when nil
	Keys      api.Keys  // idempotency keys
	// InsecureCookies drops the Secure attribute of the session cookie, for
	// plain-HTTP development only.
	InsecureCookies bool
	// LoginLimit is how many sign-in attempts one account, and ten times as
	// many one address, may make per LoginWindow. Defaults: 10 per 15 minutes.
	LoginLimit  int
	LoginWindow time.Duration
	// BaseURL is where people reach allot, for the address identity
	// providers send them back to (BaseURL/sso/callback); each request's
	// own address when empty.
	BaseURL string

	// MetricsToken is the Bearer token an operator sends for the metrics at
	// /metrics on this address; empty, they are not served here.
	MetricsToken string
}

// New returns allot's HTTP handler: the probes, the API under /v1 with its
// description, SCIM under /scim/v2, and the dashboard for every other path. Unsafe cross-site
// browser requests are refused before anything else; then the session, if
// any, names the principal.
func New(c Config) http.Handler {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.LoginLimit == 0 {
		c.LoginLimit = 10
	}
	if c.LoginWindow == 0 {
		c.LoginWindow = 15 * time.Minute
	}
	sessions := newSessions(c)
	sso := newSignOn(c, sessions)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", health)
	mux.HandleFunc("GET /readyz", ready(c.Ledger, c.Log))
	mux.Handle("GET /.well-known/jwks.json", api.JWKS(c.Tokens, c.Log)) // the keys that verify offline tokens, for anyone
	a := api.New(api.Config{Ledger: c.Ledger, Directory: c.Directory, Accounts: c.Accounts, Programs: c.Programs, SCIM: c.SCIM, Support: c.Support, Reports: c.Reports, Reclaim: c.Reclaim, Webhooks: c.Webhooks, Tokens: c.Tokens, Metrics: c.Metrics, Log: c.Log, Keys: c.Keys,
		Sessions: sessions, BaseURL: c.BaseURL})
	for _, pattern := range api.Patterns {
		mux.Handle(pattern, a)
	}
	dashboard := web.New(web.Config{Ledger: c.Ledger, Directory: c.Directory, Accounts: c.Accounts, Programs: c.Programs, SCIM: c.SCIM, Support: c.Support, Reports: c.Reports, Reclaim: c.Reclaim, Webhooks: c.Webhooks, Tokens: c.Tokens, Log: c.Log,
		Sessions: sso, BaseURL: c.BaseURL})
	mux.Handle("/", dashboard)
	mux.Handle("/metrics", operatorMetrics(c.Metrics, c.MetricsToken))
	mux.Handle("GET /sso/callback", sso.callback(dashboard))
	if c.SCIM != nil {
		mux.Handle(scim.Prefix+"/", scim.New(scim.Config{Service: c.SCIM, Log: c.Log, BaseURL: c.BaseURL}))
	}

	var h http.Handler = mux
	h = sessions.signedIn(h)
	h = sessions.manager.LoadAndSave(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.WriteProblem(w, http.StatusForbidden, "cross-origin request refused", nil)
	}))
	return measured(c.Metrics, routeOf(mux, a, dashboard), securityHeaders(cop.Handler(h)))
}

// health answers while the process runs.
func health(w http.ResponseWriter, r *http.Request) {
	writeStatus(w, http.StatusOK, "ok")
}

// ready answers 200 while the database answers, 503 otherwise.
func ready(ledger *allot.Service, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := ledger.Store.Read(r.Context(), func(allot.Tx) error { return nil }); err != nil {
			log.Error("readiness: database unreachable", "err", err)
			writeStatus(w, http.StatusServiceUnavailable, "database unreachable")
			return
		}
		writeStatus(w, http.StatusOK, "ready")
	}
}

func writeStatus(w http.ResponseWriter, code int, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"status": status})
}
