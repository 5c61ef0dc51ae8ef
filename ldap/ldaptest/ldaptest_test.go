package ldaptest_test

import (
	"context"
	"reflect"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"

	"allot/ldap"
	"allot/ldap/ldaptest"
)

func TestParseLDIF(t *testing.T) {
	t.Parallel()
	got, err := ldaptest.ParseLDIF("version: 1\n# a comment\ndn: uid=a,ou=people,\n dc=example,dc=com\nobjectClass: inetOrgPerson\n" +
		"cn:: w6lsw6huZQ==\nmail: a@example.com\nmail: b@example.com\n\n\ndn: cn=g,ou=groups,dc=example,dc=com\r\nmember: x\r\n")
	want := []ldaptest.Entry{
		{DN: "uid=a,ou=people,dc=example,dc=com", Attributes: []ldaptest.Attribute{
			{Name: "objectClass", Values: []string{"inetOrgPerson"}},
			{Name: "cn", Values: []string{"élène"}},
			{Name: "mail", Values: []string{"a@example.com", "b@example.com"}},
		}},
		{DN: "cn=g,ou=groups,dc=example,dc=com", Attributes: []ldaptest.Attribute{{Name: "member", Values: []string{"x"}}}},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("parsed %+v, %v\nwant %+v", got, err, want)
	}
	for _, bad := range []string{"cn: no dn first\n", "dn: x\nchangetype: delete\n", "dn: x\njpegPhoto:< file:///x\n", "dn: x\nnot a line\n"} {
		if _, err := ldaptest.ParseLDIF(bad); err == nil {
			t.Errorf("%q parsed without an error", bad)
		}
	}
}

// TestServer loads a person offline, changes the directory online and
// reads it back through the adapter, as the sync account.
func TestServer(t *testing.T) {
	t.Parallel()
	ann := ldaptest.Person{UID: "ann", Department: "D1", ModifiedAt: "20240101000000Z"}
	s := ldaptest.Start(t, ann.LDIF())
	s.Add(t, ldaptest.OU("contractors", ldaptest.Suffix)+ldaptest.Person{UID: "bob", Manager: ann.DN()}.LDIF()+
		ldaptest.Person{UID: "cyd", Mail: "cyd@other.example"}.LDIF()+
		ldaptest.Group{CN: "staff", Members: []string{ann.DN()}}.LDIF())
	s.Modify(t, ann.DN(), func(m *goldap.ModifyRequest) { m.Replace("departmentNumber", []string{"D2"}) })
	anchor := s.EntryUUID(t, ann.DN())
	s.Move(t, "uid=bob,"+ldaptest.People, "uid=bob", "ou=contractors,"+ldaptest.Suffix)
	s.Delete(t, "uid=cyd,"+ldaptest.People)

	src, err := ldap.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	res, err := src.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.People) != 1 {
		t.Fatalf("read %+v, want ann alone (bob moved out, cyd deleted)", res.People)
	}
	p := res.People[0]
	if p.Anchor != anchor || p.Department != "D2" || p.Email != "ann@example.com" || p.FirstName != "Given-ann" ||
		!reflect.DeepEqual(p.Groups, []string{ldaptest.GroupDN("staff")}) {
		t.Errorf("read %+v", p)
	}

	s.Stop()
	if _, err := src.ReadAll(context.Background()); err == nil {
		t.Error("read a stopped server")
	}
}
