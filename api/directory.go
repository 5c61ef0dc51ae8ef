package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"allot"
	"allot/directory"
	"allot/ldap"

	"github.com/danielgtaylor/huma/v2"
)

// groupMapping is a company's directory group whose members hold a seat of
// a product, as the API shows it.
type groupMapping struct {
	ID        int64     `json:"id" example:"7"`
	CompanyID int64     `json:"company_id" example:"12"`
	Group     string    `json:"group" example:"CN=Sales,OU=Groups,DC=acme,DC=example" doc:"The group as the directory names it: an LDAP group's DN, a SCIM group's id."`
	ProductID int64     `json:"product_id" example:"1"`
	Product   string    `json:"product" example:"premium" doc:"The code of the product its members get a seat of."`
	CreatedAt time.Time `json:"created_at"`
}

// toMapping returns f, which shows a mapping with its product's code.
func toMapping(codes map[int64]string) func(directory.GroupMapping) groupMapping {
	return func(m directory.GroupMapping) groupMapping {
		return groupMapping{ID: m.ID, CompanyID: m.CompanyID, Group: m.Group, ProductID: m.ProductID, Product: codes[m.ProductID],
			CreatedAt: m.CreatedAt}
	}
}

// productCodes returns the code of every product by ID.
func (s *Server) productCodes(ctx context.Context) (map[int64]string, error) {
	list, err := s.svc.Products(ctx)
	codes := make(map[int64]string, len(list))
	for _, p := range list {
		codes[p.ID] = p.Code
	}
	return codes, err
}

func (s *Server) groupMappings(ctx context.Context, in *idInput) (*listOutput[groupMapping], error) {
	ms, err := s.dir.GroupMappings(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	codes, err := s.productCodes(ctx)
	return list(ms, err, toMapping(codes))
}

type mapGroupInput struct {
	ID   int64 `path:"id" minimum:"1" example:"12"`
	Body struct {
		Group   string `json:"group" minLength:"1" maxLength:"500" example:"CN=Sales,OU=Groups,DC=acme,DC=example" doc:"The group as the directory names it: an LDAP group's DN, a SCIM group's id."`
		Product string `json:"product" minLength:"1" maxLength:"40" example:"premium" doc:"The code of the product its members get a seat of."`
	}
}

func (s *Server) mapGroup(ctx context.Context, in *mapGroupInput) (*body[groupMapping], error) {
	m, err := s.dir.MapGroup(ctx, in.ID, in.Body.Group, in.Body.Product)
	if err != nil {
		return nil, err
	}
	codes, err := s.productCodes(ctx)
	return one(m, err, toMapping(codes))
}

type unmapGroupInput struct {
	ID      int64 `path:"id" minimum:"1" example:"12"`
	Mapping int64 `path:"mapping" minimum:"1" example:"7"`
}

func (s *Server) unmapGroup(ctx context.Context, in *unmapGroupInput) (*struct{}, error) {
	return nil, s.dir.UnmapGroup(ctx, in.ID, in.Mapping)
}

// ldapConnection is a company's LDAP or Active Directory connection as the
// API shows it: never with its password.
type ldapConnection struct {
	ID          int64      `json:"id" example:"3"`
	CompanyID   int64      `json:"company_id" example:"12"`
	Preset      string     `json:"preset" enum:"active-directory,openldap"`
	URL         string     `json:"url" example:"ldaps://dc1.acme.example"`
	TLS         string     `json:"tls,omitempty" enum:"starttls,none" doc:"Absent: StartTLS on ldap://; ldaps:// is TLS from its first byte."`
	BindDN      string     `json:"bind_dn" example:"CN=allot,OU=Service,DC=acme,DC=example"`
	PasswordSet bool       `json:"password_set" doc:"Whether a bind password is kept; the password itself is never shown."`
	BaseDN      string     `json:"base_dn" example:"OU=Staff,DC=acme,DC=example"`
	Depth       string     `json:"depth" enum:"subtree,one" doc:"subtree reads everyone below the base DN; one only the entries directly in it."`
	Filter      string     `json:"filter,omitempty" example:"(objectClass=user)" doc:"Absent: the preset's."`
	ScopeGroup  string     `json:"scope_group,omitempty" doc:"When set, only the members of this group are read."`
	Every       int        `json:"every_minutes" example:"15" doc:"How often what changed is read."`
	FullEvery   int        `json:"full_every_minutes" example:"1440" doc:"How often the whole directory is read: people it no longer holds are deprovisioned then."`
	LastRun     *time.Time `json:"last_run,omitempty"`
	LastFull    *time.Time `json:"last_full,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

func toLDAP(c directory.Connection) (ldapConnection, error) {
	var cfg ldap.Config
	if err := json.Unmarshal([]byte(c.Config), &cfg); err != nil {
		return ldapConnection{}, fmt.Errorf("connection %d: %w", c.ID, err)
	}
	depth := cfg.Depth
	if depth == "" {
		depth = ldap.DepthSubtree
	}
	return ldapConnection{ID: c.ID, CompanyID: c.CompanyID, Preset: string(cfg.Preset), URL: cfg.URL, TLS: string(cfg.TLS), BindDN: cfg.BindDN,
		PasswordSet: true, BaseDN: cfg.BaseDN, Depth: string(depth), Filter: cfg.Filter, ScopeGroup: cfg.ScopeGroup,
		Every: int(c.Every / time.Minute), FullEvery: int(c.FullEvery / time.Minute), LastRun: optTime(c.LastRun),
		LastFull: optTime(c.LastFull), CreatedAt: c.CreatedAt}, nil
}

func (s *Server) getLDAP(ctx context.Context, in *idInput) (*body[ldapConnection], error) {
	c, err := s.dir.ConnectionOf(ctx, in.ID, "ldap")
	if err != nil {
		return nil, err
	}
	out, err := toLDAP(c)
	return &body[ldapConnection]{Body: out}, err
}

type ldapInput struct {
	ID   int64 `path:"id" minimum:"1" example:"12"`
	Body struct {
		Preset     string `json:"preset" enum:"active-directory,openldap" doc:"The conventions of the server: its filter, anchor and attributes."`
		URL        string `json:"url" minLength:"1" maxLength:"2000" example:"ldaps://dc1.acme.example"`
		TLS        string `json:"tls,omitempty" enum:"starttls,none" doc:"Absent: StartTLS on ldap://; ldaps:// is TLS from its first byte. none sends the password in the clear."`
		BindDN     string `json:"bind_dn" minLength:"1" maxLength:"2000" example:"CN=allot,OU=Service,DC=acme,DC=example" doc:"The account allot reads as: a DN, or on Active Directory also user@domain."`
		Password   string `json:"password,omitempty" maxLength:"2000" writeOnly:"true" doc:"Required to connect; left out, a change keeps the kept one. Never shown again."`
		BaseDN     string `json:"base_dn" minLength:"1" maxLength:"2000" example:"OU=Staff,DC=acme,DC=example" doc:"Where people are read: an organisational unit."`
		Depth      string `json:"depth,omitempty" enum:"subtree,one" doc:"subtree (when absent) reads everyone below the base DN; one only the entries directly in it."`
		Filter     string `json:"filter,omitempty" maxLength:"2000" example:"(objectClass=user)" doc:"Which entries are people; absent, the preset's."`
		ScopeGroup string `json:"scope_group,omitempty" maxLength:"2000" example:"CN=Licensed,OU=Groups,DC=acme,DC=example" doc:"Only the members of this group are read (on Active Directory, nested groups count)."`
		Every      int    `json:"every_minutes,omitempty" minimum:"0" maximum:"525600" example:"15" doc:"How often what changed is read; 15 minutes when absent."`
	}
}

func (s *Server) deleteLDAP(ctx context.Context, in *idInput) (*struct{}, error) {
	return nil, s.dir.Disconnect(ctx, in.ID, "ldap")
}

// ldapErrorFields names the body's fields by the ldap.Config fields they
// set, for the errors of its check.
var ldapErrorFields = map[string]string{"Preset": "preset", "URL": "url", "TLS": "tls", "BindDN": "bind_dn", "Password": "password",
	"BaseDN": "base_dn", "Depth": "depth", "Filter": "filter", "ScopeGroup": "scope_group", "ScopeRule": "scope_group"}

// connectionFields names the body's fields by the fields of the
// directory's errors.
var connectionFields = map[string]string{"secret": "password", "every": "every_minutes"}

// putLDAP connects the company's LDAP directory, or changes its
// connection: the fields of the body set those of the kept config, and the
// password, when given, the kept one.
func (s *Server) putLDAP(ctx context.Context, in *ldapInput) (*body[ldapConnection], error) {
	if err := s.may(ctx, allot.ActConnectDirectory, in.ID); err != nil {
		return nil, err
	}
	var cfg ldap.Config
	kept, err := s.dir.ConnectionOf(ctx, in.ID, "ldap")
	switch {
	case err == nil:
		if err := json.Unmarshal([]byte(kept.Config), &cfg); err != nil {
			return nil, fmt.Errorf("connection %d: %w", kept.ID, err)
		}
	case allot.ErrorCode(err) != allot.ENOTFOUND:
		return nil, err
	}
	b := in.Body
	cfg.Preset, cfg.URL, cfg.TLS, cfg.BindDN, cfg.BaseDN = ldap.Preset(b.Preset), strings.TrimSpace(b.URL), ldap.TLSMode(b.TLS),
		strings.TrimSpace(b.BindDN), strings.TrimSpace(b.BaseDN)
	cfg.Depth, cfg.Filter, cfg.ScopeGroup = ldap.Depth(b.Depth), strings.TrimSpace(b.Filter), strings.TrimSpace(b.ScopeGroup)
	config, err := ldapConfig(cfg, b.Password, kept.ID != 0)
	if err != nil {
		return nil, ldapProblem(err)
	}
	c, err := s.dir.Connect(ctx, directory.NewConnection{CompanyID: in.ID, Kind: "ldap", Config: config, Secret: b.Password,
		Every: time.Duration(b.Every) * time.Minute})
	if err != nil {
		return nil, s.problem(ctx, allot.Renamed(err, connectionFields), "body")
	}
	out, err := toLDAP(c)
	return &body[ldapConnection]{Body: out}, err
}

// may returns nil when the caller may do act in company id, as the
// permission table says, before a handler checks what it was sent;
// ENOTFOUND when they may not even see the company, EFORBIDDEN when they
// see it only.
func (s *Server) may(ctx context.Context, act allot.Act, id int64) error {
	c, err := s.svc.Company(ctx, id)
	if err != nil {
		return err
	}
	p, err := allot.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	return p.Must(act, c)
}

// ldapConfig checks cfg with password (or, when a password is kept and
// none is given, as if with the kept one) and returns it as the JSON the
// connection keeps: without the password, which is kept apart.
func ldapConfig(cfg ldap.Config, password string, kept bool) (string, error) {
	cfg.Password = password
	if password == "" && kept {
		cfg.Password = "kept"
	}
	if err := cfg.Validate(); err != nil {
		return "", err
	}
	cfg.Password = ""
	b, err := json.Marshal(cfg)
	return string(b), err
}

// ldapProblem is the Problem of a config the ldap package refuses, each
// error at its field of the body.
func ldapProblem(err error) error {
	var fields ldap.FieldErrors
	if !errors.As(err, &fields) {
		return err
	}
	p := &Problem{ErrorModel: huma.ErrorModel{Status: http.StatusUnprocessableEntity, Title: http.StatusText(http.StatusUnprocessableEntity)},
		Code: allot.EINVALID}
	msgs := make([]string, len(fields))
	for i, f := range fields {
		name, ok := ldapErrorFields[f.Field]
		if !ok {
			name = f.Field
		}
		msgs[i] = name + " " + f.Problem
		loc := "body"
		if ok {
			loc += "." + name
		}
		p.Errors = append(p.Errors, &huma.ErrorDetail{Message: msgs[i], Location: loc})
	}
	p.Detail = strings.Join(msgs, "; ")
	return p
}

// syncRun is a run of a company's directory as the API shows it.
type syncRun struct {
	ID          int64                `json:"id" example:"40"`
	CompanyID   int64                `json:"company_id" example:"12"`
	Source      string               `json:"source" enum:"ldap,scim"`
	Full        bool                 `json:"full" doc:"The whole directory was read: the people it no longer holds are deprovisioned."`
	Status      directory.SyncStatus `json:"status" enum:"previewed,held,applied,failed" doc:"previewed: compared only; held: it would deprovision more than the safety limit (10 % of the company's people) and waits for a manager to confirm it; applied; failed: the directory could not be read, and nothing changed."`
	Add         int                  `json:"add" doc:"People to add, or added."`
	Update      int                  `json:"update" doc:"People to update, or updated."`
	Deprovision int                  `json:"deprovision" doc:"People whose seats go back, or went back."`
	Unchanged   int                  `json:"unchanged"`
	Counted     int                  `json:"counted" doc:"The company's people the safety limit was measured against: a run deprovisioning more than 10 % of them is held."`
	Problems    []syncProblem        `json:"problems" doc:"The directory's people that could not be taken in, each with its reason."`
	Error       string               `json:"error,omitempty" doc:"Why reading the directory failed."`
	CreatedAt   time.Time            `json:"created_at"`
	FinishedAt  *time.Time           `json:"finished_at,omitempty"`
}

type syncProblem struct {
	Anchor  string `json:"anchor" example:"6f1d3c0a-2b4e-4d7f-9a10-5c2e8b7d9f31" doc:"The person's anchor in the directory (objectGUID, entryUUID)."`
	Email   string `json:"email,omitempty" example:"ann@@acme.example"`
	Message string `json:"message" example:"\"ann@@acme.example\" is not a valid e-mail address"`
}

func toRun(r directory.SyncRun) syncRun {
	out := syncRun{ID: r.ID, CompanyID: r.CompanyID, Source: r.Source, Full: r.Full, Status: r.Status, Add: r.Add, Update: r.Update,
		Deprovision: r.Deprovision, Unchanged: r.Unchanged, Counted: r.Counted, Problems: make([]syncProblem, len(r.Problems)), Error: r.Error,
		CreatedAt: r.CreatedAt, FinishedAt: optTime(r.FinishedAt)}
	for i, p := range r.Problems {
		out.Problems[i] = syncProblem(p)
	}
	return out
}

type syncInput struct {
	ID   int64 `path:"id" minimum:"1" example:"12"`
	Body *struct {
		Full    bool `json:"full,omitempty" doc:"Read the whole directory, not only what changed since the last read: people it no longer holds are deprovisioned. The first read is whole."`
		Preview bool `json:"preview,omitempty" doc:"Compare only: say what the run would do, and change nothing."`
	}
}

// syncLDAP reads the company's LDAP directory now. A reading that fails is
// recorded as a failed run and answered 409 with its reason.
func (s *Server) syncLDAP(ctx context.Context, in *syncInput) (*body[syncRun], error) {
	c, err := s.dir.ConnectionOf(ctx, in.ID, "ldap")
	if err != nil {
		return nil, err
	}
	full, preview := in.Body != nil && in.Body.Full, in.Body != nil && in.Body.Preview
	r, err := s.dir.SyncNow(ctx, c.ID, full, preview)
	return one(r, err, toRun)
}

type runsInput struct {
	ID    int64 `path:"id" minimum:"1" example:"12"`
	Limit int   `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"How many of the latest runs to list. The list has no next page: it is the latest ones only."`
}

func (s *Server) syncRuns(ctx context.Context, in *runsInput) (*listOutput[syncRun], error) {
	rs, err := s.dir.SyncRuns(ctx, in.ID, in.Limit)
	return list(rs, err, toRun)
}

func (s *Server) confirmRun(ctx context.Context, in *idInput) (*body[syncRun], error) {
	r, err := s.dir.ConfirmSync(ctx, in.ID)
	return one(r, err, toRun)
}

// ownedFields are the person fields a company's directory owns.
type ownedFields struct {
	Fields []string `json:"fields" example:"[\"email\",\"department\"]" doc:"Of email, first_name, last_name, department, manager, external_id: for the people the directory provisioned, an import does not change these."`
}

func (s *Server) ownedFields(ctx context.Context, in *idInput) (*body[ownedFields], error) {
	owned, err := s.dir.OwnedFields(ctx, in.ID)
	return &body[ownedFields]{Body: ownedFields{Fields: append([]string{}, owned...)}}, err
}

type ownedInput struct {
	ID   int64 `path:"id" minimum:"1" example:"12"`
	Body ownedFields
}

func (s *Server) setOwnedFields(ctx context.Context, in *ownedInput) (*body[ownedFields], error) {
	owned, err := s.dir.SetOwned(ctx, in.ID, in.Body.Fields)
	if err != nil {
		return nil, s.problem(ctx, allot.Renamed(err, map[string]string{"owned": "fields"}), "body")
	}
	return &body[ownedFields]{Body: ownedFields{Fields: append([]string{}, owned...)}}, nil
}
