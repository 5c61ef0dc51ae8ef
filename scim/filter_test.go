package scim

import (
	"encoding/json"
	"errors"
	"testing"

	filter "github.com/scim2/filter-parser/v2"
)

// babs is RFC 7644's Barbara Jensen as allot renders her.
const babs = `{
	"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
	"id": "2819c223", "externalId": "bjensen", "userName": "Bjensen",
	"name": {"familyName": "Jensen", "givenName": "Barbara"},
	"displayName": "Babs Jensen", "nickName": "Ba\"bs", "title": "Tour Guide", "userType": "Employee", "active": true,
	"emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}, {"value": "babs@jensen.org", "type": "home"}],
	"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours", "manager": {"value": "26118915"}},
	"meta": {"resourceType": "User", "created": "2011-08-01T18:29:49.793Z", "lastModified": "2011-08-01T18:29:49.793Z"}
}`

func sample(t testing.TB, s string) document {
	t.Helper()
	var d document
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// filterCases are filters on babs and whether she matches; a scimType
// when the filter is refused.
var filterCases = []struct {
	filter string
	match  bool
	refuse string
}{
	{filter: `userName eq "bjensen"`, match: true},
	{filter: `USERNAME Eq "BJENSEN"`, match: true},
	{filter: `userName eq "jensen"`},
	{filter: `userName ne "jensen"`, match: true},
	{filter: `name.familyName co "ens"`, match: true},
	{filter: `name.FamilyName co "ENS"`, match: true},
	{filter: `userName sw "J"`},
	{filter: `userName sw "bj"`, match: true},
	{filter: `userName ew "SEN"`, match: true},
	{filter: `title pr`, match: true},
	{filter: `nickName pr`, match: true},
	{filter: `locale pr`},
	{filter: `meta.lastModified gt "2011-05-13T04:42:34Z"`, match: true},
	{filter: `meta.lastModified lt "2011-05-13T04:42:34Z"`},
	{filter: `meta.created ge "2011-08-01T20:29:49.793+02:00"`, match: true},
	{filter: `meta.created le "2011-08-01T18:29:49.793Z"`, match: true},
	{filter: `meta.created gt "2011-08-01T18:29:49.793Z"`},
	{filter: `title pr and userType eq "Employee"`, match: true},
	{filter: `title pr or userType eq "Intern"`, match: true},
	{filter: `locale pr or userType eq "Intern"`},
	{filter: `userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`, match: true},
	{filter: `userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`},
	{filter: `not (userName eq "x")`, match: true},
	{filter: `userType eq "Employee" and (emails.type eq "work")`, match: true},
	{filter: `userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`, match: true},
	{filter: `emails[type eq "work" and value co "@jensen.org"]`},
	{filter: `emails[type eq "home" and value co "@jensen.org"]`, match: true},
	{filter: `emails[primary eq true].value ew ".com"`, refuse: "invalidFilter"},
	{filter: `emails[primary eq true]`, match: true},
	{filter: `externalId eq "BJENSEN"`},
	{filter: `externalId eq "bjensen"`, match: true},
	{filter: `id eq "2819c223"`, match: true},
	{filter: `active eq true`, match: true},
	{filter: `active eq "True"`, match: true},
	{filter: `active ne false`, match: true},
	{filter: `active eq false`},
	{filter: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "tours"`, match: true},
	{filter: `department eq "Tours"`, match: true},
	{filter: `urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen"`, match: true},
	{filter: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"`, match: true},
	{filter: `manager eq "26118915"`, match: true},
	{filter: `urn:example:unknown:2.0:User:thing eq "x"`},
	{filter: `nickName eq "ba\"bs"`, match: true},
	{filter: `displayName eq null`},
	{filter: `locale eq null`, match: true},
	{filter: `locale ne "x"`, match: true},
	{filter: `userName sw bj`, match: true},
	{filter: `name.FamilyName eq Jensen and (emails.Value co example.com or emails.Value co example.org)`, match: true},
	{filter: `meta.Created gt 2010-10-10T14:38:21.8617979-07:00`, match: true},
	{filter: `meta.Created gt 2015-10-10T14:38:21.8617979-07:00`},
	{filter: `userName xx "a"`, refuse: "invalidFilter"},
	{filter: `(userName eq "a"`, refuse: "invalidFilter"},
	{filter: `userName eq`, refuse: "invalidFilter"},
	{filter: `active gt true`, refuse: "invalidFilter"},
	{filter: `active eq "perhaps"`, refuse: "invalidFilter"},
	{filter: `emails[primary co "t"]`, refuse: "invalidFilter"},
}

// TestFilter evaluates filters of RFC 7644 section 3.4.2.2, and those
// that clients send otherwise, on babs.
func TestFilter(t *testing.T) {
	d := sample(t, babs)
	for _, c := range filterCases {
		t.Run(c.filter, func(t *testing.T) {
			e, err := parseFilter(c.filter)
			if err == nil {
				err = userKind.checkFilter(e)
			}
			var m bool
			if err == nil {
				m, err = userKind.match(e, d)
			}
			var se *Error
			switch {
			case c.refuse != "" && (!errors.As(err, &se) || se.Type != c.refuse || se.Status != 400):
				t.Fatalf("error %v, want 400 %s", err, c.refuse)
			case c.refuse == "" && err != nil:
				t.Fatal(err)
			case m != c.match:
				t.Fatalf("match = %t, want %t", m, c.match)
			}
		})
	}
}

// TestQuoteBare quotes what a filter compares when it is a bare word.
func TestQuoteBare(t *testing.T) {
	for in, want := range map[string]string{
		`userName sw O`:                      `userName sw "O"`,
		`a eq 1 and b eq true and c eq null`: `a eq 1 and b eq true and c eq null`,
		`x gt 2015-10-10T14:38:21-07:00`:     `x gt "2015-10-10T14:38:21-07:00"`,
		`(a co b.c or a co "d e")`:           `(a co "b.c" or a co "d e")`,
		`not(a eq b)`:                        `not(a eq "b")`,
		`emails[type eq work].value`:         `emails[type eq "work"].value`,
		`a eq "unterminated`:                 `a eq "unterminated`,
		`title pr and userType eq Employee`:  `title pr and userType eq "Employee"`,
	} {
		if got, _ := quoteBare(in); got != want {
			t.Errorf("quoteBare(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestLookup finds the field and value a filter's resources are looked
// up by.
func TestLookup(t *testing.T) {
	for f, want := range map[string][2]string{
		`userName eq "Bjensen"`:                     {FieldUserName, "bjensen"},
		`externalId eq "Ab" and active eq true`:     {FieldExternalID, "Ab"},
		`active eq true and displayName eq "Sales"`: {FieldDisplayName, "sales"},
		`id eq "x"`:                          {FieldID, "x"},
		`userName eq "a" or userName eq "b"`: {"", ""},
		`userName co "a"`:                    {"", ""},
		`not (userName eq "a")`:              {"", ""},
		`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "A"`:                       {FieldUserName, "a"},
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1"`: {"", ""},
	} {
		e, err := parseFilter(f)
		if err != nil {
			t.Fatal(err)
		}
		if field, value := lookup(userKind, e); field != want[0] || value != want[1] {
			t.Errorf("lookup(%s) = %s %q, want %s %q", f, field, value, want[0], want[1])
		}
	}
}

// FuzzFilter reads and evaluates any filter without panicking: a filter
// read either matches babs or its negation does, and a filter refused is
// refused as a 400. The same text as a PATCH path and as attributes asked
// is refused or applied, never more.
func FuzzFilter(f *testing.F) {
	for _, c := range filterCases {
		f.Add(c.filter)
	}
	for _, s := range []string{`members[value eq "x"].display`, `emails[type eq "work"].value`, `name.givenName`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, `a[b[c eq 1]]`, `((((a pr))))`} {
		f.Add(s)
	}
	d := sample(f, babs)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := parseFilter(s)
		if err == nil {
			err = userKind.checkFilter(e)
		}
		if err == nil {
			m, err := userKind.match(e, d)
			n, nerr := userKind.match(&filter.NotExpression{Expression: e}, d)
			if (err == nil) != (nerr == nil) || err == nil && m == n {
				t.Fatalf("%q: match %t (%v), its negation %t (%v)", s, m, err, n, nerr)
			}
		}
		refused(t, "filter", s, err)
		_, err = userKind.patch(d, []patchOp{{Op: "replace", Path: s, Value: "x"}})
		refused(t, "path", s, err)
		_, err = groupKind.patch(document{"displayName": "g", "members": []any{document{"value": "x"}}}, []patchOp{{Op: "remove", Path: s}})
		refused(t, "group path", s, err)
		newProjection(s, "").apply(userKind, d)
		newProjection("", s).apply(userKind, d)
	})
}

// refused fails unless err is nil or a SCIM error of status 400.
func refused(t *testing.T, what, s string, err error) {
	t.Helper()
	var se *Error
	if err != nil && (!errors.As(err, &se) || se.Status != 400) {
		t.Fatalf("%s %q: %v, want a 400", what, s, err)
	}
}
