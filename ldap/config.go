package ldap

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// Config says how to reach a directory and which of its entries are people.
// Fields left empty take the preset's value (see Preset); Validate says what
// is wrong with the rest, field by field.
type Config struct {
	// Preset fills what is left empty with the conventions of a kind of
	// server: PresetActiveDirectory or PresetOpenLDAP. Required.
	Preset Preset

	// URL is ldap://host[:389] or ldaps://host[:636]. Required.
	URL string
	// TLS says how an ldap:// connection is protected; TLSAuto upgrades it
	// with StartTLS. An ldaps:// connection is TLS from its first byte.
	TLS TLSMode
	// SkipVerify accepts any server certificate. Only for a directory whose
	// certificate cannot be checked; never the default.
	SkipVerify bool
	// CAPEM holds the PEM certificates that sign the server's certificate,
	// when the system's roots do not.
	CAPEM string

	// BindDN and Password are the account the sync reads as. BindDN is a DN,
	// or on Active Directory also user@domain or DOMAIN\user. Required.
	BindDN   string
	Password string `json:"-"` // never in a stored config: kept apart as a secret

	// BaseDN is where people are read from. Required.
	BaseDN string
	// Depth is how far below BaseDN people are read: DepthSubtree (the
	// default) or DepthOneLevel.
	Depth Depth
	// Filter selects people among the entries, e.g. "(objectClass=person)".
	// Empty: the preset's. It is combined with the scope group's and the
	// change time's conditions, never replaced by them.
	Filter string

	// ScopeGroup, when set, is the DN of a group: only its members are read.
	// ScopeRule says how membership is decided.
	ScopeGroup string
	ScopeRule  ScopeRule

	// Groups says how each person's groups are found: GroupsMemberOf reads
	// the person's memberOf, GroupsMember reads the groups' member lists,
	// GroupsNone reads no groups (and an incremental read then sees someone
	// join the scope group only if ScopeRule is ScopeMember). Only groups
	// that the group search finds (under GroupBaseDN, matching GroupFilter)
	// are reported.
	Groups      GroupSource
	GroupBaseDN string // empty: BaseDN
	GroupFilter string // empty: the preset's
	// NoNesting counts only direct members of a group. By default a member
	// of a group inside group G is a member of G too, however deep.
	NoNesting bool

	// Mapping names the attributes each field of a Person is read from.
	Mapping Mapping

	// PageSize is how many entries each page of a search asks for; 500 by
	// default. Servers cap it (Active Directory at 1,000).
	PageSize int
	// Timeout bounds dialling and each request (one page of a search);
	// one minute by default.
	Timeout time.Duration
}

// Preset names a kind of directory server.
type Preset string

// The presets.
const (
	PresetActiveDirectory Preset = "active-directory"
	PresetOpenLDAP        Preset = "openldap"
)

// TLSMode says how an ldap:// connection is protected.
type TLSMode string

// The TLS modes.
const (
	// TLSAuto upgrades ldap:// with StartTLS; ldaps:// is TLS already.
	TLSAuto TLSMode = ""
	// TLSStartTLS upgrades ldap:// with StartTLS, as TLSAuto does.
	TLSStartTLS TLSMode = "starttls"
	// TLSNone sends everything, the password too, in the clear over
	// ldap://. Only when explicitly asked.
	TLSNone TLSMode = "none"
)

// Depth is how far below the base DN people are read.
type Depth string

// The depths.
const (
	DepthSubtree  Depth = "subtree"
	DepthOneLevel Depth = "one"
)

// ScopeRule says how a person is found to be a member of the scope group.
type ScopeRule string

// The scope rules.
const (
	// ScopeInChain asks Active Directory for members at any depth, with
	// the matching rule LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941).
	ScopeInChain ScopeRule = "in-chain"
	// ScopeMemberOf asks the server for entries whose memberOf names the
	// group: direct members only (OpenLDAP needs its memberof overlay).
	ScopeMemberOf ScopeRule = "memberOf"
	// ScopeMember reads the group's member lists and keeps the people in
	// them, nested groups expanded unless NoNesting; works on any server.
	ScopeMember ScopeRule = "member"
)

// GroupSource says how each person's groups are found.
type GroupSource string

// The group sources.
const (
	GroupsMemberOf GroupSource = "memberOf"
	GroupsMember   GroupSource = "member"
	GroupsNone     GroupSource = "none"
)

// Defaults.
const (
	DefaultPageSize = 500
	DefaultTimeout  = time.Minute
	maxPageSize     = 100_000
)

// FieldError says what is wrong with one field of a Config.
type FieldError struct {
	Field   string // the field's Go name, e.g. "URL" or "Mapping.Anchor"
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// FieldErrors is every problem Validate found, in field order.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return "ldap config: " + strings.Join(msgs, "; ")
}

// ErrConfig is matched by every error Validate returns.
var ErrConfig = errors.New("ldap config")

// Is makes errors.Is(err, ErrConfig) true for FieldErrors.
func (es FieldErrors) Is(target error) bool { return target == ErrConfig }

// String shows the config without its password, so that logging it never
// leaks the password.
func (c Config) String() string {
	return fmt.Sprintf("ldap.Config{Preset: %s, URL: %s, BindDN: %s, BaseDN: %s}", c.Preset, c.URL, c.BindDN, c.BaseDN)
}

// GoString hides the password from %#v too.
func (c Config) GoString() string { return c.String() }

// Validate returns nil when c can be used, and FieldErrors otherwise.
func (c Config) Validate() error {
	_, err := c.resolve()
	return err
}

// resolve fills c's empty fields from its preset and checks every field.
func (c Config) resolve() (Config, error) {
	var errs FieldErrors
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	p, ok := presets[c.Preset]
	if !ok {
		add("Preset", "must be %q or %q, not %q", PresetActiveDirectory, PresetOpenLDAP, c.Preset)
		p = presets[PresetOpenLDAP]
	}
	c.fill(p)
	c.checkConnection(add)
	c.checkSearch(add)
	c.Mapping.check(add)
	if len(errs) > 0 {
		return c, errs
	}
	return c, nil
}

// fill sets c's empty fields to p's values and the defaults.
func (c *Config) fill(p preset) {
	if c.Depth == "" {
		c.Depth = DepthSubtree
	}
	if c.Filter == "" {
		c.Filter = p.filter
	}
	if c.ScopeRule == "" && c.ScopeGroup != "" {
		c.ScopeRule = p.scopeRule
	}
	if c.Groups == "" {
		c.Groups = p.groups
	}
	if c.GroupBaseDN == "" {
		c.GroupBaseDN = c.BaseDN
	}
	if c.GroupFilter == "" {
		c.GroupFilter = p.groupFilter
	}
	if c.PageSize == 0 {
		c.PageSize = DefaultPageSize
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	c.Mapping.fill(p.mapping)
}

func (c Config) checkConnection(add func(field, format string, args ...any)) {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		add("URL", "is required, e.g. ldaps://dc1.example.com")
	case err != nil:
		add("URL", "is not a URL: %v", err)
	case u.Scheme != "ldap" && u.Scheme != "ldaps":
		add("URL", "must start with ldap:// or ldaps://, not %q", u.Scheme+"://")
	case u.Hostname() == "":
		add("URL", "names no host")
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil:
		add("URL", "must be only a scheme, a host and a port; put the base DN in BaseDN")
	}
	switch c.TLS {
	case TLSAuto:
	case TLSStartTLS, TLSNone:
		if err == nil && u.Scheme == "ldaps" {
			add("TLS", "must be empty with ldaps://, which is TLS from the start")
		}
	default:
		add("TLS", "must be empty, %q or %q, not %q", TLSStartTLS, TLSNone, c.TLS)
	}
	if c.TLS == TLSNone && (c.SkipVerify || c.CAPEM != "") {
		add("TLS", "is %q, so SkipVerify and CAPEM would have no effect", TLSNone)
	}
	if c.CAPEM != "" && !x509.NewCertPool().AppendCertsFromPEM([]byte(c.CAPEM)) {
		add("CAPEM", "holds no PEM certificate")
	}
	switch {
	case c.BindDN == "":
		add("BindDN", "is required: the account the sync reads as")
	case !strings.ContainsAny(c.BindDN, `@\`):
		checkDN(add, "BindDN", c.BindDN)
	}
	if c.Password == "" {
		add("Password", "is required")
	}
	if c.PageSize < 1 || c.PageSize > maxPageSize {
		add("PageSize", "must be between 1 and %d, not %d", maxPageSize, c.PageSize)
	}
	if c.Timeout < 0 {
		add("Timeout", "must not be negative")
	}
}

func (c Config) checkSearch(add func(field, format string, args ...any)) {
	if c.BaseDN == "" {
		add("BaseDN", "is required, e.g. ou=Staff,dc=example,dc=com")
	} else {
		checkDN(add, "BaseDN", c.BaseDN)
	}
	if c.Depth != DepthSubtree && c.Depth != DepthOneLevel {
		add("Depth", "must be %q or %q, not %q", DepthSubtree, DepthOneLevel, c.Depth)
	}
	checkFilter(add, "Filter", c.Filter)
	checkFilter(add, "GroupFilter", c.GroupFilter)
	if c.GroupBaseDN != c.BaseDN { // when equal, BaseDN's check says it
		checkDN(add, "GroupBaseDN", c.GroupBaseDN)
	}
	switch c.Groups {
	case GroupsMemberOf, GroupsMember, GroupsNone:
	default:
		add("Groups", "must be %q, %q or %q, not %q", GroupsMemberOf, GroupsMember, GroupsNone, c.Groups)
	}
	if c.ScopeGroup == "" {
		if c.ScopeRule != "" {
			add("ScopeRule", "is set but ScopeGroup is empty")
		}
		return
	}
	checkDN(add, "ScopeGroup", c.ScopeGroup)
	switch c.ScopeRule {
	case ScopeInChain:
		if c.Preset != PresetActiveDirectory {
			add("ScopeRule", "%q is a rule of Active Directory; other servers match no one with it", ScopeInChain)
		}
	case ScopeMemberOf, ScopeMember:
	default:
		add("ScopeRule", "must be %q, %q or %q, not %q", ScopeInChain, ScopeMemberOf, ScopeMember, c.ScopeRule)
	}
}

func checkDN(add func(field, format string, args ...any), field, dn string) {
	if _, err := goldap.ParseDN(dn); err != nil {
		add(field, "is not a DN: %v", err)
	}
}

func checkFilter(add func(field, format string, args ...any), field, filter string) {
	if filter == "" {
		return
	}
	if _, err := goldap.CompileFilter(filter); err != nil {
		add(field, "is not an LDAP filter: %v", err)
	}
}
