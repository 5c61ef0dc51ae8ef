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
