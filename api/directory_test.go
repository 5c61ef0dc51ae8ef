package api_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"allot/directory"
	"allot/world"
)

// people returns n people of the directory of company c, from the n-th.
func people(c string, from, n int) []directory.Person {
	var out []directory.Person
	for i := from; i < from+n; i++ {
		out = append(out, directory.Person{ExternalID: fmt.Sprintf("%s-guid-%02d", c, i), Email: fmt.Sprintf("dir%02d@%s.test", i, c),
			FirstName: "Dir", LastName: fmt.Sprint(i), Active: true})
	}
	return out
}

// connectDirectories gives the env's directory service an LDAP directory
// held in a list, and connects each company to it with a group mapping
// (C.mapping) and a previewed run (C.run).
func (e *env) connectDirectories(t *testing.T, companies ...string) *world.ListDirectory {
	t.Helper()
	d := &world.ListDirectory{Password: "s3cret"}
	e.dir.Sources = map[string]directory.Source{"ldap": d.Source()}
	for _, c := range companies {
		ctx := actingIn(e.ids[c])
		conn := must(e.dir.Connect(ctx, directory.NewConnection{CompanyID: e.ids[c], Kind: "ldap", Secret: d.Password,
			Config: `{"Preset":"openldap","URL":"ldap://ldap.` + c + `.test","BindDN":"cn=allot,dc=` + c + `","BaseDN":"dc=` + c + `"}`}))(t)
		e.ids[c+".mapping"] = must(e.dir.MapGroup(ctx, e.ids[c], "cn=staff,dc="+c, "premium"))(t).ID
		e.ids[c+".run"] = must(e.dir.SyncNow(ctx, conn.ID, true, true))(t).ID
	}
	return d
}

// TestDirectoryLDAP connects a company's LDAP directory through the API,
// checks its fields saying which is wrong, never shows its password,
// previews and runs syncs, holds the one that deprovisions too many until
// a manager confirms it, and records a failed read.
func TestDirectoryLDAP(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		d := e.connectDirectories(t)
		ldapPath := "/v1/companies/{acme}/directory/ldap"
		put := func(who, body string) request { return request{who: who, method: "PUT", path: ldapPath, body: body} }
		sync := func(body string) request {
			return request{who: "acme-cm", method: "POST", path: ldapPath + "/sync", body: body}
		}
		good := `{"preset":"openldap","url":"ldap://ldap.acme.test","bind_dn":"cn=allot,dc=acme,dc=test","password":"s3cret",` +
			`"base_dn":"ou=people,dc=acme,dc=test","every_minutes":30}`
		e.run(t, []scenario{
			{name: "none yet", request: request{who: "acme-cm", method: "GET", path: ldapPath}, status: 404,
				want: []string{"LDAP connection not found"}},
			{name: "nothing to sync", request: sync(`{"preview":true}`), status: 404},
			{name: "bad fields, each named", request: put("acme-cm",
				`{"preset":"openldap","url":"http://ldap.acme.test","bind_dn":"not a dn","base_dn":"ou=people,dc=acme,dc=test","filter":"objectClass"}`),
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.url"`, "url must start with ldap:// or ldaps://",
					`"location":"body.bind_dn"`, `"location":"body.password"`, "password is required", `"location":"body.filter"`},
				notWant: []string{`"location":"body.base_dn"`}},
			{name: "an unknown preset", request: put("acme-cm", strings.Replace(good, "openldap", "novell", 1)), status: 422,
				want: []string{`"location":"body.preset"`}},
			{name: "read too often", request: put("acme-cm", strings.Replace(good, `"every_minutes":30`, `"every_minutes":1`, 1)),
				status: 422, want: []string{`"location":"body.every_minutes"`}},
			{name: "not by a partner's manager outside manage-company mode", request: put("pm", good), status: 403},
			{name: "not by another company's manager", request: put("globex-cm", good), status: 404},
			{name: "not by a learner", request: put("acme-learner", good), status: 404},
			{name: "connected", request: put("acme-cm", good), status: 200,
				want:    []string{`"preset":"openldap"`, `"url":"ldap://ldap.acme.test"`, `"password_set":true`, `"every_minutes":30`, `"depth":"subtree"`},
				notWant: []string{"s3cret", `"password":`},
				check: func(t *testing.T, res *http.Response, body string) {
					conns := must(e.dir.Connections(actingIn(e.ids["acme"]), e.ids["acme"]))(t)
					if len(conns) != 1 || strings.Contains(conns[0].Config, "s3cret") || !strings.Contains(conns[0].Config, `"BaseDN":"ou=people,dc=acme,dc=test"`) {
						t.Errorf("kept %+v: the config of the form, without the password", conns)
					}
				}},
			{name: "read back without its password", request: request{who: "pm", method: "GET", path: ldapPath}, status: 200,
				want: []string{`"bind_dn":"cn=allot,dc=acme,dc=test"`, `"password_set":true`}, notWant: []string{"s3cret"}},
			{name: "changed without a password keeps the kept one", request: put("acme-cm",
				`{"preset":"active-directory","url":"ldaps://dc1.acme.test","bind_dn":"allot@acme.test","base_dn":"ou=staff,dc=acme,dc=test",`+
					`"scope_group":"cn=licensed,ou=groups,dc=acme,dc=test","depth":"one"}`),
				status: 200, want: []string{`"preset":"active-directory"`, `"scope_group":"cn=licensed,ou=groups,dc=acme,dc=test"`,
					`"depth":"one"`, `"every_minutes":15`}},
			{name: "not by another company's manager either", request: request{who: "globex-cm", method: "GET", path: ldapPath}, status: 404},
		})

		// The directory holds ten people and one without an anchor.
		d.Set(append(people("acme", 0, 10), directory.Person{Email: "nobody@acme.test", Active: true}), nil)
		e.run(t, []scenario{
			{name: "a preview", request: sync(`{"full":true,"preview":true}`), status: 200,
				want: []string{`"status":"previewed"`, `"full":true`, `"add":10`, `"deprovision":0`,
					`{"anchor":"","email":"nobody@acme.test","message":"a directory's person has an anchor"}`}},
			{name: "the preview added nobody", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=dir0"},
				status: 200, want: []string{`"items":[]`}},
			{name: "a sync", request: sync(""), status: 200, want: []string{`"status":"applied"`, `"full":true`, `"add":10`, `"finished_at"`}},
			{name: "the people are added", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=dir0"},
				status: 200, want: []string{`"email":"dir00@acme.test"`, `"external_id":"acme-guid-00"`}},
			{name: "another company's manager may not sync it", request: request{who: "globex-cm", method: "POST", path: ldapPath + "/sync"},
				status: 404},
		})

		// Without seven of them, a full run would deprovision more than the
		// safety limit: it is held until a manager confirms it.
		d.Set(people("acme", 7, 3), nil)
		e.run(t, []scenario{
			{name: "held", request: sync(`{"full":true}`), status: 200, want: []string{`"status":"held"`, `"deprovision":7`, `"unchanged":3`},
				notWant: []string{`"finished_at"`}, keep: map[string]string{"held": "id"}},
			{name: "nobody deprovisioned yet", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=dir00&status=active"},
				status: 200, want: []string{`"email":"dir00@acme.test"`}},
			{name: "not confirmed by another company's manager", request: request{who: "globex-cm", method: "POST", path: "/v1/directory/runs/{held}/confirm"},
				status: 404, want: []string{"sync run not found"}},
			{name: "not by a learner", request: request{who: "acme-learner", method: "POST", path: "/v1/directory/runs/{held}/confirm"},
				status: 404},
			{name: "confirmed", request: request{who: "acme-cm", method: "POST", path: "/v1/directory/runs/{held}/confirm"},
				status: 200, want: []string{`"id":{held}`, `"status":"applied"`, `"deprovision":7`, `"finished_at"`}},
			{name: "their seats went back", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=dir00&status=active"},
				status: 200, want: []string{`"items":[]`}},
			{name: "confirmed twice", request: request{who: "acme-cm", method: "POST", path: "/v1/directory/runs/{held}/confirm"},
				status: 409, want: []string{"only a held run is confirmed"}},
		})

		d.Set(nil, errors.New("server went away"))
		e.run(t, []scenario{
			{name: "a failed read", request: sync(""), status: 409, want: []string{"reading the directory failed: server went away"}},
			{name: "the runs, newest first", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/directory/runs?limit=3"},
				status: 200, want: []string{`"items":[{"id":`, `"status":"failed","add":0`, `"error":"server went away"`},
				check: func(t *testing.T, res *http.Response, body string) {
					items := listItems(t, body)
					if len(items) != 3 || items[0]["status"] != "failed" || items[1]["status"] != "applied" || jsonAt(items[1], "id") != e.ids["held"] {
						t.Errorf("runs %v: the failed one, then the confirmed one", items)
					}
				}},
			{name: "not another company's runs", request: request{who: "globex-cm", method: "GET", path: "/v1/companies/{acme}/directory/runs"},
				status: 404},
			{name: "a partner's manager sees them", request: request{who: "pm", method: "GET", path: "/v1/companies/{acme}/directory/runs"},
				status: 200, want: []string{`"status":"failed"`}},
			{name: "not disconnected by another company's manager", request: request{who: "globex-cm", method: "DELETE", path: ldapPath},
				status: 404},
			{name: "disconnected", request: request{who: "acme-cm", method: "DELETE", path: ldapPath}, status: 204},
			{name: "gone", request: request{who: "acme-cm", method: "GET", path: ldapPath}, status: 404},
			{name: "its runs stay", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/directory/runs?limit=1"},
				status: 200, want: []string{`"status":"failed"`}},
			{name: "its people stay", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=dir09"},
				status: 200, want: []string{`"email":"dir09@acme.test"`}},
		})
	})
}

// TestDirectoryGroups maps a company's directory groups to products through
// the API, refuses a mapping twice or of a product that does not exist, and
// removes one.
func TestDirectoryGroups(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		groups := "/v1/companies/{acme}/directory/groups"
		add := func(who, body string) request { return request{who: who, method: "POST", path: groups, body: body} }
		e.run(t, []scenario{
			{name: "none yet", request: request{who: "acme-cm", method: "GET", path: groups}, status: 200, want: []string{`"items":[]`}},
			{name: "a mapping", request: add("acme-cm", `{"group":"cn=coaches,ou=groups,dc=acme","product":"coaching"}`), status: 201,
				want: []string{`"group":"cn=coaches,ou=groups,dc=acme"`, `"product":"coaching"`, `"company_id":{acme}`},
				keep: map[string]string{"coaches": "id"}},
			{name: "the same again", request: add("acme-cm", `{"group":"cn=coaches,ou=groups,dc=acme","product":"coaching"}`), status: 409,
				want: []string{`"location":"body.group"`}},
			{name: "a product that does not exist", request: add("acme-cm", `{"group":"cn=all","product":"nope"}`), status: 422,
				want: []string{`"location":"body.product"`, `no product \"nope\"`}},
			{name: "no group", request: add("acme-cm", `{"group":"","product":"premium"}`), status: 422},
			{name: "not by another company's manager", request: add("globex-cm", `{"group":"cn=all","product":"premium"}`), status: 404},
			{name: "not by a partner's manager outside manage-company mode", request: add("pm", `{"group":"cn=all","product":"premium"}`),
				status: 403},
			{name: "the list", request: request{who: "pm", method: "GET", path: groups}, status: 200,
				want: []string{`"items":[{"id":{coaches},`, `"product_id":`}},
			{name: "not another company's list", request: request{who: "globex-cm", method: "GET", path: groups}, status: 404},
			{name: "not removed by another company's manager", request: request{who: "globex-cm", method: "DELETE", path: groups + "/{coaches}"},
				status: 404},
			{name: "not removed through another company", request: request{who: "globex-cm", method: "DELETE", path: "/v1/companies/{globex}/directory/groups/{coaches}"},
				status: 404},
			{name: "removed", request: request{who: "acme-cm", method: "DELETE", path: groups + "/{coaches}"}, status: 204},
			{name: "removed twice", request: request{who: "acme-cm", method: "DELETE", path: groups + "/{coaches}"}, status: 404},
			{name: "none left", request: request{who: "acme-cm", method: "GET", path: groups}, status: 200, want: []string{`"items":[]`}},
		})
	})
}

// TestDirectoryRunsLimit lists a company's latest runs, at most as many as
// asked.
func TestDirectoryRunsLimit(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.connectDirectories(t, "acme")
		conn := must(e.dir.Connections(actingIn(e.ids["acme"]), e.ids["acme"]))(t)[0]
		for range 3 {
			must(e.dir.SyncNow(actingIn(e.ids["acme"]), conn.ID, false, true))(t)
		}
		runs := "/v1/companies/{acme}/directory/runs"
		e.run(t, []scenario{
			{name: "the two latest", request: request{who: "acme-cm", method: "GET", path: runs + "?limit=2"}, status: 200,
				check: func(t *testing.T, res *http.Response, body string) {
					if items := listItems(t, body); len(items) != 2 || jsonAt(items[0], "id") <= jsonAt(items[1], "id") {
						t.Errorf("runs %v: the two latest, newest first", items)
					}
				}},
			{name: "all four", request: request{who: "acme-cm", method: "GET", path: runs}, status: 200,
				check: func(t *testing.T, res *http.Response, body string) {
					if items := listItems(t, body); len(items) != 4 {
						t.Errorf("%d runs listed, want 4", len(items))
					}
				}},
			{name: "a limit of 0", request: request{who: "acme-cm", method: "GET", path: runs + "?limit=0"}, status: 422,
				want: []string{`"location":"query.limit"`}},
		})
	})
}

// heldRun connects Acme's directory (connectDirectories), syncs five people
// from it, and reads it again empty: a run the safety limit holds. It
// returns the ids of Acme's group mapping and of that run.
func (e *env) heldRun(t *testing.T) (mapping, run int64) {
	t.Helper()
	d := e.connectDirectories(t, "acme")
	ctx := actingIn(e.ids["acme"])
	conn := must(e.dir.Connections(ctx, e.ids["acme"]))(t)[0]
	d.Set(people("acme", 0, 5), nil)
	if r := must(e.dir.SyncNow(ctx, conn.ID, true, false))(t); r.Status != directory.SyncApplied || r.Add != 5 {
		t.Fatalf("the first run %+v: five added", r)
	}
	d.Set(nil, nil)
	r := must(e.dir.SyncNow(ctx, conn.ID, true, false))(t)
	if r.Status != directory.SyncHeld {
		t.Fatalf("the run without them %+v: held", r)
	}
	return e.ids["acme.mapping"], r.ID
}

// TestDirectoryOwned: the fields a company's directory owns are all of
// them until a manager says which; another field is named.
func TestDirectoryOwned(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		owned := "/v1/companies/{acme}/directory/owned"
		e.run(t, []scenario{
			{name: "all by default", request: request{who: "acme-cm", method: "GET", path: owned}, status: 200,
				want: []string{`"fields":["email","first_name","last_name","department","manager","external_id"]`}},
			{name: "two of them", request: request{who: "acme-cm", method: "PUT", path: owned, body: `{"fields":["department","email"]}`},
				status: 200, want: []string{`"fields":["email","department"]`}},
			{name: "read back", request: request{who: "pm", method: "GET", path: owned}, status: 200, want: []string{`"fields":["email","department"]`}},
			{name: "none", request: request{who: "acme-cm", method: "PUT", path: owned, body: `{"fields":[]}`}, status: 200,
				want: []string{`"fields":[]`}},
			{name: "not a field", request: request{who: "acme-cm", method: "PUT", path: owned, body: `{"fields":["salary"]}`}, status: 422,
				want: []string{`"location":"body.fields"`, "salary"}},
			{name: "not another company's", request: request{who: "globex-cm", method: "PUT", path: owned, body: `{"fields":[]}`}, status: 404},
		})
	})
}
