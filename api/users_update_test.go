package api_test

import (
	"strings"
	"testing"
)

// TestUpdateUser changes a company's person: their names, department and
// role, each refusal naming its field.
func TestUpdateUser(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a company manager renames a learner", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{acme.learner}",
				body: `{"first_name":" Ada ","last_name":"Costa","department":"Sales"}`},
				status: 200, want: []string{`"id":{acme.learner},`, `"first_name":"Ada"`, `"last_name":"Costa"`, `"department":"Sales"`, `"role":"learner"`}},
			{name: "an absent field stays", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{acme.learner}", body: `{"department":""}`},
				status: 200, want: []string{`"first_name":"Ada"`, `"last_name":"Costa"`}, notWant: []string{`"department"`}},
			{name: "the change is in the audit log", request: request{who: "acme-cm", method: "GET", path: "/v1/audit"},
				status: 200, want: []string{`"action":"user.update"`}},
			{name: "a name holds no line break", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{acme.learner}",
				body: `{"last_name":"Costa\r\nBcc: all"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.last_name"`}},
			{name: "a name is 200 characters at most", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{acme.learner}",
				body: `{"first_name":"` + strings.Repeat("a", 201) + `"}`},
				status: 422, want: []string{`"location":"body.first_name"`}},
			{name: "a company's person is a learner or a manager", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{acme.learner}",
				body: `{"role":"vendor_admin"}`},
				status: 422, want: []string{`"location":"body.role"`}},
			{name: "a learner becomes a manager", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{acme.learner}",
				body: `{"role":"company_manager"}`},
				status: 200, want: []string{`"role":"company_manager"`}},
			{name: "nobody changes their own role", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{acme.cm}",
				body: `{"role":"learner"}`},
				status: 409, want: []string{`"code":"conflict"`, `"location":"body.role"`}},
			{name: "a partner manager edits only in manage-company mode", request: request{who: "pm", method: "PATCH", path: "/v1/users/{acme.learner}",
				body: `{"department":"Ops"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "in manage-company mode a partner manager edits", request: request{who: "pm", method: "PATCH", path: "/v1/users/{acme.learner}",
				body: `{"department":"Ops"}`, headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 200, want: []string{`"department":"Ops"`}},
			{name: "another company's person reads as not found", request: request{who: "acme-cm", method: "PATCH", path: "/v1/users/{globex.learner}",
				body: `{"department":"Ops"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "vendor staff are no company's people", request: request{who: "admin", method: "PATCH", path: "/v1/users/{pm}",
				body: `{"department":"Ops"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing person", request: request{who: "admin", method: "PATCH", path: "/v1/users/999999", body: `{}`},
				status: 404, want: []string{`"code":"not_found"`}},
		})
	})
}
