package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"allot/directory"
	"allot/world"
)

// dirPeople returns n people of Acme's directory, from the n-th.
func dirPeople(from, n int) []directory.Person {
	var out []directory.Person
	for i := from; i < from+n; i++ {
		out = append(out, directory.Person{ExternalID: fmt.Sprintf("guid-%02d", i), Email: fmt.Sprintf("dir%02d@acme.test", i),
			FirstName: "Dir", LastName: fmt.Sprint(i), Active: true})
	}
	return out
}

// ldapFields is a good form of Acme's LDAP connection.
func ldapFields() url.Values {
	return url.Values{"preset": {"openldap"}, "url": {"ldap://ldap.acme.test"}, "tls": {""}, "bind_dn": {"cn=allot,dc=acme,dc=test"},
		"password": {"s3cret"}, "base_dn": {"ou=people,dc=acme,dc=test"}, "filter": {""}, "scope": {"subtree"}, "every": {"30"}}
}

// TestDirectoryConnection connects Acme's LDAP directory from its page:
// each bad field is said beside it, the password is never shown and is
// kept when left empty.
func TestDirectoryConnection(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		s.dir.Sources = map[string]directory.Source{"ldap": (&world.ListDirectory{Password: "s3cret"}).Source()}
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/settings")
		expect(t, "the settings link", body, []string{`<a href="/company/directory">Directory</a>`}, nil)
		_, body = cm.get("/company/directory")
		expect(t, "not connected", body, []string{"Directory of Acme", "Not connected", `action="/company/directory/ldap"`,
			">Connect</button>", "No group is mapped", `action="/company/directory/groups"`}, []string{"Preview a sync"})

		bad := ldapFields()
		bad.Set("url", "http://ldap.acme.test")
		bad.Set("bind_dn", "not a dn")
		bad.Set("filter", "objectClass")
		bad.Del("password")
		res, body := cm.post("/company/directory/ldap", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad fields: status %d, want 422", res.StatusCode)
		}
		expect(t, "bad fields", body, []string{`The URL must start with ldap:// or ldaps://, not "http://"`, "The bind DN is not a DN",
			"The password is required", "The filter is not an LDAP filter", `value="http://ldap.acme.test"`, `value="not a dn"`},
			[]string{"The base DN"})

		group := ldapFields()
		group.Set("scope", "group")
		res, body = cm.post("/company/directory/ldap", group)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a group scope without its group: status %d, want 422", res.StatusCode)
		}
		expect(t, "no group", body, []string{"name the group whose members are read, by its DN"}, nil)

		res, body = cm.post("/company/directory/ldap", ldapFields())
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/directory" {
			t.Fatalf("connect: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "connected", body, []string{"The LDAP connection is saved: allot reads what changed every 30 minutes and the whole directory every 24 hours.",
			"Connected since", "to <strong>ldap://ldap.acme.test</strong>", "Not read yet", "Kept; leave empty to keep it",
			`value="cn=allot,dc=acme,dc=test"`, "Preview a sync", "Sync now", "No run yet"}, []string{"s3cret"})

		// Changed without a password: the kept one still binds.
		change := ldapFields()
		change.Del("password")
		change.Set("scope", "group")
		change.Set("scope_group", "cn=licensed,ou=groups,dc=acme,dc=test")
		change.Set("every", "")
		res, body = cm.post("/company/directory/ldap", change)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/directory" {
			t.Fatalf("change: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "changed", body, []string{"every 15 minutes", `value="cn=licensed,ou=groups,dc=acme,dc=test"`,
			`value="group" checked`}, []string{"s3cret"})
		res, body = cm.post("/company/directory/ldap/sync", url.Values{"action": {"sync"}})
		expect(t, "the kept password binds", body, []string{"Synced: 0 added"}, []string{"invalid credentials"})

		too := ldapFields()
		too.Set("every", "2")
		res, body = cm.post("/company/directory/ldap", too)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("read every 2 minutes: status %d, want 422", res.StatusCode)
		}
		expect(t, "too often", body, []string{`name="every" value="2"`, "a directory is read every 5 minutes at the most often"}, nil)

		if res, _ := s.signIn(t, "cm@globex.test").post("/company/directory/ldap/disconnect", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("Globex's manager disconnecting: status %d, want 404 (Globex has none)", res.StatusCode)
		}
		_, body = cm.post("/company/directory/owned", url.Values{"owned": {"email", "department"}})
		expect(t, "owned fields", body, []string{"Saved: an import leaves the fields", `value="email" checked`, `value="department" checked`},
			[]string{`value="manager" checked`})
		res, body = cm.post("/company/directory/owned", url.Values{"owned": {"salary"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `not "salary"`) {
			t.Errorf("an unknown field: status %d\n%s", res.StatusCode, body)
		}
		res, body = cm.post("/company/directory/ldap/disconnect", nil)
		expect(t, "disconnected", body, []string{"The directory is disconnected", "Not connected"}, []string{"Connected since"})

		if res, _ := s.signIn(t, "learner@acme.test").get("/company/directory"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a learner: status %d, want 403", res.StatusCode)
		}
		_, body = s.signIn(t, "cm@globex.test").get("/company/directory")
		expect(t, "Globex's page", body, []string{"Directory of Globex", "Not connected"}, []string{"ldap.acme.test"})
	})
}

// runID finds the id of the latest run on a directory page.
var runID = regexp.MustCompile(`id="run-(\d+)"`)

// TestDirectorySync previews and runs syncs of Acme's directory from its
// page: the counts and each problem with its reason; a run that would
// deprovision too many is held, explained and confirmed; a failed read says
// why.
func TestDirectorySync(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		d := &world.ListDirectory{Password: "s3cret"}
		s.dir.Sources = map[string]directory.Source{"ldap": d.Source()}
		cm := s.signIn(t, "cm@acme.test")
		if res, body := cm.post("/company/directory/ldap", ldapFields()); res.StatusCode != http.StatusOK {
			t.Fatalf("connect: status %d\n%s", res.StatusCode, body)
		}

		d.Set(append(dirPeople(0, 10), directory.Person{ExternalID: "guid-x", Email: "ann@@acme.test", Active: true}), nil)
		res, body := cm.post("/company/directory/ldap/sync", url.Values{"action": {"preview"}, "full": {"1"}})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/directory" {
			t.Fatalf("preview: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "the preview", body, []string{"Preview: a sync would add 10, update 0 and deprovision 0; 0 unchanged; 1 person of the directory could not be taken in",
			`<span class="badge previewed">Previewed</span>`, `<td class="num">10</td><td class="num">0</td><td class="num">0</td>`, "1 person of the directory could not be taken in",
			`<details open><summary>1 person of the directory could not be taken in</summary>`, `<td>guid-x</td><td>ann@@acme.test</td><td>"ann@@acme.test" is not a valid e-mail address</td>`}, nil)
		_, users := cm.get("/company/users?q=dir00")
		expect(t, "nobody added by a preview", users, nil, []string{"dir00@acme.test"})

		res, body = cm.post("/company/directory/ldap/sync", url.Values{"action": {"sync"}})
		expect(t, "the sync", body, []string{"Synced: 10 added, 0 updated, 0 deprovisioned, 0 unchanged; 1 person",
			`<span class="badge applied">Applied</span>`, "<td>whole directory</td>"}, nil)
		_, users = cm.get("/company/users?q=dir00")
		expect(t, "added by the sync", users, []string{"dir00@acme.test"}, nil)

		// Seven of the thirteen learners gone: held until confirmed.
		d.Set(dirPeople(7, 3), nil)
		res, body = cm.post("/company/directory/ldap/sync", url.Values{"action": {"sync"}, "full": {"1"}})
		expect(t, "held", body, []string{"The sync is held: it would deprovision 7 people",
			"This run would deprovision 7 of 13 people, more than 10 %: nothing has changed.",
			"Confirm: deprovision 7 people", `<span class="badge held">Held</span>`}, nil)
		m := runID.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no run on the page\n%s", body)
		}
		held := m[1]
		if !strings.Contains(body, `action="/company/directory/runs/`+held+`/confirm"`) {
			t.Fatalf("the latest run %s has no Confirm button\n%s", held, body)
		}
		if res, _ := s.signIn(t, "cm@globex.test").post("/company/directory/runs/"+held+"/confirm", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("Globex's manager confirming Acme's run: status %d, want 404", res.StatusCode)
		}
		res, body = cm.post("/company/directory/runs/"+held+"/confirm", nil)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/directory" {
			t.Fatalf("confirm: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "confirmed", body, []string{"Confirmed: 7 people were deprovisioned and their seats went back"}, []string{"Confirm: deprovision"})
		row := regexp.MustCompile(`(?s)<tr id="run-` + held + `">.*?</tr>`).FindString(body)
		expect(t, "the confirmed run", row, []string{`<span class="badge applied">Applied</span>`,
			`<td class="num">0</td><td class="num">0</td><td class="num">7</td>`}, nil)
		res, body = cm.post("/company/directory/runs/"+held+"/confirm", nil)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("confirmed twice: status %d, want 409", res.StatusCode)
		}
		expect(t, "confirmed twice", body, []string{"only a held run is confirmed"}, nil)

		d.Set(nil, errors.New("server went away"))
		res, body = cm.post("/company/directory/ldap/sync", url.Values{"action": {"sync"}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("a failed read: status %d, want 409", res.StatusCode)
		}
		expect(t, "a failed read", body, []string{`<p class="error" role="alert">reading the directory failed: server went away</p>`,
			"Reading the directory failed: server went away. Nothing has changed.", `<span class="badge failed">Failed</span>`}, nil)
	})
}

// TestDirectoryGroups maps a group of Acme's directory to a product from
// its page, refuses the same mapping twice beside its field, and removes
// it; another company's manager cannot.
func TestDirectoryGroups(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		res, body := cm.post("/company/directory/groups", url.Values{"group": {"cn=coaches,ou=groups"}, "product": {"coaching"}})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/directory" {
			t.Fatalf("map: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "mapped", body, []string{"The members of cn=coaches,ou=groups get a seat of Coaching",
			"<td><code>cn=coaches,ou=groups</code></td><td>Coaching</td>"}, []string{"No group is mapped"})
		remove := regexp.MustCompile(`action="(/company/directory/groups/\d+/remove)"`).FindStringSubmatch(body)
		if remove == nil {
			t.Fatalf("no Remove button\n%s", body)
		}

		res, body = cm.post("/company/directory/groups", url.Values{"group": {"cn=coaches,ou=groups"}, "product": {"coaching"}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("the same mapping again: status %d, want 409", res.StatusCode)
		}
		expect(t, "again", body, []string{`<p class="field-error" id="group-error">cn=coaches,ou=groups gives Coaching already</p>`,
			`value="cn=coaches,ou=groups"`}, nil)
		res, body = cm.post("/company/directory/groups", url.Values{"group": {" "}, "product": {"coaching"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no group: status %d, want 422", res.StatusCode)
		}
		expect(t, "no group", body, []string{`<p class="field-error" id="group-error">name the directory's group</p>`}, nil)

		if res, _ := s.signIn(t, "cm@globex.test").post(remove[1], nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("Globex's manager removing Acme's mapping: status %d, want 404", res.StatusCode)
		}
		res, body = cm.post(remove[1], nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("remove: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "removed", body, []string{"The mapping is removed", "No group is mapped"}, []string{"<code>cn=coaches,ou=groups</code>"})
	})
}
