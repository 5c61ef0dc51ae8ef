package ldap

import "strings"

// Mapping names the attributes a Person's fields are read from. Empty fields
// take the preset's attributes.
type Mapping struct {
	// Anchor is the attribute that identifies an entry for its whole life,
	// through renames and moves: objectGUID or entryUUID. Never the DN or
	// the e-mail.
	Anchor string
	// AnchorFormat says how the anchor's value is written out: AnchorGUID
	// for a 16-byte binary GUID (objectGUID), AnchorText for a text value
	// (entryUUID). Empty: AnchorGUID for objectGUID and mS-DS-ConsistencyGuid,
	// AnchorText for any other attribute.
	AnchorFormat AnchorFormat
	// Email lists attributes in order of preference: the first one an entry
	// has a value for is its e-mail.
	Email          []string
	FirstName      string
	LastName       string
	Department     []string // in order of preference, as Email
	Manager        string   // holds the manager's DN
	EmployeeNumber string
	// Disabled says which entries are disabled accounts.
	Disabled DisabledRule
	// Changed is the time an entry last changed (modifyTimestamp,
	// whenChanged); incremental reads ask for entries changed since a mark.
	Changed string
	// MemberOf is the attribute of a person or group listing the groups it
	// is a direct member of.
	MemberOf string
	// Member lists the attributes of a group that hold its members' DNs.
	Member []string
	// GroupName is the attribute of a group that names it to people.
	GroupName string
}

// AnchorFormat says how an anchor's value is written out.
type AnchorFormat string

// The anchor formats.
const (
	// AnchorGUID writes a 16-byte Microsoft GUID in its canonical form,
	// e.g. "0d8f7b29-5a3c-4c3e-9b6e-1f2a3b4c5d6e" (the first three groups
	// stored little-endian, as Windows stores them).
	AnchorGUID AnchorFormat = "guid"
	// AnchorText takes the value as it is, lower-cased (entryUUID).
	AnchorText AnchorFormat = "text"
)

// DisabledRule says which entries are disabled accounts.
type DisabledRule struct {
	// Attribute is read from every person.
	Attribute string
	// Mask, when not zero, reads the value as an integer: the account is
	// disabled when value AND Mask is not zero (Active Directory's
	// userAccountControl with Mask 2).
	Mask int64
	// Values, when set, lists values (case-insensitive) that mean disabled,
	// e.g. "FALSE" for an enabled flag or "disabled" for a status.
	// With neither Mask nor Values, any value means disabled (OpenLDAP's
	// pwdAccountLockedTime).
	Values []string
}

// preset holds what a kind of server fills in.
type preset struct {
	filter      string
	groupFilter string
	groups      GroupSource
	scopeRule   ScopeRule
	mapping     Mapping
}

var presets = map[Preset]preset{
	PresetActiveDirectory: {
		filter:      "(&(objectCategory=person)(objectClass=user))",
		groupFilter: "(objectClass=group)",
		groups:      GroupsMemberOf,
		scopeRule:   ScopeInChain,
		mapping: Mapping{
			Anchor:         "objectGUID",
			Email:          []string{"mail", "userPrincipalName"},
			FirstName:      "givenName",
			LastName:       "sn",
			Department:     []string{"department"},
			Manager:        "manager",
			EmployeeNumber: "employeeID",
			Disabled:       DisabledRule{Attribute: "userAccountControl", Mask: 2},
			Changed:        "whenChanged",
			MemberOf:       "memberOf",
			Member:         []string{"member"},
			GroupName:      "cn",
		},
	},
	PresetOpenLDAP: {
		filter:      "(objectClass=inetOrgPerson)",
		groupFilter: "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))",
		groups:      GroupsMember,
		scopeRule:   ScopeMember,
		mapping: Mapping{
			Anchor:         "entryUUID",
			Email:          []string{"mail"},
			FirstName:      "givenName",
			LastName:       "sn",
			Department:     []string{"departmentNumber", "ou"},
			Manager:        "manager",
			EmployeeNumber: "employeeNumber",
			Disabled:       DisabledRule{Attribute: "pwdAccountLockedTime"},
			Changed:        "modifyTimestamp",
			MemberOf:       "memberOf",
			Member:         []string{"member", "uniqueMember"},
			GroupName:      "cn",
		},
	},
}

// fill sets m's empty fields to p's.
func (m *Mapping) fill(p Mapping) {
	set := func(field *string, v string) {
		if *field == "" {
			*field = v
		}
	}
	set(&m.Anchor, p.Anchor)
	set(&m.FirstName, p.FirstName)
	set(&m.LastName, p.LastName)
	set(&m.Manager, p.Manager)
	set(&m.EmployeeNumber, p.EmployeeNumber)
	set(&m.Changed, p.Changed)
	set(&m.MemberOf, p.MemberOf)
	set(&m.GroupName, p.GroupName)
	if m.Email == nil {
		m.Email = p.Email
	}
	if m.Department == nil {
		m.Department = p.Department
	}
	if m.Member == nil {
		m.Member = p.Member
	}
	if m.Disabled.Attribute == "" {
		m.Disabled = p.Disabled
	}
	if m.AnchorFormat == "" {
		m.AnchorFormat = AnchorText
		if strings.EqualFold(m.Anchor, "objectGUID") || strings.EqualFold(m.Anchor, "mS-DS-ConsistencyGuid") {
			m.AnchorFormat = AnchorGUID
		}
	}
}

func (m Mapping) check(add func(field, format string, args ...any)) {
	if m.AnchorFormat != AnchorGUID && m.AnchorFormat != AnchorText {
		add("Mapping.AnchorFormat", "must be %q or %q, not %q", AnchorGUID, AnchorText, m.AnchorFormat)
	}
	if isDNAttribute(m.Anchor) || strings.EqualFold(m.Anchor, "mail") || strings.EqualFold(m.Anchor, "userPrincipalName") {
		add("Mapping.Anchor", "must not be %s: it changes when a person is renamed or moved", m.Anchor)
	}
	if len(m.Email) == 0 {
		add("Mapping.Email", "needs at least one attribute")
	}
	if m.Disabled.Mask < 0 {
		add("Mapping.Disabled.Mask", "must not be negative")
	}
	if len(m.Member) == 0 {
		add("Mapping.Member", "needs at least one attribute")
	}
	lists := []struct {
		field string
		attrs []string
	}{
		{"Mapping.Anchor", []string{m.Anchor}}, {"Mapping.Email", m.Email},
		{"Mapping.FirstName", []string{m.FirstName}}, {"Mapping.LastName", []string{m.LastName}},
		{"Mapping.Department", m.Department}, {"Mapping.Manager", []string{m.Manager}},
		{"Mapping.EmployeeNumber", []string{m.EmployeeNumber}},
		{"Mapping.Disabled.Attribute", []string{m.Disabled.Attribute}},
		{"Mapping.Changed", []string{m.Changed}}, {"Mapping.MemberOf", []string{m.MemberOf}},
		{"Mapping.Member", m.Member}, {"Mapping.GroupName", []string{m.GroupName}},
	}
	for _, l := range lists {
		for _, a := range l.attrs {
			checkAttribute(add, l.field, a)
		}
	}
}

func isDNAttribute(a string) bool {
	return strings.EqualFold(a, "dn") || strings.EqualFold(a, "distinguishedName") || strings.EqualFold(a, "entryDN")
}

// checkAttribute refuses what is not an attribute description: a name
// (letters, digits, hyphens, starting with a letter) or an OID, with options.
func checkAttribute(add func(field, format string, args ...any), field, a string) {
	if a == "" {
		return
	}
	for i, r := range a {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		ok := letter || r >= '0' && r <= '9' || i > 0 && (r == '-' || r == '.' || r == ';')
		if !ok {
			add(field, "%q is not an attribute name", a)
			return
		}
	}
}
