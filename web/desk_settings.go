package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/support"
)

// deskSettingsData is how the desk is set up: the routing table, the
// service-level policies and the companies' success contacts.
type deskSettingsData struct {
	Routes    []routeRow
	Teams     []choice
	Policies  []policyForm
	New       policyForm
	Accounts  []accountRow
	Holders   []choice // the companies and partners a contact is set for
	Success   []choice // the success managers
	PolicyIDs []choice // the policies, the default first
	Countries []string
	Failed    string // the form whose error the page shows: routes, account, or a policy's Key
	First     string // the accounts' pages
	Next      string
}

// routeRow is a row of the routing table's form.
type routeRow struct {
	Category, Label, Team string
}

// accountRow is a company with the contact and policy that serve it.
type accountRow struct {
	Company  allot.Company
	Success  string
	Policy   string
	Partners bool // set for its partner's customers as a whole, not for it
}

// countryCodes are the countries whose public holidays a calendar may
// follow, as support.Calendar names them; the service checks the code.
var countryCodes = []string{"at", "au", "be", "ca", "ch", "de", "es", "fr", "gb", "ie", "it", "nl", "us"}

// deskSettingsPage shows the desk's settings.
func (s *Server) deskSettingsPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActSetSupport); !ok {
		return
	}
	s.renderDeskSettings(w, r, nil, "", nil)
}

// renderDeskSettings shows the settings; with formErr, the form named
// failed shows it, keeping what was sent: posted rows of the routing
// table, or a policy's form.
func (s *Server) renderDeskSettings(w http.ResponseWriter, r *http.Request, posted any, failed string, formErr error) {
	d, err := s.deskSettings(r, posted, failed, formErr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "Desk settings", d)
	v.Path = "/desk"
	s.renderForm(w, r, "desk_settings", v, formErr)
}

// deskSettings reads what the settings page shows.
func (s *Server) deskSettings(r *http.Request, posted any, failed string, formErr error) (*deskSettingsData, error) {
	ctx := r.Context()
	d := &deskSettingsData{Failed: failed, Countries: countryCodes, New: blankPolicy(), Teams: choices(support.Teams, teamTexts)}
	routes, err := s.support.Routes(ctx)
	if err != nil {
		return nil, err
	}
	for _, rt := range routes {
		d.Routes = append(d.Routes, routeRow{rt.Category, rt.Label, string(rt.Team)})
	}
	policies, err := s.support.Policies(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, pol := range policies {
		d.Policies = append(d.Policies, policyFormOf(pol))
		d.PolicyIDs = append(d.PolicyIDs, choice{strconv.FormatInt(pol.ID, 10), pol.Name})
		names[pol.ID] = pol.Name
	}
	switch p := posted.(type) {
	case []routeRow:
		d.Routes = p
	case policyForm:
		p.mark(fieldOf(formErr), allot.ErrorMessage(formErr))
		d.replace(p)
	}
	d.Routes = append(d.Routes, routeRow{Team: string(support.TeamSupport)}) // the row that adds one
	if d.Success, err = s.successManagers(ctx); err != nil {
		return nil, err
	}
	return d, s.successAccounts(ctx, r, d, names)
}

// blankPolicy is the form of a new policy: the default policy's targets,
// every hour counting.
func blankPolicy() policyForm {
	f := policyFormOf(support.DefaultPolicy())
	f.Key, f.Default, f.Name.Value = "policy-new", false, ""
	return f
}

// replace puts the form of a policy as posted in place of the stored one.
func (d *deskSettingsData) replace(p policyForm) {
	if p.ID == 0 {
		d.New = p
		return
	}
	for i := range d.Policies {
		if d.Policies[i].ID == p.ID {
			d.Policies[i] = p
		}
	}
}

// successManagers returns the people who may be a company's success
// contact: those of the vendor's staff who work Customer Success's queue.
func (s *Server) successManagers(ctx context.Context) ([]choice, error) {
	staff, err := s.svc.Staff(ctx)
	if err != nil {
		return nil, err
	}
	var out []choice
	for _, u := range staff {
		if u.RemovedAt.IsZero() && u.Role == support.TeamSuccess.Role() {
			out = append(out, choice{strconv.FormatInt(u.ID, 10), u.Name() + " · " + u.Email})
		}
	}
	return out, nil
}

// successAccounts fills in a page of companies with their contacts and policies,
// and the companies and partners a contact may be set for.
func (s *Server) successAccounts(ctx context.Context, r *http.Request, d *deskSettingsData, policies map[int64]string) error {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	companies, err := s.svc.Companies(ctx, allot.CompanyFilter{AfterID: after, Limit: listPageSize + 1})
	if err != nil {
		return err
	}
	if len(companies) > listPageSize {
		companies = companies[:listPageSize]
		d.Next = "/desk/settings?after=" + strconv.FormatInt(companies[len(companies)-1].ID, 10) + "#contacts-h"
	}
	if after != 0 {
		d.First = "/desk/settings#contacts-h"
	}
	partners, err := s.svc.Partners(ctx, allot.PartnerFilter{Limit: allot.MaxLimit})
	if err != nil {
		return err
	}
	for _, pt := range partners {
		d.Holders = append(d.Holders, choice{"partner:" + strconv.FormatInt(pt.ID, 10), "Every customer of " + pt.Name})
	}
	for _, c := range companies {
		a, err := s.support.AccountOf(ctx, c.ID)
		if err != nil {
			return err
		}
		row := accountRow{Company: c, Success: a.Success, Policy: policies[a.PolicyID], Partners: a.CompanyID == 0 && a.PartnerID != 0}
		d.Accounts = append(d.Accounts, row)
		d.Holders = append(d.Holders, choice{"company:" + strconv.FormatInt(c.ID, 10), c.Name})
	}
	return nil
}

// saveRoutes replaces the routing table with the form's rows, less those
// marked to remove; the last row adds a category when it has one.
func (s *Server) saveRoutes(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActSetSupport); !ok {
		return
	}
	r.ParseForm()
	rows := routeRows(r.PostForm)
	rs := make([]support.Route, len(rows))
	for i, row := range rows {
		rs[i] = support.Route{Category: row.Category, Label: row.Label, Team: support.Team(row.Team)}
	}
	if _, err := s.support.SetRoutes(r.Context(), rs); err != nil {
		s.renderDeskSettings(w, r, rows, "routes", err)
		return
	}
	s.done(w, r, "/desk/settings", "The routing table is saved: "+plural(len(rs), "category", "categories")+".")
}

// routeRows reads the routing table's rows from a form: a blank row and
// those marked to remove are left out.
func routeRows(f url.Values) []routeRow {
	removed := map[string]bool{}
	for _, i := range f["remove"] {
		removed[i] = true
	}
	cats, labels, teams := f["category"], f["label"], f["team"]
	var out []routeRow
	for i, c := range cats {
		row := routeRow{Category: strings.TrimSpace(c)}
		if i < len(labels) {
			row.Label = strings.TrimSpace(labels[i])
		}
		if i < len(teams) {
			row.Team = teams[i]
		}
		if removed[strconv.Itoa(i)] || row.Category == "" && row.Label == "" {
			continue
		}
		out = append(out, row)
	}
	return out
}

// saveAccount sets the success contact and policy of a company, or of a
// partner's customers.
func (s *Server) saveAccount(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActSetSupport); !ok {
		return
	}
	r.ParseForm()
	kind, id, _ := strings.Cut(r.PostForm.Get("holder"), ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	a := support.Account{SuccessID: formInt(r, "success_id"), PolicyID: formInt(r, "policy_id")}
	switch kind {
	case "company":
		a.CompanyID = n
	case "partner":
		a.PartnerID = n
	}
	var err error
	if a, err = s.support.SetAccount(r.Context(), a); err != nil {
		s.renderDeskSettings(w, r, nil, "account", allot.Renamed(err, map[string]string{"company_id": "holder"}))
		return
	}
	msg := "The contact is saved."
	if a.Success != "" {
		msg = a.Success + " is the customer success contact now."
	}
	s.done(w, r, "/desk/settings#contacts-h", msg)
}

// savePolicy stores a policy from its form, new when it has no ID.
func (s *Server) savePolicy(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActSetSupport); !ok {
		return
	}
	r.ParseForm()
	form := readPolicyForm(r.PostForm)
	pol, err := form.policy()
	if err == nil {
		pol, err = s.support.SavePolicy(r.Context(), pol)
	}
	if err != nil {
		s.renderDeskSettings(w, r, form, form.Key, err)
		return
	}
	s.done(w, r, "/desk/settings#policies-h", "The policy "+pol.Name+" is saved.")
}

// hoursText writes d in hours, as the policies' form takes them.
func hoursText(d time.Duration) string {
	return strconv.FormatFloat(d.Hours(), 'f', -1, 64)
}

// parseHours reads a number of hours, naming field when it is not one.
func parseHours(field, v string) (time.Duration, error) {
	h, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || h != h {
		return 0, allot.Invalid(field, "give the target as a number of hours, such as 12 or 1.5; %q is not one", v)
	}
	return time.Duration(h * float64(time.Hour)).Round(time.Minute), nil
}

// clockText writes minutes after midnight as a time of day: 09:00.
func clockText(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// parseClock reads a time of day, 09:00 or 24:00, as minutes after
// midnight, naming field when it is not one.
func parseClock(field, v string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(v), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh == 24 && mm != 0 {
		return 0, allot.Invalid(field, "give a time of day such as 09:00 or 17:30; %q is not one", v)
	}
	return hh*60 + mm, nil
}
