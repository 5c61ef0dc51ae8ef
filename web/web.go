// Package web serves allot's dashboard: server-rendered pages over the
// domain's Service, with embedded templates and assets and no build step.
// Every form works without JavaScript; the little script there is only
// makes dates local, confirms destructive actions, refuses a file too large
// before it is sent and updates a page that waits for a job in place.
package web

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the viewer's time zone, wherever allot runs

	"allot/account"
	"allot/directory"
	"allot/offline"
	"allot/programme"
	"allot/reclaim"
	"allot/report"
	"allot/scim"
	"allot/support"
	"allot/webhook"

	"allot"
)

//go:embed templates static
var files embed.FS

// Config is what the dashboard is made of.
type Config struct {
	Ledger    *allot.Service
	Directory *directory.Service
	Accounts  *account.Service
	Programs  *programme.Service
	Support   *support.Service
	Reports   *report.Service
	Reclaim   *reclaim.Service
	Webhooks  *webhook.Service
	Tokens    *offline.Service // the signing keys of offline tokens
	SCIM      *scim.Service    // the companies' SCIM tokens
	Log       *slog.Logger
	Sessions  Sessions
	// BaseURL is where people reach allot, where the links of a previewed
	// mail point; each request's own address when empty.
	BaseURL string
}

// Sessions is the sign-in and the browser session the dashboard shares with
// the API; the composition root provides them. A request signed in with a
// session carries its principal already.
type Sessions interface {
	// SignIn checks an e-mail and password and starts a session, or
	// returns an error with a RetryAfter method over the limits of
	// attempts, or EUNAUTHORIZED.
	SignIn(ctx context.Context, email, password, addr string) (allot.User, error)
	SignOut(ctx context.Context) error
	EnterCompany(ctx context.Context, id int64) (allot.Company, error)
	LeaveCompany(ctx context.Context)
	// Flash keeps a message for the session's next page, which Flashed
	// returns once.
	Flash(ctx context.Context, message string)
	Flashed(ctx context.Context) string
	// ChangePassword changes the signed-in person's password and ends
	// their other sessions.
	ChangePassword(ctx context.Context, in allot.PasswordChange) error
	// UseLink sets the password of the person a one-time link names and
	// signs them in.
	UseLink(ctx context.Context, token, password string) (allot.User, error)
	// Forgot sends a reset link to the person with that e-mail, if any,
	// answering the same either way; over its limits, an error with a
	// RetryAfter method.
	Forgot(ctx context.Context, email, addr string) error
	// Pending is the person whose sign-in waits for its second step, or
	// EUNAUTHORIZED; SecondStep finishes it with a code of their second
	// factor or a recovery code; Enrolled with the first code of the one
	// they set up, returning their recovery codes.
	Pending(ctx context.Context) (allot.User, error)
	SecondStep(ctx context.Context, code, addr string) (allot.User, error)
	Enrolled(ctx context.Context, code string) ([]string, error)
	SSO
}

// Server is the dashboard's HTTP handler.
type Server struct {
	svc      *allot.Service
	dir      *directory.Service
	accounts *account.Service
	programs *programme.Service
	support  *support.Service
	reports  *report.Service
	reclaim  *reclaim.Service
	webhooks *webhook.Service
	tokens   *offline.Service
	scim     *scim.Service
	sessions Sessions
	base     string
	log      *slog.Logger
	mux      *http.ServeMux
	pages    map[string]*template.Template
}

// New returns the dashboard.
func New(c Config) *Server {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{svc: c.Ledger, dir: c.Directory, accounts: c.Accounts, programs: c.Programs, support: c.Support, reports: c.Reports, reclaim: c.Reclaim, webhooks: c.Webhooks, tokens: c.Tokens, scim: c.SCIM, sessions: c.Sessions, base: c.BaseURL, log: c.Log, mux: http.NewServeMux(),
		pages: map[string]*template.Template{}}
	s.parse()
	static, _ := fs.Sub(files, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// parse parses every page with the layout and the parts pages share
// (templates/parts).
func (s *Server) parse() {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		s.pages[base] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/parts/*.html", name))
	}
}

// view is what every page template gets.
type view struct {
	Title  string
	Me     allot.Principal
	Name   string
	Acting *allot.Company // manage-company mode
	Nav    []link
	Path   string
	Flash  string
	Errors map[string]string // by form field; "" for the form as a whole
	Form   url.Values
	Zone   *time.Location
	Data   any
}

type link struct {
	Href, Label string
}

// page makes the view of a page for the request.
func (s *Server) page(r *http.Request, title string, data any) *view {
	v := &view{Title: title, Path: r.URL.Path, Errors: map[string]string{}, Form: r.PostForm, Zone: zone(r), Data: data}
	ctx := r.Context()
	if p, err := allot.PrincipalFrom(ctx); err == nil {
		v.Me = p
		if u, err := s.svc.User(ctx, p.UserID); err == nil {
			v.Name = u.Name()
		}
		if p.ActingCompanyID != 0 {
			if c, err := s.svc.Company(ctx, p.ActingCompanyID); err == nil {
				v.Acting = &c
			}
		}
		v.Nav = nav(p)
	}
	v.Flash = s.sessions.Flashed(ctx)
	return v
}

// nav is the menu of what p may do: their role's pages, and the support
// desk's.
func nav(p allot.Principal) []link { return append(roleNav(p), supportLinks(p)...) }

// roleNav is the menu of the pages of p's role.
func roleNav(p allot.Principal) []link {
	switch {
	case p.ActingCompanyID != 0 || p.Role == allot.RoleCompanyManager:
		return []link{{"/", "Home"}, {"/company/licences", "Licences"}, {"/company/orders", "Orders"}, {"/company/users", "Users"}, {"/company/programmes", "Programmes"},
			{"/company/invitations", "Invitations"}, {"/company/expired", "Expired licences"}, {"/company/notifications", "Notifications"},
			{"/reports", "Reports"}, {"/company/audit", "Audit log"}, {"/company/settings", "Settings"}}
	case p.Role == allot.RolePartnerManager:
		links := []link{{"/", "Home"}, {"/customers", "Customers"}, {"/renewals", "Renewals"}, {"/orders", "Orders"}, {"/reports", "Reports"}, {"/audit", "Audit log"}}
		if p.May(allot.ActConnectPartnerSSO, p.Home()) {
			links = append(links, link{"/partners/" + strconv.FormatInt(p.PartnerID, 10) + "/sso", "Single sign-on"})
		}
		return append(links, webhookLinks(p)...)
	case p.May(allot.ActSeeStaff, allot.Company{}):
		links := []link{{"/", "Home"}, {"/customers", "Customers"}, {"/partners", "Partners"}, {"/renewals", "Renewals"}, {"/orders", "Orders"}, {"/reports", "Reports"},
			{"/staff", "Account managers"}, {"/products", "Products"}}
		if p.May(allot.ActSeeOutbox, allot.Company{}) {
			links = append(links, link{"/outbox", "Sent mail"})
		}
		links = append(links, webhookLinks(p)...)
		links = append(links, keyLinks(p)...)
		return append(links, link{"/audit", "Audit log"})
	}
	return []link{{"/me", "My access"}}
}

// render writes the page named name.
func (s *Server) render(w http.ResponseWriter, status int, name string, v *view) {
	t, ok := s.pages[name]
	if !ok {
		panic("web: no page " + name)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := t.Execute(w, v); err != nil {
		s.log.Error("render", "page", name, "err", err)
	}
}

// statusOf is the dashboard's one table from allot's error codes to the
// statuses of the pages that show them.
var statusOf = map[string]int{
	allot.EINVALID:      http.StatusUnprocessableEntity,
	allot.ENOTFOUND:     http.StatusNotFound,
	allot.ECONFLICT:     http.StatusConflict,
	allot.EFORBIDDEN:    http.StatusForbidden,
	allot.EUNAUTHORIZED: http.StatusUnauthorized,
	allot.EINTERNAL:     http.StatusInternalServerError,
}

// errorTitles are the headings of the error pages that do not say their
// status's name: a page the viewer may not use says so.
var errorTitles = map[int]string{http.StatusForbidden: "No access"}

// statusFor is the status of a page showing err.
func statusFor(err error) int { return statusOf[allot.ErrorCode(err)] }

// fail renders the error page for err, whose detail goes to the log when it
// is internal; without a principal, it sends to sign in.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch allot.ErrorCode(err) {
	case allot.EUNAUTHORIZED:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	case allot.EINTERNAL:
		s.log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	status := statusFor(err)
	v := s.page(r, cmp.Or(errorTitles[status], http.StatusText(status)), nil)
	v.Errors[""] = allot.ErrorMessage(err)
	s.render(w, status, "error", v)
}

// done redirects after a successful form with a confirmation message.
func (s *Server) done(w http.ResponseWriter, r *http.Request, to, message string) {
	s.sessions.Flash(r.Context(), message)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// renderForm renders page name with v, showing formErr next to its field
// when there is one.
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, name string, v *view, formErr error) {
	if formErr != nil {
		s.invalid(w, r, name, v, formErr)
		return
	}
	s.render(w, http.StatusOK, name, v)
}

// invalid re-renders a form page with the error next to its field.
func (s *Server) invalid(w http.ResponseWriter, r *http.Request, name string, v *view, err error) {
	var e *allot.Error
	if !errors.As(err, &e) || e.Code == allot.EINTERNAL || e.Code == allot.ENOTFOUND && e.Field == "" {
		s.fail(w, r, err)
		return
	}
	v.Errors[e.Field] = e.Message
	s.render(w, statusFor(err), name, v)
}

// me returns the signed-in principal, or redirects to sign in.
func (s *Server) me(w http.ResponseWriter, r *http.Request) (allot.Principal, bool) {
	p, err := allot.PrincipalFrom(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return p, false
	}
	return p, true
}

// company returns the company a company-view page is about: the one acted
// in, or the company manager's own.
func company(p allot.Principal) int64 {
	switch {
	case p.ActingCompanyID != 0:
		return p.ActingCompanyID
	case p.Role == allot.RoleCompanyManager:
		return p.CompanyID
	}
	return 0
}

// zone is the viewer's time zone, which the page's script keeps in a cookie.
func zone(r *http.Request) *time.Location {
	if c, err := r.Cookie("tz"); err == nil {
		if name, err := url.QueryUnescape(c.Value); err == nil {
			if loc, err := time.LoadLocation(name); err == nil {
				return loc
			}
		}
	}
	return time.UTC
}

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}
