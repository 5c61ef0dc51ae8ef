package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/directory"
	"allot/ldap"
)

// directoryData is a company's directory page: its LDAP connection and the
// form that changes it, its latest runs and its group mappings.
type directoryData struct {
	Company    allot.Company
	CanManage  bool // sync, confirm, map groups: the company's people change
	CanConnect bool // connect the directory
	Owned      []ownedChoice
	Connected  bool
	Conn       directory.Connection // as shown: without its secret
	Form       ldapForm
	Runs       []runRow
	Mappings   []mappingRow
	Products   []allot.Product
	Limit      int // the safety limit, in percent
	// EveryMinutes and FullEveryHours are how often the connection is
	// read, and read whole.
	EveryMinutes, FullEveryHours int
	Latest                       int64 // the latest run, whose problems show at once
}

// ldapForm is the LDAP connection as its form shows it.
type ldapForm struct {
	Preset, URL, TLS, BindDN, BaseDN, Filter string
	Scope                                    string // subtree, one, group
	ScopeGroup                               string
	Every                                    string // minutes
}

// runRow is a run as the list shows it; Held says why a held run waits.
type runRow struct {
	directory.SyncRun
	Held string
}

// mappingRow is a group mapping with its product's name.
type mappingRow struct {
	directory.GroupMapping
	Product string
}

// latestRuns is how many runs the page lists.
const latestRuns = 10

func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request) {
	s.renderDirectory(w, r, nil)
}

// renderDirectory renders the company's directory page, with formErr
// beside its field when there is one.
func (s *Server) renderDirectory(w http.ResponseWriter, r *http.Request, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	p, _ := allot.PrincipalFrom(ctx)
	data := directoryData{Company: c, CanManage: p.May(allot.ActManageUsers, c), CanConnect: p.May(allot.ActConnectDirectory, c), Limit: int(directory.SafetyLimit * 100),
		Form: ldapForm{Scope: "subtree", Every: strconv.Itoa(int(directory.DefaultEvery / time.Minute))}}
	conn, err := s.dir.ConnectionOf(r.Context(), c.ID, "ldap")
	switch {
	case err == nil:
		data.Connected, data.Conn = true, conn
		data.EveryMinutes, data.FullEveryHours = int(conn.Every/time.Minute), int(conn.FullEvery/time.Hour)
		if data.Form, err = formOf(conn); err != nil {
			s.fail(w, r, err)
			return
		}
	case allot.ErrorCode(err) != allot.ENOTFOUND:
		s.fail(w, r, err)
		return
	}
	if r.PostForm.Has("url") {
		data.Form = postedForm(r)
	}
	if err := s.directoryLists(r, c, &data); err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "Directory", data)
	var fields ldap.FieldErrors
	if errors.As(formErr, &fields) {
		for _, f := range fields {
			name, label := ldapFormField(f.Field)
			v.Errors[name] = label + " " + f.Problem
		}
		s.render(w, http.StatusUnprocessableEntity, "company_directory", v)
		return
	}
	s.renderForm(w, r, "company_directory", v, formErr)
}

// directoryLists fills data's runs and mappings of company c.
func (s *Server) directoryLists(r *http.Request, c allot.Company, data *directoryData) error {
	ctx := r.Context()
	runs, err := s.dir.SyncRuns(ctx, c.ID, latestRuns)
	if err != nil {
		return err
	}
	mappings, err := s.dir.GroupMappings(ctx, c.ID)
	if err != nil {
		return err
	}
	owned, err := s.dir.OwnedFields(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, f := range directory.PersonFields {
		data.Owned = append(data.Owned, ownedChoice{Field: f, Label: ownedLabels[f], On: owned.Owns(f)})
	}
	byID, products, err := s.products(r)
	if err != nil {
		return err
	}
	data.Products = products
	for _, m := range mappings {
		data.Mappings = append(data.Mappings, mappingRow{m, byID[m.ProductID].Name})
	}
	for _, run := range runs {
		row := runRow{SyncRun: run}
		if run.Status == directory.SyncHeld {
			row.Held = fmt.Sprintf("This run would deprovision %s of %s, more than %d %%: nothing has changed. "+
				"Confirm it if so many people have left; otherwise check the connection's base DN, filter and scope first.",
				num(run.Deprovision), plural(run.Counted, "person", "people"), data.Limit)
		}
		data.Runs = append(data.Runs, row)
	}
	if len(runs) > 0 {
		data.Latest = runs[0].ID
	}
	return nil
}

// formOf is connection c as its form shows it.
func formOf(c directory.Connection) (ldapForm, error) {
	var cfg ldap.Config
	if err := json.Unmarshal([]byte(c.Config), &cfg); err != nil {
		return ldapForm{}, fmt.Errorf("connection %d: %w", c.ID, err)
	}
	f := ldapForm{Preset: string(cfg.Preset), URL: cfg.URL, TLS: string(cfg.TLS), BindDN: cfg.BindDN, BaseDN: cfg.BaseDN,
		Filter: cfg.Filter, Scope: "subtree", ScopeGroup: cfg.ScopeGroup, Every: strconv.Itoa(int(c.Every / time.Minute))}
	switch {
	case cfg.ScopeGroup != "":
		f.Scope = "group"
	case cfg.Depth == ldap.DepthOneLevel:
		f.Scope = "one"
	}
	return f, nil
}

// postedForm is the connection's form as it was sent.
func postedForm(r *http.Request) ldapForm {
	f := r.PostForm
	return ldapForm{Preset: f.Get("preset"), URL: f.Get("url"), TLS: f.Get("tls"), BindDN: f.Get("bind_dn"), BaseDN: f.Get("base_dn"),
		Filter: f.Get("filter"), Scope: f.Get("scope"), ScopeGroup: f.Get("scope_group"), Every: f.Get("every")}
}

// ldapFormFields are the form's fields, and their labels, by the
// ldap.Config fields they set; the others are the form's as a whole.
var ldapFormFields = map[string][2]string{"Preset": {"preset", "The kind of server"}, "URL": {"url", "The URL"},
	"TLS": {"tls", "The protection"}, "BindDN": {"bind_dn", "The bind DN"}, "Password": {"password", "The password"},
	"BaseDN": {"base_dn", "The base DN"}, "Depth": {"scope", "The scope"}, "Filter": {"filter", "The filter"},
	"ScopeGroup": {"scope_group", "The group"}, "ScopeRule": {"scope_group", "The group's rule"}}

func ldapFormField(field string) (name, label string) {
	if f, ok := ldapFormFields[field]; ok {
		return f[0], f[1]
	}
	return "config", field
}

// connectionFormFields name the form's fields by the fields of the
// directory's errors.
var connectionFormFields = map[string]string{"secret": "password", "every": "every", "config": "config"}

// saveLDAP connects the company's LDAP directory, or changes its
// connection: an empty password keeps the kept one.
func (s *Server) saveLDAP(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	var conn directory.Connection
	config, every, err := s.ldapConfig(r, c)
	if err == nil {
		conn, err = s.dir.Connect(r.Context(), directory.NewConnection{CompanyID: c.ID, Kind: "ldap", Config: config,
			Secret: r.PostForm.Get("password"), Every: every})
	}
	if err != nil {
		s.renderDirectory(w, r, allot.Renamed(err, connectionFormFields))
		return
	}
	s.done(w, r, "/company/directory", "The LDAP connection is saved: allot reads what changed every "+
		plural(int(conn.Every/time.Minute), "minute", "minutes")+" and the whole directory every "+
		plural(int(conn.FullEvery/time.Hour), "hour", "hours")+". Preview a sync to see what it would change.")
}

// ldapConfig reads the form into the config the connection keeps, as JSON
// without the password, over the config kept; and the interval in
// minutes. The config is checked with the password given, or as if with
// the kept one.
func (s *Server) ldapConfig(r *http.Request, c allot.Company) (string, time.Duration, error) {
	f := postedForm(r)
	every := time.Duration(0)
	if f.Every = strings.TrimSpace(f.Every); f.Every != "" {
		n, err := strconv.Atoi(f.Every)
		if err != nil || n < 0 || n > 525600 {
			return "", 0, allot.Invalid("every", "give a number of minutes")
		}
		every = time.Duration(n) * time.Minute
	}
	var cfg ldap.Config
	kept, err := s.dir.ConnectionOf(r.Context(), c.ID, "ldap")
	switch {
	case err == nil:
		if err := json.Unmarshal([]byte(kept.Config), &cfg); err != nil {
			return "", 0, fmt.Errorf("connection %d: %w", kept.ID, err)
		}
	case allot.ErrorCode(err) != allot.ENOTFOUND:
		return "", 0, err
	}
	cfg.Preset, cfg.URL, cfg.TLS = ldap.Preset(f.Preset), strings.TrimSpace(f.URL), ldap.TLSMode(f.TLS)
	cfg.BindDN, cfg.BaseDN, cfg.Filter = strings.TrimSpace(f.BindDN), strings.TrimSpace(f.BaseDN), strings.TrimSpace(f.Filter)
	cfg.Depth, cfg.ScopeGroup = ldap.DepthSubtree, ""
	switch f.Scope {
	case "one":
		cfg.Depth = ldap.DepthOneLevel
	case "group":
		if cfg.ScopeGroup = strings.TrimSpace(f.ScopeGroup); cfg.ScopeGroup == "" {
			return "", 0, allot.Invalid("scope_group", "name the group whose members are read, by its DN")
		}
	}
	cfg.Password = r.PostForm.Get("password")
	if cfg.Password == "" && kept.ID != 0 {
		cfg.Password = "kept"
	}
	if err := cfg.Validate(); err != nil {
		return "", 0, err
	}
	cfg.Password = ""
	b, err := json.Marshal(cfg)
	return string(b), every, err
}

// syncLDAP reads the company's directory now: a preview, or a sync.
func (s *Server) syncLDAP(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	conn, err := s.dir.ConnectionOf(r.Context(), c.ID, "ldap")
	if err != nil {
		s.renderDirectory(w, r, err)
		return
	}
	preview := r.PostForm.Get("action") == "preview"
	run, err := s.dir.SyncNow(r.Context(), conn.ID, r.PostForm.Get("full") != "", preview)
	if err != nil {
		s.renderDirectory(w, r, err)
		return
	}
	s.done(w, r, "/company/directory#run-"+strconv.FormatInt(run.ID, 10), runMessage(run))
}

// runMessage says what run did, or would do.
func runMessage(r directory.SyncRun) string {
	problems := ""
	if n := len(r.Problems); n > 0 {
		problems = "; " + plural(n, "person", "people") + " of the directory could not be taken in: see why below"
	}
	switch r.Status {
	case directory.SyncPreviewed:
		return fmt.Sprintf("Preview: a sync would add %s, update %s and deprovision %s; %s unchanged%s. Nothing has changed.",
			num(r.Add), num(r.Update), num(r.Deprovision), num(r.Unchanged), problems)
	case directory.SyncHeld:
		return "The sync is held: it would deprovision " + plural(r.Deprovision, "person", "people") +
			", more than the safety limit allows. Nothing has changed: check it below, and confirm it or not."
	}
	return fmt.Sprintf("Synced: %s added, %s updated, %s deprovisioned, %s unchanged%s.",
		num(r.Add), num(r.Update), num(r.Deprovision), num(r.Unchanged), problems)
}

// confirmRun applies a run the safety limit held.
func (s *Server) confirmRun(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.managed(w, r); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	run, err := s.dir.ConfirmSync(r.Context(), id)
	if err != nil {
		s.renderDirectory(w, r, err)
		return
	}
	s.done(w, r, "/company/directory#run-"+strconv.FormatInt(run.ID, 10), "Confirmed: "+
		plural(run.Deprovision, "person was", "people were")+" deprovisioned and their seats went back; "+
		num(run.Add)+" added, "+num(run.Update)+" updated.")
}

// mapGroup maps a directory group of the company to a product.
func (s *Server) mapGroup(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	m, err := s.dir.MapGroup(r.Context(), c.ID, r.PostForm.Get("group"), r.PostForm.Get("product"))
	if err != nil {
		s.renderDirectory(w, r, err)
		return
	}
	byID, _, err := s.products(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/company/directory", "The members of "+m.Group+" get a seat of "+byID[m.ProductID].Name+
		"; those who leave the group give it back.")
}

// unmapGroup removes one of the company's group mappings.
func (s *Server) unmapGroup(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.dir.UnmapGroup(r.Context(), c.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/company/directory", "The mapping is removed: seats follow, as when its members leave the group.")
}

// disconnectLDAP disconnects the company's LDAP directory.
func (s *Server) disconnectLDAP(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	if err := s.dir.Disconnect(r.Context(), c.ID, "ldap"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/company/directory", "The directory is disconnected: allot reads it no more, and its people stay.")
}

// ownedChoice is a person field the directory may own, and whether it does.
type ownedChoice struct {
	Field, Label string
	On           bool
}

// ownedLabels name the person fields on the page.
var ownedLabels = map[string]string{directory.FieldEmail: "E-mail", directory.FieldFirstName: "First name",
	directory.FieldLastName: "Last name", directory.FieldDepartment: "Department", directory.FieldManager: "Manager",
	directory.FieldExternalID: "Directory ID"}

// setOwned says which person fields the company's directory owns.
func (s *Server) setOwned(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	if _, err := s.dir.SetOwned(r.Context(), c.ID, r.PostForm["owned"]); err != nil {
		s.renderDirectory(w, r, err)
		return
	}
	s.done(w, r, "/company/directory", "Saved: an import leaves the fields the directory owns as the directory says.")
}
