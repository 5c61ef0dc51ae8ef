package scim_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"allot"
	"allot/storetest"
	"allot/world"
)

// q returns a query parameter's value escaped.
func q(s string) string { return url.QueryEscape(s) }

// patch returns a PATCH message of these operations.
func patch(ops ...string) string {
	return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` + strings.Join(ops, ",") + `]}`
}

// entraUser is a user as Entra ID creates one.
func entraUser(userName, given, family, department string) string {
	return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
		"externalId":"%s-entra","userName":"%s","active":true,"displayName":"%s %s",
		"emails":[{"primary":true,"type":"work","value":"%s"}],"meta":{"resourceType":"User"},
		"name":{"formatted":"%s %s","familyName":"%s","givenName":"%s"},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"%s","employeeNumber":"1001"}}`,
		given, userName, given, family, userName, given, family, family, given, department)
}

// oktaUser is a user as Okta creates one, password and all.
func oktaUser(userName, given, family string, active bool) string {
	return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
		"name":{"givenName":"%s","familyName":"%s"},"emails":[{"primary":true,"value":"%s","type":"work"}],
		"displayName":"%s %s","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":%t}`,
		userName, given, family, userName, given, family, active)
}

// person checks the person of e-mail email: their fields as want says
// (those set), the products of the seats they hold, and that the released
// ones include released.
func person(email string, want allot.User, held []string, released ...string) func(*testing.T, *env, map[string]any) {
	return func(t *testing.T, e *env, _ map[string]any) {
		t.Helper()
		u := e.user(t, email)
		if want.ExternalID != "" && u.ExternalID != e.expand(want.ExternalID) {
			t.Errorf("%s: anchor %q, want %q", email, u.ExternalID, e.expand(want.ExternalID))
		}
		for _, f := range [][2]string{{u.FirstName, want.FirstName}, {u.LastName, want.LastName}, {u.Department, want.Department},
			{u.Manager, want.Manager}} {
			if f[1] != "" && f[0] != f[1] {
				t.Errorf("%s: %q, want %q (%+v)", email, f[0], f[1], u)
			}
		}
		got, rel := e.live(t, u)
		slices.Sort(got)
		if !slices.Equal(got, held) {
			t.Errorf("%s holds seats of %v, want %v", email, got, held)
		}
		for _, r := range released {
			if !slices.Contains(rel, r) {
				t.Errorf("%s: released seats %v, want one of %s", email, rel, r)
			}
		}
	}
}

// sameUser checks that the person of e-mail email is the one saved as
// name's person: the anchor is kept across a change of e-mail.
func sameUser(email, name string) func(*testing.T, *env, map[string]any) {
	return func(t *testing.T, e *env, _ map[string]any) {
		t.Helper()
		if u := e.user(t, email); u.ExternalID != e.IDs[name] {
			t.Errorf("%s is anchored at %q, want %s's %q", email, u.ExternalID, name, e.IDs[name])
		}
	}
}

// TestEntra runs what Entra ID sends to provision, change, deactivate,
// reactivate and delete a person, with their manager.
func TestEntra(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		e.run(t, []step{
			{name: "match by userName: none", method: "GET", path: "/Users?filter=" + q(`userName eq "alice@acme.test"`), status: 200,
				fields: map[string]any{"totalResults": 0, "startIndex": 1, "itemsPerPage": 0}, has: []string{`"Resources":[]`, "ListResponse"}},
			{name: "create the manager", method: "POST", path: "/Users", body: entraUser("boss@acme.test", "Bea", "Boss", "Board"), status: 201, save: "boss"},
			{name: "create", method: "POST", path: "/Users", body: entraUser("alice@acme.test", "Alice", "Archer", "Engineering"), status: 201, save: "alice",
				fields: map[string]any{"userName": "alice@acme.test", "active": true, "externalId": "Alice-entra"},
				has:    []string{`"department":"Engineering"`, `"resourceType":"User"`, `"location":"http`},
				check:  person("alice@acme.test", allot.User{ExternalID: "{alice}", FirstName: "Alice", LastName: "Archer", Department: "Engineering"}, []string{"premium"})},
			{name: "match by userName in another case", method: "GET", path: "/Users?filter=" + q(`userName eq "ALICE@Acme.test"`), status: 200,
				fields: map[string]any{"totalResults": 1}, has: []string{`"id":"{alice}"`}, hasNot: []string{"{boss}"}},
			{name: "match by externalId", method: "GET", path: "/Users?filter=" + q(`externalId eq "Alice-entra"`), status: 200,
				fields: map[string]any{"totalResults": 1}, has: []string{"{alice}"}},
			{name: "capitalised PATCH: names, e-mail, department", method: "PATCH", path: "/Users/{alice}", status: 204, body: patch(
				`{"op":"Replace","path":"displayName","value":"Alicia Archer"}`,
				`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"alicia.archer@acme.test"}`,
				`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Sales"}`,
				`{"op":"Replace","path":"name.givenName","value":"Alicia"}`),
				check: person("alicia.archer@acme.test", allot.User{ExternalID: "{alice}", FirstName: "Alicia", Department: "Sales"}, []string{"premium"})},
			{name: "read back as written", method: "GET", path: "/Users/{alice}", status: 200,
				fields: map[string]any{"displayName": "Alicia Archer", "userName": "alice@acme.test"},
				has:    []string{`"value":"alicia.archer@acme.test"`, `"department":"Sales"`, `"employeeNumber":"1001"`, `"givenName":"Alicia"`}},
			{name: "manager as a bare id", method: "PATCH", path: "/Users/{alice}", status: 204, body: patch(
				`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"{boss}"}`),
				check: person("alicia.archer@acme.test", allot.User{Manager: "boss@acme.test"}, []string{"premium"})},
			{name: "the manager read back", method: "GET", path: "/Users/{alice}", status: 200, has: []string{`"manager":{"value":"{boss}"}`}},
			{name: "filter on the manager", method: "GET", path: "/Users?filter=" + q(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "{boss}"`),
				status: 200, fields: map[string]any{"totalResults": 1}, has: []string{"{alice}"}},
			{name: "Replace on a filtered path matching nothing adds it", method: "PATCH", path: "/Users/{alice}", status: 204, body: patch(
				`{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555 0100"}`)},
			{name: "the phone added", method: "GET", path: "/Users/{alice}", status: 200,
				has: []string{`"phoneNumbers":[{"type":"mobile","value":"+1 555 0100"}]`}},
			{name: "deactivate with \"False\"", method: "PATCH", path: "/Users/{alice}", status: 204, body: patch(
				`{"op":"Replace","path":"active","value":"False"}`),
				check: person("alicia.archer@acme.test", allot.User{}, nil, "premium:deprovisioned")},
			{name: "a deactivated user stays readable", method: "GET", path: "/Users/{alice}", status: 200, fields: map[string]any{"active": false}},
			{name: "filter on active", method: "GET", path: "/Users?filter=" + q(`active eq false`), status: 200,
				fields: map[string]any{"totalResults": 1}, has: []string{"{alice}"}},
			{name: "reactivate with \"True\"", method: "PATCH", path: "/Users/{alice}", status: 204, body: patch(
				`{"op":"Replace","path":"active","value":"True"}`),
				check: person("alicia.archer@acme.test", allot.User{}, []string{"premium"})},
			{name: "the same person throughout", method: "GET", path: "/Users/{alice}", status: 200, fields: map[string]any{"active": true},
				check: sameUser("alicia.archer@acme.test", "alice")},
			{name: "delete", method: "DELETE", path: "/Users/{alice}", status: 204,
				check: func(t *testing.T, e *env, _ map[string]any) {
					u := e.user(t, "alicia.archer@acme.test")
					if u.MemberOf(e.Company) {
						t.Errorf("a deleted user's person is still one of Acme's: %+v", u)
					}
					person("alicia.archer@acme.test", allot.User{}, nil, "premium:deprovisioned")(t, e, nil)
				}},
			{name: "gone", method: "GET", path: "/Users/{alice}", status: 404,
				fields: map[string]any{"status": "404"}, has: []string{`"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"]`, `"detail"`}},
			{name: "deleted twice", method: "DELETE", path: "/Users/{alice}", status: 404},
			{name: "the manager stays", method: "GET", path: "/Users?filter=" + q(`userName eq "boss@acme.test"`), status: 200,
				fields: map[string]any{"totalResults": 1}},
		})
	})
}

// TestOkta runs what Okta sends: a match, a create with a password, a
// deactivation by a PATCH without a path, a reactivation by PUT, and
// groups whose membership decides seats of a mapped product.
func TestOkta(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		e.run(t, []step{
			{name: "match", method: "GET", path: "/Users?filter=" + q(`userName eq "bob@acme.test"`) + "&startIndex=1&count=100", status: 200,
				fields: map[string]any{"totalResults": 0}},
			{name: "create", method: "POST", path: "/Users", body: oktaUser("bob@acme.test", "Bob", "Baker", true), status: 201, save: "bob",
				hasNot: []string{"password", "1mz050nq", `"groups"`},
				check:  person("bob@acme.test", allot.User{FirstName: "Bob", LastName: "Baker"}, []string{"premium"})},
			{name: "deactivate by a PATCH without a path", method: "PATCH", path: "/Users/{bob}", status: 204,
				body:  patch(`{"op":"replace","value":{"active":false}}`),
				check: person("bob@acme.test", allot.User{}, nil, "premium:deprovisioned")},
			{name: "still readable", method: "GET", path: "/Users/{bob}", status: 200, fields: map[string]any{"active": false}},
			{name: "reactivate and rename by PUT", method: "PUT", path: "/Users/{bob}", body: oktaUser("bob@acme.test", "Robert", "Baker", true), status: 200,
				fields: map[string]any{"active": true, "id": "{bob}"}, has: []string{`"givenName":"Robert"`},
				check: person("bob@acme.test", allot.User{FirstName: "Robert"}, []string{"premium"})},
			{name: "a PATCH asking attributes answers 200 with them", method: "PATCH", path: "/Users/{bob}?attributes=userName", status: 200,
				body: patch(`{"op":"replace","value":{"nickName":"Bobby"}}`), fields: map[string]any{"userName": "bob@acme.test", "id": "{bob}"},
				hasNot: []string{"nickName", "meta"}},
			{name: "a group", method: "POST", path: "/Groups", body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[]}`,
				status: 201, save: "eng", fields: map[string]any{"displayName": "Engineering"},
				check: func(t *testing.T, e *env, _ map[string]any) {
					world.Must(e.Svc.CreateProduct(e.As(e.Admin), allot.Product{Code: "basic", Name: "Basic"}))(t)
					e.Assigned(allot.NewOrder{CompanyID: e.Company.ID, ProductCode: "basic", Quantity: 5})
					world.Must(e.Dir.MapGroup(e.As(e.CM), e.Company.ID, e.IDs["eng"], "basic"))(t)
				}},
			{name: "join the group: a seat of its product", method: "PATCH", path: "/Groups/{eng}", status: 204,
				body:  patch(`{"op":"add","path":"members","value":[{"value":"{bob}","display":"bob@acme.test"}]}`),
				check: person("bob@acme.test", allot.User{}, []string{"basic", "premium"})},
			{name: "find the group without its members", method: "GET", path: "/Groups?filter=" + q(`displayName eq "engineering"`) + "&excludedAttributes=members",
				status: 200, fields: map[string]any{"totalResults": 1}, has: []string{"{eng}"}, hasNot: []string{"members", "{bob}"}},
			{name: "rename without a path, the id in the value", method: "PATCH", path: "/Groups/{eng}", status: 204,
				body: patch(`{"op":"replace","value":{"id":"{eng}","displayName":"Engineering Team"}}`)},
			{name: "the group read back", method: "GET", path: "/Groups/{eng}", status: 200,
				fields: map[string]any{"displayName": "Engineering Team"}, has: []string{`"members":[{"display":"bob@acme.test","value":"{bob}"}]`}},
			{name: "leave the group: its seat goes back", method: "PATCH", path: "/Groups/{eng}", status: 204,
				body:  patch(`{"op":"remove","path":"members[value eq \"{bob}\"]"}`),
				check: person("bob@acme.test", allot.User{}, []string{"premium"}, "basic:deprovisioned")},
			{name: "join again", method: "PATCH", path: "/Groups/{eng}", status: 204,
				body:  patch(`{"op":"Add","path":"members","value":[{"value":"{bob}"}]}`),
				check: person("bob@acme.test", allot.User{}, []string{"basic", "premium"})},
			{name: "leave as Entra removes a member", method: "PATCH", path: "/Groups/{eng}", status: 204,
				body:  patch(`{"op":"Remove","path":"members","value":[{"value":"{bob}"}]}`),
				check: person("bob@acme.test", allot.User{}, []string{"premium"})},
			{name: "the group empty", method: "GET", path: "/Groups/{eng}", status: 200, hasNot: []string{"members"}},
			{name: "join by PUT", method: "PUT", path: "/Groups/{eng}", status: 200,
				body:  `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[{"value":"{bob}"}]}`,
				check: person("bob@acme.test", allot.User{}, []string{"basic", "premium"})},
			{name: "deleting the group gives its seats back", method: "DELETE", path: "/Groups/{eng}", status: 204,
				check: person("bob@acme.test", allot.User{}, []string{"premium"})},
		})
	})
}

// TestPaging pages through more than ten users five at a time, with and
// without a filter, and with the default page.
func TestPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		var steps []step
		for i := 1; i <= 12; i++ {
			steps = append(steps, step{name: fmt.Sprintf("user %d", i), method: "POST", path: "/Users", status: 201,
				save: fmt.Sprintf("u%d", i), body: oktaUser(fmt.Sprintf("user%02d@acme.test", i), "User", fmt.Sprint(i), true)})
		}
		steps = append(steps,
			step{name: "first page", method: "GET", path: "/Users?startIndex=1&count=5", status: 200,
				fields: map[string]any{"totalResults": 12, "startIndex": 1, "itemsPerPage": 5}, has: []string{"{u1}", "{u5}"}, hasNot: []string{"{u6}"}},
			step{name: "second page", method: "GET", path: "/Users?startIndex=6&count=5", status: 200,
				fields: map[string]any{"totalResults": 12, "startIndex": 6, "itemsPerPage": 5}, has: []string{"{u6}", "{u10}"}, hasNot: []string{"{u5}", "{u11}"}},
			step{name: "last page", method: "GET", path: "/Users?startIndex=11&count=5", status: 200,
				fields: map[string]any{"totalResults": 12, "itemsPerPage": 2}, has: []string{"{u11}", "{u12}"}},
			step{name: "past the end", method: "GET", path: "/Users?startIndex=20&count=5", status: 200,
				fields: map[string]any{"totalResults": 12, "itemsPerPage": 0}, has: []string{`"Resources":[]`}},
			step{name: "the default page", method: "GET", path: "/Users", status: 200, fields: map[string]any{"totalResults": 12, "itemsPerPage": 12}},
			step{name: "count 0 counts", method: "GET", path: "/Users?count=0", status: 200, fields: map[string]any{"totalResults": 12, "itemsPerPage": 0}},
			step{name: "startIndex below 1 is 1", method: "GET", path: "/Users?startIndex=0&count=5", status: 200, fields: map[string]any{"startIndex": 1, "itemsPerPage": 5}},
			step{name: "a filtered page", method: "GET", path: "/Users?filter=" + q(`userName sw "user1"`) + "&startIndex=2&count=2", status: 200,
				fields: map[string]any{"totalResults": 3, "startIndex": 2, "itemsPerPage": 2}, has: []string{"{u11}", "{u12}"}, hasNot: []string{"{u10}"}},
			step{name: "only the attributes asked", method: "GET", path: "/Users?count=1&attributes=userName", status: 200,
				has: []string{`"userName":"user01@acme.test"`, `"id":"{u1}"`}, hasNot: []string{"emails", "name", "meta"}},
			step{name: "all but those excluded", method: "GET", path: "/Users?count=1&excludedAttributes=emails,name.givenName", status: 200,
				has: []string{`"familyName":"1"`, `"meta"`}, hasNot: []string{"emails", "givenName"}},
			step{name: "a count beyond the most is the most", method: "GET", path: "/Users?count=100000", status: 200, fields: map[string]any{"itemsPerPage": 12}},
		)
		e.run(t, steps)
	})
}

// TestIsolation checks that a company's token never reads nor changes
// another company's people, and that a token rotated or revoked is
// refused at once.
func TestIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		carol := person("carol@acme.test", allot.User{ExternalID: "{carol}"}, []string{"premium"})
		e.run(t, []step{
			{name: "Acme's user", method: "POST", path: "/Users", body: entraUser("carol@acme.test", "Carol", "Cole", "Legal"), status: 201, save: "carol", check: carol},
			{name: "Acme's group", method: "POST", path: "/Groups", body: `{"displayName":"Legal","members":[{"value":"{carol}"}]}`, status: 201, save: "legal"},
			{name: "read by Globex", as: "globex", method: "GET", path: "/Users/{carol}", status: 404},
			{name: "listed by Globex", as: "globex", method: "GET", path: "/Users", status: 200, fields: map[string]any{"totalResults": 0}},
			{name: "found by Globex", as: "globex", method: "GET", path: "/Users?filter=" + q(`userName eq "carol@acme.test"`), status: 200,
				fields: map[string]any{"totalResults": 0}},
			{name: "found by id by Globex", as: "globex", method: "GET", path: "/Users?filter=" + q(`id eq "{carol}"`), status: 200,
				fields: map[string]any{"totalResults": 0}},
			{name: "replaced by Globex", as: "globex", method: "PUT", path: "/Users/{carol}", body: entraUser("carol@acme.test", "C", "C", "X"), status: 404},
			{name: "deactivated by Globex", as: "globex", method: "PATCH", path: "/Users/{carol}", body: patch(`{"op":"replace","value":{"active":false}}`), status: 404},
			{name: "deleted by Globex", as: "globex", method: "DELETE", path: "/Users/{carol}", status: 404},
			{name: "Acme's group read by Globex", as: "globex", method: "GET", path: "/Groups/{legal}", status: 404},
			{name: "Acme's group emptied by Globex", as: "globex", method: "PATCH", path: "/Groups/{legal}", body: patch(`{"op":"remove","path":"members"}`), status: 404},
			{name: "Acme's person in a group of Globex's", as: "globex", method: "POST", path: "/Groups",
				body: `{"displayName":"Steal","members":[{"value":"{carol}"}]}`, status: 201, check: carol},
			{name: "Acme's person's e-mail created by Globex", as: "globex", method: "POST", path: "/Users", body: entraUser("carol@acme.test", "Carol", "Cole", "X"),
				status: 409, fields: map[string]any{"scimType": "uniqueness", "status": "409"}, check: carol},
			{name: "Globex's users", as: "globex", method: "GET", path: "/Users", status: 200, fields: map[string]any{"totalResults": 0}},
			{name: "Acme's user untouched", method: "GET", path: "/Users/{carol}", status: 200, fields: map[string]any{"active": true, "userName": "carol@acme.test"}},
			{name: "Acme's group untouched", method: "GET", path: "/Groups/{legal}", status: 200, has: []string{`"value":"{carol}"`}},
			{name: "the same userName in both companies", as: "globex", method: "POST", path: "/Users",
				body:   `{"userName":"carol@acme.test","emails":[{"value":"carol@globex.test","primary":true}]}`,
				status: 201},
		})
		old := e.Tokens["acme"]
		_, rotated := world.Must2(e.SCIM.NewToken(e.As(e.CM), e.Company.ID))(t)
		e.Tokens["old"], e.Tokens["acme"] = old, rotated
		e.run(t, []step{
			{name: "the token rotated is refused", as: "old", method: "GET", path: "/Users", status: 401,
				fields: map[string]any{"status": "401"}},
			{name: "the new one works", method: "GET", path: "/Users/{carol}", status: 200},
		})
		if err := e.SCIM.RevokeToken(e.As(e.CM), e.Company.ID); err != nil {
			t.Fatal(err)
		}
		e.run(t, []step{
			{name: "the token revoked is refused", method: "GET", path: "/Users/{carol}", status: 401},
			{name: "Globex's still works", as: "globex", method: "GET", path: "/Users", status: 200},
		})
	})
}

// TestErrors checks SCIM's errors: their schema, status as a string,
// scimType and detail.
func TestErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		errorSchema := `"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"]`
		e.run(t, []step{
			{name: "no token", as: "-", method: "GET", path: "/Users", status: 401, fields: map[string]any{"status": "401"}, has: []string{errorSchema, `"detail"`},
				check: func(t *testing.T, e *env, _ map[string]any) {
					_, _, resp := e.do(t, "", "GET", "/Users", "")
					if resp.Header.Get("WWW-Authenticate") == "" {
						t.Error("no WWW-Authenticate")
					}
				}},
			{name: "an API token is no SCIM token", as: "allot_notascimtoken", method: "GET", path: "/Users", status: 401},
			{name: "a bad filter", method: "GET", path: "/Users?filter=" + q(`userName xx "a"`), status: 400,
				fields: map[string]any{"status": "400", "scimType": "invalidFilter"}, has: []string{errorSchema}},
			{name: "a filter comparing a boolean by order", method: "GET", path: "/Users?filter=" + q(`active gt true`), status: 400,
				fields: map[string]any{"scimType": "invalidFilter"}},
			{name: "a count that is no number", method: "GET", path: "/Users?count=many", status: 400, fields: map[string]any{"scimType": "invalidValue"}},
			{name: "no userName", method: "POST", path: "/Users", body: `{"emails":[{"value":"x@acme.test"}]}`, status: 400,
				fields: map[string]any{"scimType": "invalidValue"}, has: []string{"userName"}},
			{name: "not JSON", method: "POST", path: "/Users", body: `{"userName": tru`, status: 400, fields: map[string]any{"scimType": "invalidSyntax"}},
			{name: "active neither true nor false", method: "POST", path: "/Users", body: `{"userName":"d@acme.test","active":"maybe"}`, status: 400,
				fields: map[string]any{"scimType": "invalidValue"}, has: []string{"active"}},
			{name: "no e-mail at all", method: "POST", path: "/Users", body: `{"userName":"dave"}`, status: 400,
				fields: map[string]any{"scimType": "invalidValue"}, has: []string{"e-mail"}},
			{name: "a user", method: "POST", path: "/Users", body: `{"userName":"Dave@acme.test"}`, status: 201, save: "dave",
				check: person("dave@acme.test", allot.User{}, []string{"premium"})},
			{name: "the same userName in another case", method: "POST", path: "/Users", body: `{"userName":"DAVE@acme.test"}`, status: 409,
				fields: map[string]any{"scimType": "uniqueness", "status": "409"}, has: []string{"detail"}},
			{name: "a userName taken by a change", method: "POST", path: "/Users", body: `{"userName":"erin@acme.test"}`, status: 201, save: "erin"},
			{name: "refused", method: "PATCH", path: "/Users/{erin}", body: patch(`{"op":"replace","path":"userName","value":"dave@ACME.test"}`), status: 409,
				fields: map[string]any{"scimType": "uniqueness"}},
			{name: "a PATCH without operations", method: "PATCH", path: "/Users/{erin}", body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}`,
				status: 400, fields: map[string]any{"scimType": "invalidSyntax"}},
			{name: "an unknown op", method: "PATCH", path: "/Users/{erin}", body: patch(`{"op":"move","path":"userName","value":"x"}`), status: 400},
			{name: "a remove without a path", method: "PATCH", path: "/Users/{erin}", body: patch(`{"op":"remove"}`), status: 400,
				fields: map[string]any{"scimType": "noTarget"}},
			{name: "a read-only attribute", method: "PATCH", path: "/Users/{erin}", body: patch(`{"op":"replace","path":"id","value":"x"}`), status: 400,
				fields: map[string]any{"scimType": "mutability"}},
			{name: "a path that cannot be read", method: "PATCH", path: "/Users/{erin}", body: patch(`{"op":"replace","path":"emails[type eq","value":"x"}`), status: 400,
				fields: map[string]any{"scimType": "invalidPath"}},
			{name: "removing the userName", method: "PATCH", path: "/Users/{erin}", body: patch(`{"op":"remove","path":"userName"}`), status: 400,
				fields: map[string]any{"scimType": "invalidValue"}},
			{name: "erin unchanged", method: "GET", path: "/Users/{erin}", status: 200, fields: map[string]any{"userName": "erin@acme.test"}},
			{name: "an endpoint allot does not have", method: "GET", path: "/Bulk", status: 404, has: []string{errorSchema}},
			{name: "a method an endpoint does not take", method: "DELETE", path: "/Users", status: 405},
		})
	})
}

// TestDiscovery reads the discovery endpoints: only what allot supports
// is advertised.
func TestDiscovery(t *testing.T) {
	e := newEnv(t, storetest.Backends[0])
	e.run(t, []step{
		{name: "service provider config", method: "GET", path: "/ServiceProviderConfig", status: 200,
			has: []string{`"patch":{"supported":true}`, `"etag":{"supported":false}`, `"sort":{"supported":false}`, `"changePassword":{"supported":false}`,
				`"filter":{"maxResults":200,"supported":true}`, `"type":"oauthbearertoken"`},
			check: func(t *testing.T, e *env, d map[string]any) {
				if bulk := d["bulk"].(map[string]any); bulk["supported"] != false {
					t.Errorf("bulk advertised: %v", bulk)
				}
			}},
		{name: "resource types", method: "GET", path: "/ResourceTypes", status: 200, fields: map[string]any{"totalResults": 2},
			has: []string{`"endpoint":"/Users"`, `"endpoint":"/Groups"`, `"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`},
			check: func(t *testing.T, e *env, d map[string]any) {
				if first := d["Resources"].([]any)[0].(map[string]any); first["endpoint"] != "/Users" {
					t.Errorf("first resource type %v", first)
				}
			}},
		{name: "a resource type", method: "GET", path: "/ResourceTypes/Group", status: 200, fields: map[string]any{"id": "Group", "endpoint": "/Groups"}},
		{name: "no such resource type", method: "GET", path: "/ResourceTypes/Device", status: 404},
		{name: "schemas", method: "GET", path: "/Schemas", status: 200, fields: map[string]any{"totalResults": 3},
			has: []string{"User Account", `"name":"userName"`, `"uniqueness":"server"`, `"name":"manager"`, `"name":"members"`}},
		{name: "a schema", method: "GET", path: "/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", status: 200,
			fields: map[string]any{"name": "EnterpriseUser"}, has: []string{`"name":"department"`, `"name":"employeeNumber"`}},
		{name: "endpoints in any case", method: "GET", path: "/serviceproviderconfig", status: 200},
	})
}
