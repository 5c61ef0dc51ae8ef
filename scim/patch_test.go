package scim

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// TestNormalise reads resources as Entra ID and Okta send them.
func TestNormalise(t *testing.T) {
	for _, c := range []struct {
		name     string
		kind     *kind
		in, want string
		refuse   string
	}{
		{name: "names in any case, booleans as strings", kind: userKind,
			in:   `{"USERNAME":"a@b.test","Active":"False","emails":[{"Primary":"True","Type":"work","VALUE":"a@b.test"}]}`,
			want: `{"userName":"a@b.test","active":false,"emails":[{"primary":true,"type":"work","value":"a@b.test"}]}`},
		{name: "the extension, its names in any case, a manager as a bare id", kind: userKind,
			in: `{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"Department":"Sales","Manager":"m1","employeeNumber":42}}`,
			want: `{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":` +
				`{"department":"Sales","manager":{"value":"m1"},"employeeNumber":"42"}}`},
		{name: "a manager as an object in other case", kind: userKind,
			in:   `{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"Manager":{"Value":"m1","displayName":"Boss"}}}`,
			want: `{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1"}}}`},
		{name: "flattened extension attributes", kind: userKind,
			in:   `{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Ops"}`,
			want: `{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Ops"}}`},
		{name: "unknown, read-only and empty attributes, a password and nulls dropped", kind: userKind,
			in: `{"userName":"a","id":"x","meta":{"created":"2019-01-01T00:00:00Z"},"groups":[{"value":"g"}],"password":"secret",` +
				`"adreses":[{"country":"Germany"}],"roles":[],"nickName":null,"title":"","name":{"honorificPrefix":null},` +
				`"addresses":[{"country":null,"type":"other","formatted":"x"}],"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}`,
			want: `{"userName":"a","addresses":[{"type":"other","formatted":"x"}]}`},
		{name: "members as bare ids and with displayName", kind: groupKind,
			in:   `{"displayName":"G","members":["u1",{"value":"u2","displayName":"Two"},{"Value":"u3","display":"Three","type":"User"}]}`,
			want: `{"displayName":"G","members":[{"value":"u1"},{"value":"u2","display":"Two"},{"value":"u3","display":"Three","type":"User"}]}`},
		{name: "one value for a multi-valued attribute", kind: groupKind,
			in: `{"displayName":"G","members":{"value":"u1"}}`, want: `{"displayName":"G","members":[{"value":"u1"}]}`},
		{name: "a boolean that is none", kind: userKind, in: `{"userName":"a","active":"yes"}`, refuse: "invalidValue"},
		{name: "an object for a string", kind: userKind, in: `{"userName":{"a":1}}`, refuse: "invalidValue"},
		{name: "a list for a single value", kind: userKind, in: `{"userName":"a","name":[{"givenName":"x"}]}`, refuse: "invalidValue"},
		{name: "an extension that is no object", kind: userKind, in: `{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"x"}`, refuse: "invalidValue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := normalise(c.kind, sample(t, c.in))
			if c.refuse != "" {
				var se *Error
				if !errors.As(err, &se) || se.Type != c.refuse {
					t.Fatalf("error %v, want %s", err, c.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			same(t, got, c.want)
		})
	}
}

// same fails unless document got is JSON want.
func same(t *testing.T, got document, want string) {
	t.Helper()
	w := sample(t, want)
	if !reflect.DeepEqual(toJSON(t, got), toJSON(t, w)) {
		b, _ := json.Marshal(got)
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

// toJSON returns v as JSON decodes it again, for comparisons.
func toJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

// TestPatch applies PATCH operations as Entra ID and Okta send them.
func TestPatch(t *testing.T) {
	const ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	user := `{"userName":"a@b.test","active":true,"name":{"givenName":"Ann","familyName":"Lee"},` +
		`"emails":[{"type":"work","value":"a@b.test","primary":true},{"type":"home","value":"a@home.test"}],` +
		`"` + ext + `":{"department":"Ops","manager":{"value":"m1"}}}`
	group := `{"displayName":"G","members":[{"value":"u1"},{"value":"u2","display":"Two"}]}`
	for _, c := range []struct {
		name        string
		kind        *kind
		doc         string
		ops         string
		want        string
		refuse      string
		wantChanged bool
	}{
		{name: "capitalised Replace", kind: userKind, doc: user, ops: `[{"op":"Replace","path":"userName","value":"b@b.test"}]`,
			want: `{"userName":"b@b.test","active":true,"name":{"givenName":"Ann","familyName":"Lee"},` +
				`"emails":[{"type":"work","value":"a@b.test","primary":true},{"type":"home","value":"a@home.test"}],` +
				`"` + ext + `":{"department":"Ops","manager":{"value":"m1"}}}`},
		{name: "deactivate with a string", kind: userKind, doc: `{"userName":"a","active":true}`, ops: `[{"op":"Replace","path":"active","value":"False"}]`,
			want: `{"userName":"a","active":false}`},
		{name: "Okta's deactivation without a path", kind: userKind, doc: `{"userName":"a","active":true}`, ops: `[{"op":"replace","value":{"active":false}}]`,
			want: `{"userName":"a","active":false}`},
		{name: "paths as names of a value without a path", kind: userKind, doc: `{"userName":"a"}`,
			ops:  `[{"op":"Add","value":{"name.givenName":"Bo","` + ext + `:department":"HR","` + ext + `":{"employeeNumber":"7"},"displayName":"Bo"}}]`,
			want: `{"userName":"a","displayName":"Bo","name":{"givenName":"Bo"},"` + ext + `":{"department":"HR","employeeNumber":"7"}}`},
		{name: "a manager as a bare id", kind: userKind, doc: `{"userName":"a","` + ext + `":{"manager":{"value":"m1"}}}`,
			ops: `[{"op":"Add","path":"` + ext + `:manager","value":"m2"}]`, want: `{"userName":"a","` + ext + `":{"manager":{"value":"m2"}}}`},
		{name: "a manager removed", kind: userKind, doc: `{"userName":"a","` + ext + `":{"manager":{"value":"m1"},"department":"x"}}`,
			ops: `[{"op":"Remove","path":"` + ext + `:manager"}]`, want: `{"userName":"a","` + ext + `":{"department":"x"}}`},
		{name: "the extension's last attribute removed", kind: userKind, doc: `{"userName":"a","` + ext + `":{"department":"x"}}`,
			ops: `[{"op":"remove","path":"` + ext + `:department"}]`, want: `{"userName":"a"}`},
		{name: "a complex value merged", kind: userKind, doc: `{"userName":"a","name":{"givenName":"Ann","familyName":"Lee"}}`,
			ops: `[{"op":"replace","path":"name","value":{"familyName":"Li"}}]`, want: `{"userName":"a","name":{"givenName":"Ann","familyName":"Li"}}`},
		{name: "a sub-attribute", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"add","path":"name.familyName","value":"Li"}]`,
			want: `{"userName":"a","name":{"familyName":"Li"}}`},
		{name: "a filtered sub-attribute", kind: userKind, doc: `{"userName":"a","emails":[{"type":"work","value":"x"},{"type":"home","value":"y"}]}`,
			ops: `[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"z"}]`, want: `{"userName":"a","emails":[{"type":"work","value":"z"},{"type":"home","value":"y"}]}`},
		{name: "Entra's Replace matching nothing adds", kind: userKind, doc: `{"userName":"a","emails":[{"type":"home","value":"y"}]}`,
			ops:  `[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"z"},{"op":"Replace","path":"phoneNumbers[type eq \"mobile\" and primary eq true].value","value":"1"}]`,
			want: `{"userName":"a","emails":[{"type":"home","value":"y"},{"type":"work","value":"z"}],"phoneNumbers":[{"type":"mobile","primary":true,"value":"1"}]}`},
		{name: "filtered elements replaced by an object", kind: userKind, doc: `{"userName":"a","emails":[{"type":"work","value":"x"}]}`,
			ops: `[{"op":"replace","path":"emails[type eq \"work\"]","value":{"value":"w","primary":"true"}}]`, want: `{"userName":"a","emails":[{"type":"work","value":"w","primary":true}]}`},
		{name: "filtered elements removed", kind: userKind, doc: user, ops: `[{"op":"remove","path":"emails[type eq \"home\"]"}]`,
			want: `{"userName":"a@b.test","active":true,"name":{"givenName":"Ann","familyName":"Lee"},` +
				`"emails":[{"type":"work","value":"a@b.test","primary":true}],"` + ext + `":{"department":"Ops","manager":{"value":"m1"}}}`},
		{name: "a sub-attribute of every element", kind: userKind, doc: `{"userName":"a","emails":[{"type":"work","value":"x"},{"value":"y"}]}`,
			ops: `[{"op":"remove","path":"emails.type"}]`, want: `{"userName":"a","emails":[{"value":"x"},{"value":"y"}]}`},
		{name: "members added, one twice, bare and not", kind: groupKind, doc: group,
			ops:  `[{"op":"add","path":"members","value":[{"value":"u3","displayName":"Three"},{"value":"u1"}]},{"op":"Add","path":"members","value":"u4"}]`,
			want: `{"displayName":"G","members":[{"value":"u1"},{"value":"u2","display":"Two"},{"value":"u3","display":"Three"},{"value":"u4"}]}`},
		{name: "members removed by filter", kind: groupKind, doc: group, ops: `[{"op":"remove","path":"members[value eq \"u2\"]"}]`,
			want: `{"displayName":"G","members":[{"value":"u1"}]}`},
		{name: "members removed by value, as Entra does", kind: groupKind, doc: group, ops: `[{"op":"Remove","path":"members","value":[{"value":"u1"},{"value":"u9"}]}]`,
			want: `{"displayName":"G","members":[{"value":"u2","display":"Two"}]}`},
		{name: "every member removed", kind: groupKind, doc: group, ops: `[{"op":"remove","path":"members"}]`, want: `{"displayName":"G"}`},
		{name: "members replaced", kind: groupKind, doc: group, ops: `[{"op":"replace","path":"members","value":[{"value":"u7"}]}]`,
			want: `{"displayName":"G","members":[{"value":"u7"}]}`},
		{name: "Okta's rename with the id in the value", kind: groupKind, doc: group, ops: `[{"op":"replace","value":{"id":"g1","displayName":"H"}}]`,
			want: `{"displayName":"H","members":[{"value":"u1"},{"value":"u2","display":"Two"}]}`},
		{name: "what allot does not have is ignored", kind: userKind, doc: `{"userName":"a"}`,
			ops:  `[{"op":"add","path":"urn:example:custom:1.0:User:shoeSize","value":"9"},{"op":"add","path":"favouriteColour","value":"red"},{"op":"add","path":"name.nickname","value":"x"}]`,
			want: `{"userName":"a"}`},
		{name: "removing what is not there", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"remove","path":"title"},{"op":"remove","path":"emails[type eq \"work\"]"}]`,
			want: `{"userName":"a"}`},
		{name: "all or none", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"replace","path":"title","value":"x"},{"op":"replace","path":"active","value":"maybe"}]`,
			refuse: "invalidValue"},
		{name: "a read-only attribute", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"replace","path":"meta.created","value":"x"}]`, refuse: "mutability"},
		{name: "the required attribute removed", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"remove","path":"userName"}]`, refuse: "invalidValue"},
		{name: "a filter on a single value", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"replace","path":"name[givenName eq \"x\"]","value":"y"}]`, refuse: "invalidPath"},
		{name: "an unknown op", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"copy","path":"title","value":"x"}]`, refuse: "invalidSyntax"},
		{name: "remove without a path", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"Remove"}]`, refuse: "noTarget"},
		{name: "no path and no object", kind: userKind, doc: `{"userName":"a"}`, ops: `[{"op":"add","value":"x"}]`, refuse: "invalidValue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ops []patchOp
			if err := json.Unmarshal([]byte(c.ops), &ops); err != nil {
				t.Fatal(err)
			}
			doc := sample(t, c.doc)
			got, err := c.kind.patch(doc, ops)
			if !reflect.DeepEqual(doc, sample(t, c.doc)) {
				t.Errorf("the document patched changed: %v", doc)
			}
			if c.refuse != "" {
				var se *Error
				if !errors.As(err, &se) || se.Type != c.refuse {
					t.Fatalf("error %v, want %s", err, c.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			same(t, got, c.want)
		})
	}
}

// TestProjection answers the attributes asked, or all but those excluded.
func TestProjection(t *testing.T) {
	d := sample(t, babs)
	for _, c := range []struct {
		only, except string
		want         string
	}{
		{only: "userName,emails", want: `{"id":"2819c223","schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],` +
			`"userName":"Bjensen","emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}]}`},
		{only: `emails[type eq "work"],NAME.givenName`, want: `{"id":"2819c223","schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],` +
			`"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],"name":{"givenName":"Barbara"}}`},
		{only: "emails.value,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", want: `{"id":"2819c223",` +
			`"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],` +
			`"emails":[{"value":"bjensen@example.com"},{"value":"babs@jensen.org"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tours"}}`},
		{only: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,nosuch", want: `{"id":"2819c223",` +
			`"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],` +
			`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tours","manager":{"value":"26118915"}}}`},
		{except: "emails,name.familyName,meta,id,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager,title,nickName,displayName,userType,active", want: `{"id":"2819c223",` +
			`"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],` +
			`"externalId":"bjensen","userName":"Bjensen","name":{"givenName":"Barbara"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tours"}}`},
	} {
		got := newProjection(c.only, c.except).apply(userKind, d)
		same(t, got, c.want)
	}
	if !reflect.DeepEqual(d, sample(t, babs)) {
		t.Errorf("the resource projected changed: %v", d)
	}
}
