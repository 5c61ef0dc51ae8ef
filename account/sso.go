package account

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"allot"
)

// Owner is whose single sign-on a connection is: a company's, for its
// people, or a partner's, for its managers. Exactly one of the two is set.
type Owner struct {
	CompanyID int64
	PartnerID int64
}

// Has reports whether u is one of o's people, whom o's connection signs
// in: a member of the company, or a manager of the partner. A removed
// person is nobody's.
func (o Owner) Has(u allot.User) bool {
	if o.CompanyID != 0 {
		return u.MemberOf(allot.Company{ID: o.CompanyID})
	}
	return o.PartnerID != 0 && u.Role == allot.RolePartnerManager && u.PartnerID == o.PartnerID && u.RemovedAt.IsZero()
}

// Connection is an owner's single sign-on: the OpenID Connect provider its
// people sign in with, and the e-mail domains it covers. A domain is
// covered by one connection at most, across the deployment. The client
// secret is kept to finish each sign-in, and never shown again.
type Connection struct {
	ID int64
	Owner
	Name         string // the owner's name, for messages; not stored
	Issuer       string
	ClientID     string
	ClientSecret string `json:"-"` // never in the audit log, the pages or the API
	SecretSet    bool   // a secret is saved: what the pages and the API say of it
	Domains      []string
	// Required means that the owner's people in its domains sign in with
	// it only, never with a password.
	Required  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RequiredOf reports whether c requires single sign-on of u: when it is
// required, of its owner's people.
func (c Connection) RequiredOf(u allot.User) bool { return c.Required && c.Owner.Has(u) }

// Shown returns c as the pages and the API show it: without its secret,
// saying whether one is set.
func (c Connection) Shown() Connection {
	c.SecretSet, c.ClientSecret = c.ClientSecret != "", ""
	return c
}

// ConnectionInput is what connecting an identity provider takes.
type ConnectionInput struct {
	Issuer       string
	ClientID     string
	ClientSecret string // required to connect; "" keeps the saved one when changing
	Domains      []string
	Required     bool
}

// Limits of a connection.
const (
	MaxDomains   = 50
	maxIssuer    = 2000
	maxClientID  = 500
	maxSecret    = 2000
	maxDomainLen = 253
)

// Connection returns owner o's connection, without its secret, to whoever
// may connect it. ENOTFOUND when o has none, and when p may not see o.
func (s *Service) Connection(ctx context.Context, o Owner) (Connection, error) {
	var c Connection
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		_, name, err := owned(tx, p, o)
		if err != nil {
			return err
		}
		c, err = tx.ConnectionOf(o)
		c.Name = name
		return err
	})
	return c.Shown(), err
}

// Connect connects owner o's identity provider, or changes its connection,
// and records it in o's audit log, without the secret. A domain covered
// by another connection is a conflict naming it. It returns the
// connection without its secret.
func (s *Service) Connect(ctx context.Context, o Owner, in ConnectionInput) (Connection, error) {
	var c Connection
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		audit, name, err := owned(tx, p, o)
		if err != nil {
			return err
		}
		before, err := tx.ConnectionOf(o)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			before = Connection{}
		case err != nil:
			return err
		}
		if c, err = connection(before, in); err != nil {
			return err
		}
		c.Owner, c.Name, c.UpdatedAt = o, name, s.now()
		if c.ID == 0 {
			c.CreatedAt = c.UpdatedAt
		}
		if err := domainsFree(tx, c); err != nil {
			return err
		}
		if err := tx.PutConnection(&c); err != nil {
			return fmt.Errorf("connect single sign-on: %w", err)
		}
		after := struct {
			Connection
			NewSecret bool
		}{c.Shown(), in.ClientSecret != ""}
		if before.ID == 0 {
			return s.Ledger.Record(tx, p, audit, "sso.connect", "sso_connection", c.ID, nil, after)
		}
		return s.Ledger.Record(tx, p, audit, "sso.change", "sso_connection", c.ID, before.Shown(), after)
	})
	return c.Shown(), err
}

// Disconnect removes owner o's connection: its people sign in with
// passwords again.
func (s *Service) Disconnect(ctx context.Context, o Owner) error {
	return s.write(ctx, func(tx Tx, p allot.Principal) error {
		audit, _, err := owned(tx, p, o)
		if err != nil {
			return err
		}
		c, err := tx.ConnectionOf(o)
		if err != nil {
			return err
		}
		if err := tx.DeleteConnection(c.ID); err != nil {
			return fmt.Errorf("disconnect single sign-on: %w", err)
		}
		return s.Ledger.Record(tx, p, audit, "sso.disconnect", "sso_connection", c.ID, c.Shown(), nil)
	})
}

// owned checks that p may connect owner o's single sign-on and returns o as
// its audit log knows it, and o's name. A company p may not see, a partner
// p may not see and a missing one are not found alike; a company or a
// partner p sees but may not connect is forbidden.
func owned(tx Tx, p allot.Principal, o Owner) (allot.Company, string, error) {
	switch {
	case (o.CompanyID == 0) == (o.PartnerID == 0):
		return allot.Company{}, "", fmt.Errorf("single sign-on of %+v: a company or a partner, not both", o)
	case o.CompanyID != 0:
		c, err := allot.CompanyFor(tx, p, o.CompanyID, allot.ActConnectSSO)
		return c, c.Name, err
	}
	c := allot.Company{PartnerID: o.PartnerID}
	if !p.May(allot.ActSeePartners, c) {
		return allot.Company{}, "", allot.NotFound("partner")
	}
	pt, err := tx.Partner(o.PartnerID)
	if err != nil {
		return allot.Company{}, "", err
	}
	return c, pt.Name, p.Must(allot.ActConnectPartnerSSO, c)
}

// connection returns before changed as in says, after checking in: an
// issuer served over https (or http on this machine, for a test
// provider), a client ID, a secret when there is none yet, and one to
// MaxDomains domains.
func connection(before Connection, in ConnectionInput) (Connection, error) {
	c := before
	c.Issuer, c.ClientID, c.Required = strings.TrimSpace(in.Issuer), strings.TrimSpace(in.ClientID), in.Required
	if err := checkIssuer(c.Issuer); err != nil {
		return Connection{}, err
	}
	if c.ClientID == "" {
		return Connection{}, allot.Invalid("client_id", "the client ID the identity provider gave allot is required")
	}
	if err := allot.CheckText("client_id", c.ClientID, maxClientID); err != nil {
		return Connection{}, err
	}
	if in.ClientSecret != "" {
		if err := allot.CheckText("client_secret", in.ClientSecret, maxSecret); err != nil {
			return Connection{}, err
		}
		c.ClientSecret = in.ClientSecret
	}
	if c.ClientSecret == "" {
		return Connection{}, allot.Invalid("client_secret", "the client secret the identity provider gave allot is required")
	}
	var err error
	c.Domains, err = Domains(in.Domains)
	return c, err
}

// checkIssuer checks an issuer's URL.
func checkIssuer(issuer string) error {
	if issuer == "" {
		return allot.Invalid("issuer", "the issuer's URL is required, such as https://login.example.com")
	}
	if err := allot.CheckText("issuer", issuer, maxIssuer); err != nil {
		return err
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(issuer, " \\") {
		return allot.Invalid("issuer", "%q is not an issuer's URL, such as https://login.example.com", issuer)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())) {
		return allot.Invalid("issuer", "the issuer's URL starts with https://")
	}
	return nil
}

// loopback reports whether host is this machine, where a test provider
// may serve plain HTTP.
func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// domainLabel is one label of a domain name, in lower case.
var domainLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// Domains returns the e-mail domains of a connection in their canonical
// form (lower case, without a leading @ or a trailing dot), sorted and
// once each, or EINVALID naming the field domains.
func Domains(in []string) ([]string, error) {
	var out []string
	for _, d := range in {
		d = strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "@"), ".")
		if d == "" {
			continue
		}
		if !validDomain(d) {
			return nil, allot.Invalid("domains", "%q is not an e-mail domain, such as example.com", d)
		}
		out = append(out, d)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	switch {
	case len(out) == 0:
		return nil, allot.Invalid("domains", "name the e-mail domains of the people who sign in here, such as example.com")
	case len(out) > MaxDomains:
		return nil, allot.Invalid("domains", "at most %d domains", MaxDomains)
	}
	return out, nil
}

func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > maxDomainLen || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !domainLabel.MatchString(l) {
			return false
		}
	}
	return true
}

// domainsFree returns a conflict naming the first of c's domains that
// another connection covers. (The database keeps a domain to one
// connection all the same; this is to say which.)
func domainsFree(tx Tx, c Connection) error {
	for _, d := range c.Domains {
		other, err := tx.ConnectionByDomain(d)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			continue
		case err != nil:
			return err
		case other.ID != c.ID:
			return &allot.Error{Code: allot.ECONFLICT, Field: "domains",
				Message: fmt.Sprintf("%s signs in with another single sign-on already: a domain has one connection at most", d)}
		}
	}
	return nil
}

// domainOf returns the domain of a canonical e-mail address.
func domainOf(email string) string {
	return email[strings.LastIndexByte(email, '@')+1:]
}

// Route returns the connection covering the domain of e-mail email, with
// its secret, and whether the person must sign in with it: when it is
// required and they are one of its owner's people. Whoever else has an
// e-mail in its domains may still use a password, so that no connection
// locks out another tenant's people. ENOTFOUND when no connection covers
// the domain, EINVALID for what is not an e-mail address.
func (s *Service) Route(ctx context.Context, email string) (Connection, bool, error) {
	email, err := allot.NormalizeEmail("email", email)
	if err != nil {
		return Connection{}, false, err
	}
	var (
		c        Connection
		required bool
	)
	err = s.Store.Read(ctx, func(tx Tx) error {
		if c, err = tx.ConnectionByDomain(domainOf(email)); err != nil {
			return err
		}
		if c.Name, err = ownerName(tx, c.Owner); err != nil {
			return err
		}
		u, err := tx.UserByEmail(email)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			return nil
		case err != nil:
			return err
		}
		required = c.RequiredOf(u)
		return nil
	})
	return c, required, err
}

// PasswordAllowed returns nil when the person with e-mail email may sign
// in with a password, and EUNAUTHORIZED saying how they sign in when their
// company or partner requires single sign-on of them. Their password is
// then not checked.
func (s *Service) PasswordAllowed(ctx context.Context, email string) error {
	c, required, err := s.Route(ctx, email)
	switch code := allot.ErrorCode(err); {
	case code == allot.ENOTFOUND || code == allot.EINVALID:
		return nil
	case err != nil:
		return err
	case required:
		return allot.Errorf(allot.EUNAUTHORIZED, "%s", ssoOnly(c.Name))
	}
	return nil
}

// ssoOnly says that name's people sign in with single sign-on only.
func ssoOnly(name string) string {
	return name + "'s people sign in with single sign-on, not a password: " +
		"give your e-mail alone on the sign-in page to continue with your organisation's sign-in"
}

// ssoRequired reports whether single sign-on is required of u: a
// connection covers their e-mail's domain, requires it, and u is one of
// its owner's people. It returns the owner's name, for messages.
func ssoRequired(tx Tx, u allot.User) (bool, string, error) {
	c, err := tx.ConnectionByDomain(domainOf(u.Email))
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return false, "", nil
	case err != nil:
		return false, "", err
	case !c.RequiredOf(u):
		return false, "", nil
	}
	name, err := ownerName(tx, c.Owner)
	return true, name, err
}

// SignOnConnection returns connection id, with its secret, for the
// composition root to finish a sign-in with. ENOTFOUND when it was
// disconnected meanwhile.
func (s *Service) SignOnConnection(ctx context.Context, id int64) (Connection, error) {
	var c Connection
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.ConnectionByID(id); err != nil {
			return err
		}
		c.Name, err = ownerName(tx, c.Owner)
		return err
	})
	return c, err
}

// Resolve returns the person connection id signs in when its provider
// vouches for e-mail email (a verified one): one of the connection's
// owner's people, in one of its domains. Anyone else is refused,
// EFORBIDDEN saying whom to ask, in the same words whether they are
// unknown, removed or another tenant's; no account is ever made from a
// sign-on.
func (s *Service) Resolve(ctx context.Context, id int64, email string) (allot.User, error) {
	var u allot.User
	err := s.Store.Read(ctx, func(tx Tx) error {
		c, err := tx.ConnectionByID(id)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			return allot.Errorf(allot.EFORBIDDEN, "this single sign-on was disconnected meanwhile: sign in again")
		case err != nil:
			return err
		}
		if c.Name, err = ownerName(tx, c.Owner); err != nil {
			return err
		}
		normal, err := allot.NormalizeEmail("email", email)
		if err != nil || !slices.Contains(c.Domains, domainOf(normal)) {
			return allot.Errorf(allot.EFORBIDDEN, "%s's sign-in vouched for %q, which is not in the domains its single sign-on covers (%s): "+
				"sign in with your own organisation's account", c.Name, email, strings.Join(c.Domains, ", "))
		}
		u, err = tx.UserByEmail(normal)
		if err != nil && allot.ErrorCode(err) != allot.ENOTFOUND {
			return err
		}
		if err != nil || !c.Owner.Has(u) {
			return refusal(tx, c, normal)
		}
		return nil
	})
	return u, err
}

// refusal is the answer to a sign-on of someone who is not one of c's
// owner's people: whom to ask to be added.
func refusal(tx Tx, c Connection, email string) error {
	f := allot.UserFilter{CompanyID: c.CompanyID, Roles: []allot.Role{allot.RoleCompanyManager}, Limit: 3}
	if c.CompanyID == 0 {
		f = allot.UserFilter{PartnerID: c.PartnerID, Roles: []allot.Role{allot.RolePartnerManager}, Limit: 3}
	}
	managers, err := tx.Users(f)
	if err != nil {
		return err
	}
	ask := "whoever manages " + c.Name + " in allot"
	if len(managers) > 0 {
		ask = c.Name + "'s managers (" + strings.Join(emails(managers), ", ") + ")"
	}
	return allot.Errorf(allot.EFORBIDDEN, "%s has no account of %s in allot, so single sign-on cannot sign you in: ask %s to add you",
		email, c.Name, ask)
}

func emails(us []allot.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Email
	}
	return out
}

// ownerName returns the name of a company or a partner.
func ownerName(tx Tx, o Owner) (string, error) {
	if o.CompanyID != 0 {
		c, err := tx.Company(o.CompanyID)
		return c.Name, err
	}
	pt, err := tx.Partner(o.PartnerID)
	return pt.Name, err
}
