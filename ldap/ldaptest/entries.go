package ldaptest

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"strings"
)

// Person is an inetOrgPerson of a test directory. Its names and e-mail are
// made from its uid: cn "Person UID", givenName "Given-UID", sn
// "Family-UID", employeeNumber "E-UID", mail "UID@example.com" unless Mail
// says otherwise.
type Person struct {
	UID        string
	Parent     string // the DN of the entry above it; People when empty
	Mail       string
	Department string // departmentNumber
	Manager    string // a DN
	Locked     bool   // pwdAccountLockedTime set, as ppolicy locks an account
	// MemberOf and ModifiedAt (a GeneralizedTime) are operational: only
	// Start loads them; online, the server keeps them.
	MemberOf   []string
	ModifiedAt string
}

// DN returns the person's DN.
func (p Person) DN() string {
	return "uid=" + p.UID + "," + cmp.Or(p.Parent, People)
}

// Email returns the person's mail.
func (p Person) Email() string {
	return cmp.Or(p.Mail, p.UID+"@example.com")
}

// LDIF returns the person as an LDIF entry, a blank line after it.
func (p Person) LDIF() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dn: %s\nobjectClass: inetOrgPerson\nuid: %s\ncn: Person %[2]s\ngivenName: Given-%[2]s\nsn: Family-%[2]s\nmail: %s\n",
		p.DN(), p.UID, p.Email())
	fmt.Fprintf(&b, "employeeNumber: E-%s\n", p.UID)
	if p.Department != "" {
		fmt.Fprintf(&b, "departmentNumber: %s\n", p.Department)
	}
	if p.Manager != "" {
		fmt.Fprintf(&b, "manager: %s\n", p.Manager)
	}
	if p.Locked {
		b.WriteString("pwdAccountLockedTime: 000001010000Z\n")
	}
	for _, g := range p.MemberOf {
		fmt.Fprintf(&b, "memberOf: %s\n", g)
	}
	if p.ModifiedAt != "" {
		fmt.Fprintf(&b, "modifyTimestamp: %s\n", p.ModifiedAt)
	}
	b.WriteString("\n")
	return b.String()
}

// Group is a groupOfNames of a test directory, below Groups. It has at
// least one member, as the schema requires.
type Group struct {
	CN      string
	Members []string // DNs of people or groups
	// MemberOf and ModifiedAt are operational, as a Person's.
	MemberOf   []string
	ModifiedAt string
}

// GroupDN returns the DN of the group named cn.
func GroupDN(cn string) string { return "cn=" + cn + "," + Groups }

// DN returns the group's DN.
func (g Group) DN() string { return GroupDN(g.CN) }

// LDIF returns the group as an LDIF entry, a blank line after it.
func (g Group) LDIF() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dn: %s\nobjectClass: groupOfNames\ncn: %s\n", g.DN(), g.CN)
	for _, m := range g.Members {
		fmt.Fprintf(&b, "member: %s\n", m)
	}
	for _, o := range g.MemberOf {
		fmt.Fprintf(&b, "memberOf: %s\n", o)
	}
	if g.ModifiedAt != "" {
		fmt.Fprintf(&b, "modifyTimestamp: %s\n", g.ModifiedAt)
	}
	b.WriteString("\n")
	return b.String()
}

// OU returns the LDIF of an organizationalUnit named ou below parent.
func OU(ou, parent string) string {
	return fmt.Sprintf("dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %[1]s\n\n", ou, parent)
}

// Entry is an entry of LDIF: its DN and its attributes, in the order they
// first appear.
type Entry struct {
	DN         string
	Attributes []Attribute
}

// Attribute is an attribute of an Entry and its values, in order.
type Attribute struct {
	Name   string
	Values []string
}

// ParseLDIF reads entries of LDIF content records (RFC 2849): lines
// folded with a leading space, comments, base64 values (name:: value) and
// a version line. Change records and URL values are refused.
func ParseLDIF(text string) ([]Entry, error) {
	var (
		out []Entry
		cur *Entry
	)
	lines := unfold(text)
	for n, line := range lines {
		switch {
		case line == "":
			cur = nil
			continue
		case strings.HasPrefix(line, "#"):
			continue
		}
		name, value, err := ldifLine(line)
		if err != nil {
			return nil, fmt.Errorf("ldif line %d: %w", n+1, err)
		}
		switch {
		case cur == nil && strings.EqualFold(name, "version"):
			continue
		case cur == nil && !strings.EqualFold(name, "dn"):
			return nil, fmt.Errorf("ldif line %d: an entry starts with its dn, not %q", n+1, name)
		case cur == nil:
			out = append(out, Entry{DN: value})
			cur = &out[len(out)-1]
		case strings.EqualFold(name, "changetype"):
			return nil, fmt.Errorf("ldif line %d: change records are not read", n+1)
		default:
			cur.add(name, value)
		}
	}
	return out, nil
}

// add appends a value to the entry's attribute name.
func (e *Entry) add(name, value string) {
	for i := range e.Attributes {
		if strings.EqualFold(e.Attributes[i].Name, name) {
			e.Attributes[i].Values = append(e.Attributes[i].Values, value)
			return
		}
	}
	e.Attributes = append(e.Attributes, Attribute{Name: name, Values: []string{value}})
}

// unfold returns the logical lines of LDIF text: a line that starts with a
// space continues the one before it.
func unfold(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.HasPrefix(line, " ") && len(out) > 0 && out[len(out)-1] != "" {
			out[len(out)-1] += line[1:]
			continue
		}
		out = append(out, line)
	}
	return out
}

// ldifLine splits "name: value" or "name:: base64".
func ldifLine(line string) (name, value string, err error) {
	name, rest, ok := strings.Cut(line, ":")
	if !ok || name == "" {
		return "", "", fmt.Errorf("%q is not name: value", line)
	}
	switch {
	case strings.HasPrefix(rest, ":"):
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest[1:]))
		if err != nil {
			return "", "", fmt.Errorf("%s: %w", name, err)
		}
		return name, string(b), nil
	case strings.HasPrefix(rest, "<"):
		return "", "", fmt.Errorf("%s: URL values are not read", name)
	}
	return name, strings.TrimLeft(rest, " "), nil
}
