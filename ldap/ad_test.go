package ldap_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"allot/ldap"
)

// An Active Directory-like server: 2,500 people in OU=Staff, more than one
// answer without paging holds (1,000), objectGUID binary, userAccountControl
// with its flags, whenChanged with its ".0Z", groups by memberOf.
const (
	nAD      = 2500
	staffOU  = "OU=Staff,DC=corp,DC=example"
	adGroups = "OU=Groups,DC=corp,DC=example"
	salesDN  = "CN=Sales," + adGroups
	everyDN  = "CN=Everyone," + adGroups
	adBindDN = "svc-allot@corp.example"
	adPW     = "sync-secret"
	// guid0 is person 0's objectGUID as Windows shows it; its bytes on the
	// wire are 29 7b 8f 0d 3c 5a 3e 4c 9b 6e 1f 2a 3b 4c 5d 6e.
	guid0 = "0d8f7b29-5a3c-4c3e-9b6e-1f2a3b4c5d6e"
)

func adPersonDN(i int) string { return fmt.Sprintf("CN=Person %04d,%s", i, staffOU) }

// adGUID returns person i's objectGUID bytes: person 0's known one, and for
// the others bytes that differ from every other person's.
func adGUID(i int) string {
	b := []byte{0x29, 0x7b, 0x8f, 0x0d, 0x3c, 0x5a, 0x3e, 0x4c, 0x9b, 0x6e, 0x1f, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e}
	b[14], b[15] = byte(i>>8)+0x5d, byte(i)+0x6e
	return string(b)
}

func adDirectory() *fakeDir {
	d := &fakeDir{bindDN: adBindDN, password: adPW}
	for i := range nAD {
		attrs := map[string][]string{
			"objectGUID":         {adGUID(i)},
			"mail":               {fmt.Sprintf("person%04d@corp.example", i)},
			"userPrincipalName":  {fmt.Sprintf("p%04d@corp.example", i)},
			"givenName":          {"Given"},
			"sn":                 {fmt.Sprintf("Person%04d", i)},
			"department":         {"Sales"},
			"employeeID":         {fmt.Sprintf("%06d", i)},
			"manager":            {adPersonDN(0)},
			"userAccountControl": {"512"},
			"whenChanged":        {"20240102030405.0Z"},
		}
		switch i {
		case 1:
			delete(attrs, "mail")
		case 2:
			attrs["userAccountControl"] = []string{"514"} // NORMAL_ACCOUNT | ACCOUNTDISABLE
		case 3:
			attrs["userAccountControl"] = []string{"66050"} // | DONT_EXPIRE_PASSWORD, disabled
		case 4:
			attrs["userAccountControl"] = []string{"66048"} // DONT_EXPIRE_PASSWORD, enabled
		case 5:
			attrs["whenChanged"] = []string{"20240301000000.0Z"}
		case 10:
			attrs["memberOf"] = []string{"CN=Domain Users,CN=Users,DC=corp,DC=example"}
		}
		if i < 10 {
			attrs["memberOf"] = []string{salesDN}
		}
		d.people = append(d.people, fakeEntry{dn: adPersonDN(i), attrs: attrs})
	}
	d.groups = []fakeEntry{
		{dn: salesDN, attrs: map[string][]string{"objectGUID": {adGUID(9000)}, "cn": {"Sales"},
			"whenChanged": {"20240102030405.0Z"}, "memberOf": {everyDN}}},
		{dn: everyDN, attrs: map[string][]string{"objectGUID": {adGUID(9001)}, "cn": {"Everyone"},
			"whenChanged": {"20240301000000.0Z"}}},
	}
	return d
}

func adConfig(url string) ldap.Config {
	return ldap.Config{
		Preset:      ldap.PresetActiveDirectory,
		URL:         url,
		TLS:         ldap.TLSNone,
		BindDN:      adBindDN,
		Password:    adPW,
		BaseDN:      staffOU,
		GroupBaseDN: adGroups,
	}
}

func TestADFullRead(t *testing.T) {
	t.Parallel()
	d := adDirectory()
	url := d.start(t)

	// The fake answers as AD does: no more than 1,000 without paging.
	c, err := goldap.DialURL(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind(adBindDN, adPW); err != nil {
		t.Fatal(err)
	}
	_, err = c.Search(goldap.NewSearchRequest(staffOU, goldap.ScopeWholeSubtree, 0, 0, 0, false, "(objectClass=user)", nil, nil))
	if !goldap.IsErrorWithCode(err, goldap.LDAPResultSizeLimitExceeded) {
		t.Fatalf("search without paging: %v, want size limit exceeded", err)
	}

	cfg := adConfig(url)
	cfg.PageSize = 5000 // more than AD gives: it answers 1,000 a page
	res := read(t, cfg)
	if len(res.People) != nAD {
		t.Fatalf("read %d people, want %d", len(res.People), nAD)
	}
	anchors := map[string]bool{}
	var disabled []int
	for i, p := range res.People {
		if !uuidPattern.MatchString(p.Anchor) || anchors[p.Anchor] {
			t.Fatalf("%s: anchor %q is not a GUID of its own", p.DN, p.Anchor)
		}
		anchors[p.Anchor] = true
		if p.Disabled {
			disabled = append(disabled, i)
		}
	}
	p := res.People
	if p[0].Anchor != guid0 {
		t.Errorf("person 0's objectGUID read as %s, want %s", p[0].Anchor, guid0)
	}
	if !slices.Equal(disabled, []int{2, 3}) {
		t.Errorf("disabled %v, want 2 and 3 (userAccountControl bit 2)", disabled)
	}
	if p[1].Email != "p0001@corp.example" || p[0].Email != "person0000@corp.example" {
		t.Errorf("e-mails %q %q: want mail, and userPrincipalName without mail", p[0].Email, p[1].Email)
	}
	if p[7].ManagerAnchor != guid0 || p[7].EmployeeNumber != "000007" || p[7].Department != "Sales" {
		t.Errorf("person 7: %+v", p[7])
	}
	if got := p[0].Groups; !slices.Equal(got, []string{everyDN, salesDN}) {
		t.Errorf("person 0 in Sales, inside Everyone: groups %q", got)
	}
	if got := p[10].Groups; len(got) != 0 {
		t.Errorf("person 10 in a group outside the group base: groups %q, want none", got)
	}
	if want := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC); !res.Mark.Equal(want) || !p[5].Changed.Equal(want) {
		t.Errorf("mark %v, person 5 changed %v; want %v", res.Mark, p[5].Changed, want)
	}
	if got := d.filters; !slices.Equal(got, []string{"(&(objectCategory=person)(objectClass=user))"}) {
		t.Errorf("people searches %q", got)
	}
}

func TestADScopeAsksForNestedMembersInChain(t *testing.T) {
	t.Parallel()
	d := adDirectory()
	cfg := adConfig(d.start(t))
	cfg.ScopeGroup = everyDN
	read(t, cfg)
	want := "(&(&(objectCategory=person)(objectClass=user))(memberOf:1.2.840.113556.1.4.1941:=" + everyDN + "))"
	if !slices.Equal(d.filters, []string{want}) {
		t.Errorf("people searches %q, want %q", d.filters, want)
	}
}

func TestADReadChangedAsksForMembersOfChangedGroups(t *testing.T) {
	t.Parallel()
	d := adDirectory()
	src := mustNew(t, adConfig(d.start(t)))
	mark := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	res, err := src.ReadChanged(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	// Everyone changed at the mark; Sales is inside it, so its members'
	// groups may have changed too, though neither their entries nor Sales.
	want := "(&(&(objectCategory=person)(objectClass=user))(|(whenChanged>=20240301000000.0Z)" +
		"(memberOf=" + salesDN + ")(memberOf=" + everyDN + ")))"
	if !slices.Equal(d.filters, []string{want}) {
		t.Errorf("people searches %q, want %q", d.filters, want)
	}
	if res.Full || !res.Mark.Equal(mark) {
		t.Errorf("full %t, mark %v; want an incremental read keeping mark %v", res.Full, res.Mark, mark)
	}
}
