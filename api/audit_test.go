package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// auditEvent is an event of the audit log as the API shows it.
type auditEvent struct {
	ID         int64  `json:"id"`
	ActorID    int64  `json:"actor_id"`
	ActorEmail string `json:"actor_email"`
	CompanyID  int64  `json:"company_id"`
	PartnerID  int64  `json:"partner_id"`
	ManageMode bool   `json:"manage_mode"`
	Action     string `json:"action"`
	SubjectID  int64  `json:"subject_id"`
	Before     string `json:"before"`
	After      string `json:"after"`
}

// events returns a check that the listed events are not none and each
// passes ok.
func (e *env) events(what string, ok func(ev auditEvent) bool) func(t *testing.T, res *http.Response, body string) {
	return func(t *testing.T, res *http.Response, body string) {
		t.Helper()
		var page struct{ Items []auditEvent }
		decode(t, body, &page)
		if len(page.Items) == 0 {
			t.Fatalf("no events")
		}
		for _, ev := range page.Items {
			if !ok(ev) {
				t.Errorf("event %+v is not %s", ev, what)
			}
		}
	}
}

// event returns a check that the log lists the event of action on subject
// and that it passes ok.
func (e *env) event(action, subject string, ok func(ev auditEvent) bool) func(t *testing.T, res *http.Response, body string) {
	return func(t *testing.T, res *http.Response, body string) {
		t.Helper()
		var page struct{ Items []auditEvent }
		decode(t, body, &page)
		for _, ev := range page.Items {
			if ev.Action == action && ev.SubjectID == e.ids[subject] {
				if !ok(ev) {
					t.Errorf("event %+v", ev)
				}
				return
			}
		}
		t.Errorf("no %s event of %s in %s", action, subject, body)
	}
}

// TestAudit checks the scope of the audit log of each role, and that an
// action in manage-company mode names both the person and the company.
func TestAudit(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "in manage-company mode a partner manager adds a learner", request: request{who: "pm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"managed@acme.test"}`, headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 201, keep: map[string]string{"managed": "id"}},
			{name: "the learner's seat", request: request{who: "acme-cm", method: "GET", path: "/v1/seats?company_id={acme}&user_id={managed}"},
				status: 200, keep: map[string]string{"managed.seat": "items.0.id"}},
			{name: "the company manager adds a learner themself", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"own@acme.test"}`},
				status: 201, keep: map[string]string{"own": "id"}},
			{name: "globex's manager adds a learner", request: request{who: "globex-cm", method: "POST", path: "/v1/companies/{globex}/users",
				body: `{"email":"other@globex.test"}`},
				status: 201, keep: map[string]string{"other": "id"}},

			{name: "the company's log names the partner manager and the company", request: request{who: "acme-cm", method: "GET", path: "/v1/audit"},
				status: 200, check: e.event("user.add", "managed", func(ev auditEvent) bool {
					return ev.ActorID == e.ids["pm"] && ev.ActorEmail == "pm@channel.test" && ev.ManageMode &&
						ev.CompanyID == e.ids["acme"] && ev.PartnerID == e.ids["partner1"]
				})},
			{name: "so does the seat given in manage-company mode", request: request{who: "acme-cm", method: "GET", path: "/v1/audit"},
				status: 200, check: e.event("seat.allocate", "managed.seat", func(ev auditEvent) bool {
					return ev.ActorID == e.ids["pm"] && ev.ManageMode && ev.CompanyID == e.ids["acme"]
				})},
			{name: "the manager's own action is not in manage-company mode", request: request{who: "acme-cm", method: "GET", path: "/v1/audit"},
				status: 200, check: e.event("user.add", "own", func(ev auditEvent) bool {
					return ev.ActorID == e.ids["acme-cm"] && ev.ActorEmail == "cm@acme.test" && !ev.ManageMode && ev.CompanyID == e.ids["acme"]
				})},
			{name: "no event holds a password hash", request: request{who: "admin", method: "GET", path: "/v1/audit?limit=500"},
				status: 200, notWant: []string{`argon2`, `PasswordHash`}},

			{name: "a company manager reads their company's events only", request: request{who: "acme-cm", method: "GET", path: "/v1/audit?limit=500"},
				status: 200, check: e.events("acme's", func(ev auditEvent) bool { return ev.CompanyID == e.ids["acme"] })},
			{name: "a partner manager reads their customers' events only", request: request{who: "pm", method: "GET", path: "/v1/audit?limit=500"},
				status: 200, check: e.events("partner one's", func(ev auditEvent) bool { return ev.PartnerID == e.ids["partner1"] })},
			{name: "a partner manager narrows to a customer", request: request{who: "pm", method: "GET", path: "/v1/audit?company_id={acme}&limit=500"},
				status: 200, check: e.events("acme's", func(ev auditEvent) bool { return ev.CompanyID == e.ids["acme"] })},
			{name: "in manage-company mode the log is the company's", request: request{who: "pm", method: "GET", path: "/v1/audit?limit=500",
				headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 200, check: e.events("acme's", func(ev auditEvent) bool { return ev.CompanyID == e.ids["acme"] })},
			{name: "the vendor reads everyone's", request: request{who: "agent", method: "GET", path: "/v1/audit?limit=500"},
				status: 200, check: e.event("user.add", "other", func(ev auditEvent) bool { return ev.CompanyID == e.ids["globex"] })},
			{name: "one actor's events", request: request{who: "admin", method: "GET", path: "/v1/audit?actor_id={pm}&limit=500"},
				status: 200, check: e.events("pm's", func(ev auditEvent) bool { return ev.ActorID == e.ids["pm"] })},
			{name: "one action's events", request: request{who: "pm", method: "GET", path: "/v1/audit?action=user.add&limit=500"},
				status: 200, check: e.events("user.add", func(ev auditEvent) bool { return ev.Action == "user.add" })},
			{name: "the events of a time", request: request{who: "admin", method: "GET", path: "/v1/audit?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z&limit=500"},
				status: 200, check: e.events("every", func(ev auditEvent) bool { return true })},
			{name: "no event before a time long gone", request: request{who: "admin", method: "GET", path: "/v1/audit?to=2000-01-01T00:00:00Z"},
				status: 200, want: []string{`"items":[]`}},
			{name: "a time that is not one", request: request{who: "admin", method: "GET", path: "/v1/audit?from=yesterday"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.from"`}},
			{name: "an action that is not one", request: request{who: "admin", method: "GET", path: "/v1/audit?action=everything"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.action"`}},
			{name: "another company's log reads as not found", request: request{who: "acme-cm", method: "GET", path: "/v1/audit?company_id={globex}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "another partner's customer's log reads as not found", request: request{who: "pm", method: "GET", path: "/v1/audit?company_id={globex}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a learner reads no log", request: request{who: "acme-learner", method: "GET", path: "/v1/audit"},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a cursor that is not one", request: request{who: "admin", method: "GET", path: "/v1/audit?cursor=-3"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.cursor"`}},
		})

		t.Run("paging", func(t *testing.T) {
			all := itemIDs(t, onePage(t, e, "admin", "/v1/audit?limit=500"))
			if len(all) < 10 {
				t.Fatalf("only %d events", len(all))
			}
			got := e.follow(t, "admin", "/v1/audit?limit=3")
			if !slices.Equal(got, all) {
				t.Errorf("pages hold %v, want %v", got, all)
			}
			for i := 1; i < len(got); i++ {
				if got[i] >= got[i-1] {
					t.Fatalf("events not newest first: %v", got)
				}
			}
		})
	})
}

// onePage returns the body of a GET of a list that must succeed in one page.
func onePage(t *testing.T, e *env, who, path string) string {
	t.Helper()
	res, b := e.do(request{who: who, method: "GET", path: path})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, b)
	}
	if strings.Contains(b, `"next"`) {
		t.Fatalf("GET %s: more than one page", path)
	}
	return b
}
