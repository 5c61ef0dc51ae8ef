package ldap_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"allot/ldap"
	"allot/ldap/ldaptest"
)

// The test directory: 1,200 people under ou=people, more than a search
// without paging may return (500), one intern in ou=interns below it, a
// boss outside the base DN, and groups:
//
//	all ⊃ staff ⊃ engineering
//	staff: u0000–u0599 and the group engineering
//	engineering: u1000–u1099
//	pilot: u1190–u1192
//
// u0007 is locked (pwdAccountLockedTime). Everything was last modified at
// loaded, long ago, but u1199 an hour later: the mark of a full read.
const (
	nPeople = 1200
	loaded  = "20240101000000Z"
	latest  = "20240101010000Z"
)

var (
	staffDN       = ldaptest.GroupDN("staff")
	engineeringDN = ldaptest.GroupDN("engineering")
	allDN         = ldaptest.GroupDN("all")
	pilotDN       = ldaptest.GroupDN("pilot")
	bossDN        = "uid=boss,ou=board," + ldaptest.Suffix
	ghostDN       = "uid=ghost," + ldaptest.People
	loadedTime    = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	latestTime    = time.Date(2024, 1, 1, 1, 0, 0, 0, time.UTC)
	uuidPattern   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

func uid(i int) string   { return fmt.Sprintf("u%04d", i) }
func uidDN(i int) string { return "uid=" + uid(i) + "," + ldaptest.People }

// companyLDIF returns the test directory as LDIF for slapadd.
func companyLDIF() string {
	var b strings.Builder
	b.WriteString(ldaptest.OU("board", ldaptest.Suffix) + ldaptest.OU("contractors", ldaptest.Suffix) +
		ldaptest.OU("interns", ldaptest.People))
	b.WriteString(ldaptest.Person{UID: "boss", Parent: "ou=board," + ldaptest.Suffix, ModifiedAt: loaded}.LDIF())
	var staff, engineering, pilot []string
	for i := range nPeople {
		p := ldaptest.Person{UID: uid(i), Department: fmt.Sprintf("D%d", i%5), Manager: uidDN(0), Locked: i == 7, ModifiedAt: loaded}
		if i == nPeople-1 {
			p.ModifiedAt = latest
		}
		switch {
		case i == 0:
			p.Manager = ""
		case i == 1:
			p.Manager = bossDN
		case i == 2:
			p.Manager = ghostDN
		}
		switch {
		case i < 600:
			staff = append(staff, p.DN())
			p.MemberOf = []string{staffDN}
		case i >= 1000 && i < 1100:
			engineering = append(engineering, p.DN())
			p.MemberOf = []string{engineeringDN}
		case i >= 1190 && i < 1193:
			pilot = append(pilot, p.DN())
			p.MemberOf = []string{pilotDN}
		}
		b.WriteString(p.LDIF())
	}
	b.WriteString(ldaptest.Person{UID: "i0001", Parent: "ou=interns," + ldaptest.People, Department: "D9", ModifiedAt: loaded}.LDIF())
	for _, g := range []ldaptest.Group{
		{CN: "all", Members: []string{staffDN}, ModifiedAt: loaded},
		{CN: "staff", Members: append(staff, engineeringDN), MemberOf: []string{allDN}, ModifiedAt: loaded},
		{CN: "engineering", Members: engineering, MemberOf: []string{staffDN}, ModifiedAt: loaded},
		{CN: "pilot", Members: pilot, ModifiedAt: loaded},
	} {
		b.WriteString(g.LDIF())
	}
	return b.String()
}

// read runs a full read with cfg and fails the test on an error.
func read(t *testing.T, cfg ldap.Config) *ldap.Result {
	t.Helper()
	src, err := ldap.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := src.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// byUID indexes people by their uid, the first RDN of their DN.
func byUID(t *testing.T, ps []ldap.Person) map[string]ldap.Person {
	t.Helper()
	out := map[string]ldap.Person{}
	for _, p := range ps {
		u := strings.TrimPrefix(strings.SplitN(p.DN, ",", 2)[0], "uid=")
		if _, dup := out[u]; dup {
			t.Fatalf("%s read twice", u)
		}
		out[u] = p
	}
	return out
}

func TestSlapdFullReadPagesPastTheSizeLimit(t *testing.T) {
	t.Parallel()
	s := ldaptest.Start(t, companyLDIF())

	// Without paging the server stops at 500: only a paged read sees all.
	c, err := goldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind(ldaptest.ReaderDN, ldaptest.ReaderPassword); err != nil {
		t.Fatal(err)
	}
	unpaged, err := c.Search(goldap.NewSearchRequest(ldaptest.People, goldap.ScopeWholeSubtree, 0, 0, 0, false,
		"(objectClass=inetOrgPerson)", []string{"1.1"}, nil))
	if !goldap.IsErrorWithCode(err, goldap.LDAPResultSizeLimitExceeded) || len(unpaged.Entries) != 500 {
		t.Fatalf("search without paging: %d entries, %v; want 500 and size limit exceeded", len(unpaged.Entries), err)
	}

	res := read(t, s.Config())
	if len(res.People) != nPeople+1 || !res.Full {
		t.Fatalf("read %d people (full %t), want %d and full", len(res.People), res.Full, nPeople+1)
	}
	anchors := map[string]bool{}
	disabled := 0
	for _, p := range res.People {
		if !uuidPattern.MatchString(p.Anchor) || anchors[p.Anchor] {
			t.Fatalf("%s: anchor %q is not a fresh entryUUID", p.DN, p.Anchor)
		}
		anchors[p.Anchor] = true
		if p.Disabled {
			disabled++
		}
	}
	ps := byUID(t, res.People)
	want := ldap.Person{
		Anchor: ps["u0005"].Anchor, DN: uidDN(5), Email: "u0005@example.com",
		FirstName: "Given-u0005", LastName: "Family-u0005", Department: "D0", EmployeeNumber: "E-u0005",
		Manager: uidDN(0), ManagerAnchor: ps["u0000"].Anchor,
		Groups: []string{allDN, staffDN}, Changed: loadedTime,
	}
	if got := ps["u0005"]; !reflect.DeepEqual(got, want) {
		t.Errorf("u0005:\n got %+v\nwant %+v", got, want)
	}
	if !ps["u0007"].Disabled || disabled != 1 {
		t.Errorf("u0007 disabled %t, %d disabled in all; want the locked account alone", ps["u0007"].Disabled, disabled)
	}
	if got := ps["u1005"].Groups; !slices.Equal(got, []string{allDN, engineeringDN, staffDN}) {
		t.Errorf("u1005 (engineering, inside staff, inside all) groups %q", got)
	}
	if got := ps["u0700"].Groups; len(got) != 0 {
		t.Errorf("u0700 groups %q, want none", got)
	}
	if got, want := ps["u0001"].ManagerAnchor, s.EntryUUID(t, bossDN); got != want {
		t.Errorf("u0001's manager outside the base DN: anchor %q, want %q", got, want)
	}
	if p := ps["u0002"]; p.Manager != ghostDN || p.ManagerAnchor != "" {
		t.Errorf("u0002's manager that does not exist: %q %q", p.Manager, p.ManagerAnchor)
	}
	if _, ok := ps["i0001"]; !ok {
		t.Error("the intern in ou=interns below the base DN was not read")
	}
	if len(res.Groups) != 4 || !res.Mark.Equal(latestTime) {
		t.Errorf("%d groups, mark %v; want 4 and %v", len(res.Groups), res.Mark, latestTime)
	}
}

func TestSlapdGroupsFromMemberOfMatchMemberLists(t *testing.T) {
	t.Parallel()
	s := ldaptest.Start(t, companyLDIF())
	members := read(t, s.Config())
	cfg := s.Config()
	cfg.Groups = ldap.GroupsMemberOf
	memberOf := byUID(t, read(t, cfg).People)
	for u, p := range byUID(t, members.People) {
		if !slices.Equal(p.Groups, memberOf[u].Groups) {
			t.Fatalf("%s: groups %q from member lists, %q from memberOf", u, p.Groups, memberOf[u].Groups)
		}
	}
	cfg.NoNesting = true
	if got := byUID(t, read(t, cfg).People)["u1005"].Groups; !slices.Equal(got, []string{engineeringDN}) {
		t.Errorf("u1005 without nesting: groups %q, want engineering alone", got)
	}
}

func TestSlapdScope(t *testing.T) {
	t.Parallel()
	s := ldaptest.Start(t, companyLDIF())
	tests := []struct {
		name string
		set  func(*ldap.Config)
		want int
	}{
		{"members of all, nested", func(c *ldap.Config) { c.ScopeGroup = allDN }, 700},
		{"direct members of staff", func(c *ldap.Config) { c.ScopeGroup, c.NoNesting = staffDN, true }, 600},
		{"memberOf staff, asked of the server", func(c *ldap.Config) {
			c.ScopeGroup, c.ScopeRule = staffDN, ldap.ScopeMemberOf
		}, 600},
		{"one level below the base", func(c *ldap.Config) { c.Depth = ldap.DepthOneLevel }, nPeople},
		{"a filter of one department", func(c *ldap.Config) { c.Filter = "(departmentNumber=D1)" }, nPeople / 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := s.Config()
			tt.set(&cfg)
			if got := len(read(t, cfg).People); got != tt.want {
				t.Errorf("read %d people, want %d", got, tt.want)
			}
		})
	}

	cfg := s.Config()
	cfg.ScopeGroup = ldaptest.GroupDN("nobody")
	src, err := ldap.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := src.ReadAll(context.Background()); err == nil || res != nil {
		t.Errorf("a scope group that does not exist: %v people, error %v; want an error and nothing", res, err)
	}
}

// TestSlapdReadChanged changes the directory after a full read and reads the
// changes, with groups from member lists and from memberOf (which OpenLDAP's
// memberof overlay keeps without changing the member's modifyTimestamp).
func TestSlapdReadChanged(t *testing.T) {
	t.Parallel()
	for _, groups := range []ldap.GroupSource{ldap.GroupsMember, ldap.GroupsMemberOf} {
		t.Run(string(groups), func(t *testing.T) {
			t.Parallel()
			testReadChanged(t, groups)
		})
	}
}

func testReadChanged(t *testing.T, groups ldap.GroupSource) {
	s := ldaptest.Start(t, companyLDIF())
	cfg := s.Config()
	cfg.Groups = groups
	src := mustNew(t, cfg)
	ctx := context.Background()
	full, err := src.ReadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}

	s.Modify(t, uidDN(10), func(m *goldap.ModifyRequest) { m.Replace("mail", []string{"renamed10@example.com"}) })
	s.Modify(t, uidDN(11), func(m *goldap.ModifyRequest) { m.Replace("departmentNumber", []string{"D7"}) })
	s.Modify(t, uidDN(12), func(m *goldap.ModifyRequest) { m.Replace("sn", []string{"Newname"}) })
	s.Modify(t, uidDN(13), func(m *goldap.ModifyRequest) { m.Add("pwdAccountLockedTime", []string{"000001010000Z"}) })
	s.Modify(t, pilotDN, func(m *goldap.ModifyRequest) { m.Add("member", []string{uidDN(1150)}) })
	s.Add(t, ldaptest.Person{UID: "n0001"}.LDIF()+ldaptest.Person{UID: "n0002"}.LDIF())
	s.Delete(t, uidDN(20))

	changed, err := src.ReadChanged(ctx, full.Mark)
	if err != nil {
		t.Fatal(err)
	}
	// The changed and added people; the members of the group that changed,
	// since joining a group changes the group's entry only; and u1199,
	// changed at the mark's own second: a read returns what changed at or
	// after the mark, so that a change made later in that second is not lost.
	want := []string{"n0001", "n0002", "u0010", "u0011", "u0012", "u0013", "u1150", "u1190", "u1191", "u1192", "u1199"}
	ps := byUID(t, changed.People)
	if got := slices.Sorted(maps.Keys(ps)); !slices.Equal(got, want) || changed.Full {
		t.Fatalf("changed since %v: %q (full %t), want %q", full.Mark, got, changed.Full, want)
	}
	if !changed.Mark.After(full.Mark) {
		t.Errorf("mark %v did not move past %v", changed.Mark, full.Mark)
	}
	if ps["u0010"].Email != "renamed10@example.com" || !ps["u0013"].Disabled || ps["u0011"].Department != "D7" {
		t.Errorf("changes not read: %+v %+v %+v", ps["u0010"], ps["u0013"], ps["u0011"])
	}
	if got := ps["u1150"].Groups; !slices.Equal(got, []string{pilotDN}) {
		t.Errorf("u1150 joined pilot: groups %q", got)
	}
	if a := byUID(t, full.People)["u0010"].Anchor; ps["u0010"].Anchor != a {
		t.Errorf("u0010's anchor changed with its e-mail: %s, was %s", ps["u0010"].Anchor, a)
	}

	// From the new mark, only what changed at that second or later comes
	// back, never the untouched thousand.
	again, err := src.ReadChanged(ctx, changed.Mark)
	if err != nil {
		t.Fatal(err)
	}
	for u := range byUID(t, again.People) {
		if !slices.Contains(want, u) {
			t.Errorf("%s read again from mark %v though it never changed", u, changed.Mark)
		}
	}
	if again.Mark.Before(changed.Mark) {
		t.Errorf("mark went back from %v to %v", changed.Mark, again.Mark)
	}
}

func TestSlapdFullReadMissesDeletedAndMoved(t *testing.T) {
	t.Parallel()
	s := ldaptest.Start(t, companyLDIF())
	before := byUID(t, read(t, s.Config()).People)

	s.Delete(t, uidDN(3))
	s.Move(t, uidDN(4), "uid=u0004", "ou=contractors,"+ldaptest.Suffix)
	s.Move(t, uidDN(5), "uid=u0005", "ou=interns,"+ldaptest.People)
	s.Modify(t, pilotDN, func(m *goldap.ModifyRequest) { m.Delete("member", []string{uidDN(1190)}) })

	res := read(t, s.Config())
	if len(res.People) != nPeople-1 {
		t.Errorf("read %d people, want %d", len(res.People), nPeople-1)
	}
	anchors := map[string]ldap.Person{}
	for _, p := range res.People {
		anchors[p.Anchor] = p
	}
	for _, u := range []string{"u0003", "u0004"} {
		if p, ok := anchors[before[u].Anchor]; ok {
			t.Errorf("%s (deleted or moved out of the base) still read, as %s", u, p.DN)
		}
	}
	moved, ok := anchors[before["u0005"].Anchor]
	if !ok || moved.DN != "uid=u0005,ou=interns,"+ldaptest.People {
		t.Errorf("u0005 moved within the base: read %t as %q, want its anchor kept", ok, moved.DN)
	}
	if got := anchors[before["u1190"].Anchor].Groups; len(got) != 0 {
		t.Errorf("u1190 left pilot: groups %q", got)
	}
}

func TestSlapdTLS(t *testing.T) {
	t.Parallel()
	s := ldaptest.Start(t, ldaptest.Person{UID: "u0001", ModifiedAt: loaded}.LDIF())
	tests := []struct {
		name    string
		set     func(*ldap.Config)
		wantErr string
	}{
		{"StartTLS checked against the CA", func(c *ldap.Config) { c.TLS, c.CAPEM = ldap.TLSAuto, s.CA }, ""},
		{"StartTLS, skip verify asked", func(c *ldap.Config) { c.TLS, c.SkipVerify = ldap.TLSStartTLS, true }, ""},
		{"StartTLS, certificate unknown", func(c *ldap.Config) { c.TLS = ldap.TLSAuto }, "certificate"},
		{"ldaps checked against the CA", func(c *ldap.Config) { c.URL, c.TLS, c.CAPEM = s.LDAPS, ldap.TLSAuto, s.CA }, ""},
		{"ldaps, certificate unknown", func(c *ldap.Config) { c.URL, c.TLS = s.LDAPS, ldap.TLSAuto }, "certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := s.Config()
			tt.set(&cfg)
			src, err := ldap.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := src.ReadAll(context.Background())
			switch {
			case tt.wantErr == "" && (err != nil || len(res.People) != 1):
				t.Errorf("read %v, %v; want one person", res, err)
			case tt.wantErr != "" && (err == nil || res != nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("read %v, %v; want nothing and an error about the %s", res, err, tt.wantErr)
			}
		})
	}
}

func TestSlapdBadCredentials(t *testing.T) {
	t.Parallel()
	s := ldaptest.Start(t, "")
	cfg := s.Config()
	cfg.Password = "wrong"
	src, err := ldap.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := src.ReadAll(context.Background())
	if !errors.Is(err, ldap.ErrCredentials) || res != nil {
		t.Errorf("wrong password: %v, %v; want ErrCredentials and nothing", res, err)
	}
	if err := src.Check(context.Background()); !errors.Is(err, ldap.ErrCredentials) {
		t.Errorf("check with a wrong password: %v", err)
	}
	cfg.Password = ldaptest.ReaderPassword
	if err := mustNew(t, cfg).Check(context.Background()); err != nil {
		t.Errorf("check: %v", err)
	}
	cfg.BaseDN = "ou=nowhere," + ldaptest.Suffix
	if err := mustNew(t, cfg).Check(context.Background()); err == nil {
		t.Error("check of a base DN that does not exist passed")
	}
}

func mustNew(t *testing.T, cfg ldap.Config) *ldap.Source {
	t.Helper()
	src, err := ldap.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
