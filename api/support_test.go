package api_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// standardPolicy is the body of a policy like the default one: every hour
// counts, the first response is due within 12 hours.
const standardPolicy = `{"name":"Standard","default":true,"calendar":{"all_hours":true},"targets":{"low":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200},"normal":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200},"high":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200},"urgent":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200}}}`

// b64 is s in base64, as a file's data in a request's body.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// openBody is a request's body of subject and category, with more fields
// after them.
func openBody(subject, category, more string) string {
	return `{"subject":"` + subject + `","body":"The page says I have no seat.","category":"` + category + `"` + more + `}`
}

// TestSupportRequests follows requests through the API: who opens, lists
// and reads which, what the desk alone may do, and what the requester sees
// of it.
func TestSupportRequests(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		open := func(who, body string) request {
			return request{who: who, method: "POST", path: "/v1/support/requests", body: body}
		}
		get := func(who, path string) request { return request{who: who, method: "GET", path: path} }
		post := func(who, path, body string) request { return request{who: who, method: "POST", path: path, body: body} }
		e.run(t, []scenario{
			{name: "a learner opens a request with a file", request: open("acme-learner", openBody("Cannot sign in", "member_access",
				`,"priority":"high","attachments":[{"name":"steps.txt","data":"`+b64("1. open the page\n2. sign in\n")+`"}]`)),
				status: 201, want: []string{`"company_id":{acme}`, `"requester_id":{acme-learner}`, `"team":"support"`, `"priority":"high"`,
					`"status":"new"`, `"breached":false`, `{"kind":"first_response","length_minutes":720,`, `{"kind":"resolution","length_minutes":4320,`},
				keep: map[string]string{"req": "id"}},
			{name: "its manager opens one for the company", request: open("acme-cm", openBody("Rollout to Lyon", "rollout", "")),
				status: 201, want: []string{`"team":"success"`, `"priority":"normal"`}, keep: map[string]string{"req.cm": "id"}},
			{name: "a learner of another company opens one", request: open("globex-learner", openBody("Locked out", "technical", "")),
				status: 201, keep: map[string]string{"req.globex": "id"}},

			{name: "the learner lists only their own", request: get("acme-learner", "/v1/support/requests"),
				status: 200, want: []string{`"total":1`, `"id":{req},"company_id"`}, notWant: []string{`"id":{req.cm},`, `"id":{req.globex},`}},
			{name: "the company's manager lists the company's", request: get("acme-cm", "/v1/support/requests"),
				status: 200, want: []string{`"total":2`, `"id":{req},"company_id"`, `"id":{req.cm},"company_id"`}, notWant: []string{`"id":{req.globex},`}},
			{name: "the partner's manager lists its customers'", request: get("pm", "/v1/support/requests?team=support"),
				status: 200, want: []string{`"total":1`, `"id":{req},"company_id"`}, notWant: []string{`"id":{req.globex},`}},
			{name: "a manager of another company filters by acme", request: get("globex-cm", "/v1/support/requests?company_id={acme}"),
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a manager of another company reads it", request: get("globex-cm", "/v1/support/requests/{req}"),
				status: 404, want: []string{`"code":"not_found"`}, notWant: []string{"Cannot sign in"}},
			{name: "another learner of the company reads it", request: get("acme-learner", "/v1/support/requests/{req.cm}"),
				status: 404},
			{name: "the agent's queue", request: get("agent", "/v1/support/requests?queue=true&active=true&team=support&company_id={acme}"),
				status: 200, want: []string{`"total":1`, `"id":{req},"company_id"`}, notWant: []string{`"id":{req.cm},`}},
			{name: "an unknown status", request: get("agent", "/v1/support/requests?status=new,lost"),
				status: 422, want: []string{`"location":"query.status"`}},

			{name: "the company's manager cannot reply as the desk", request: post("acme-cm", "/v1/support/requests/{req}/replies", `{"body":"Fixed."}`),
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "nor note", request: post("acme-cm", "/v1/support/requests/{req}/notes", `{"body":"Hm."}`), status: 403},
			{name: "nor change its priority", request: request{who: "acme-cm", method: "PATCH", path: "/v1/support/requests/{req}", body: `{"priority":"urgent"}`},
				status: 403},
			{name: "nor read its licence context", request: get("acme-cm", "/v1/support/requests/{req}/licences"), status: 403},
			{name: "the agent answers, waiting on the customer", request: post("agent", "/v1/support/requests/{req}/replies",
				`{"body":"Please sign out and in again.","status":"waiting"}`),
				status: 201, want: []string{`"kind":"reply"`, `"author":"agent@vendor.test"`, `"via":"web"`}},
			{name: "and notes", request: post("agent", "/v1/support/requests/{req}/notes", `{"body":"Her seat looked fine to me."}`),
				status: 201, want: []string{`"kind":"note"`}},
			{name: "the requester reads the answer, not the note", request: get("acme-learner", "/v1/support/requests/{req}"),
				status: 200, want: []string{`"status":"waiting"`, `Please sign out and in again.`, `"desk":false`, `"assignee":"agent@vendor.test"`,
					`"kind":"resolution","length_minutes":4320,`, `"paused":true,"left_minutes":4320}`},
				notWant: []string{"Her seat looked fine", `"kind":"note"`},
				keep:    map[string]string{"att": "messages.0.attachments.0.id"}},
			{name: "the agent reads both", request: get("agent", "/v1/support/requests/{req}"),
				status: 200, want: []string{"Her seat looked fine", `"desk":true`, `"name":"steps.txt","type":"text/plain"`}},
			{name: "the requester writes back", request: post("acme-learner", "/v1/support/requests/{req}/messages", `{"body":"It still fails."}`),
				status: 201, want: []string{`"kind":"customer"`}},
			{name: "which opens it again", request: get("acme-cm", "/v1/support/requests/{req}"),
				status: 200, want: []string{`"status":"open"`, `"kind":"next_response"`, "It still fails."}},

			{name: "the file, to its requester", request: get("acme-learner", "/v1/support/attachments/{att}"),
				status: 200, want: []string{"1. open the page\n2. sign in\n"},
				check: func(t *testing.T, res *http.Response, body string) {
					for k, v := range map[string]string{"Content-Type": "text/plain", "X-Content-Type-Options": "nosniff",
						"Content-Disposition": "attachment; filename=steps.txt"} {
						if got := res.Header.Get(k); got != v {
							t.Errorf("%s: %q, want %q", k, got, v)
						}
					}
				}},
			{name: "the file, to another company", request: get("globex-cm", "/v1/support/attachments/{att}"),
				status: 404, notWant: []string{"open the page"}},

			{name: "the agent makes it urgent and takes it", request: request{who: "agent", method: "PATCH", path: "/v1/support/requests/{req}",
				body: `{"priority":"urgent","assignee_id":{agent}}`},
				status: 200, want: []string{`"priority":"urgent"`, `"assignee_id":{agent}`, `"kind":"next_response","length_minutes":240,`}},
			{name: "no one of the customer is an assignee", request: request{who: "agent", method: "PATCH", path: "/v1/support/requests/{req}",
				body: `{"assignee_id":{acme-cm}}`},
				status: 422, want: []string{`"location":"body.assignee_id"`}},
			{name: "the licence context", request: get("agent", "/v1/support/requests/{req}/licences"),
				status: 200, want: []string{`"requester":{"id":{acme-learner},`, `"company":{"id":{acme},`, `"product":"Premium","seat":{"id":{acme.seat},`}},
			{name: "copying a success contact the company has not", request: post("acme-cm", "/v1/support/requests/{req}/copy-success", ""),
				status: 422, want: []string{`"location":"body.copy_success"`}},
			{name: "the vendor admin gives acme one", request: request{who: "admin", method: "PUT", path: "/v1/companies/{acme}/support-account",
				body: `{"success_id":{success}}`},
				status: 200, want: []string{`"company_id":{acme}`, `"success_id":{success}`, `"success":"success@vendor.test"`}},
			{name: "its manager copies them", request: post("acme-cm", "/v1/support/requests/{req}/copy-success", ""),
				status: 200, want: []string{`"copies":[{success}]`}},
			{name: "an escalation says why", request: post("agent", "/v1/support/requests/{req}/escalate", `{"reason":" "}`),
				status: 422, want: []string{`"location":"body.reason"`}},
			{name: "the agent escalates", request: post("agent", "/v1/support/requests/{req}/escalate", `{"reason":"They plan a rollout."}`),
				status: 200, want: []string{`"team":"success"`, `"assignee_id":{success}`, `"escalated_at":`}},
			{name: "not twice", request: post("agent", "/v1/support/requests/{req}/escalate", `{"reason":"Again."}`),
				status: 409},
			{name: "the agent closes it", request: request{who: "agent", method: "PATCH", path: "/v1/support/requests/{req}", body: `{"status":"closed"}`},
				status: 200, want: []string{`"status":"closed"`, `"breached":false,"escalated_at":`}}, // no due time: nothing runs
			{name: "a closed request takes no more messages", request: post("acme-learner", "/v1/support/requests/{req}/messages", `{"body":"And?"}`),
				status: 409},
		})
	})
}

// TestSupportRequestFields refuses bad requests, naming the field at fault.
func TestSupportRequestFields(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		big := "%PDF-1.4\n" + strings.Repeat("x", 2<<20)
		exe := "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
		file := func(name, data string) string {
			return `,"attachments":[{"name":"` + name + `","data":"` + data + `"}]`
		}
		var scenarios []scenario
		for _, c := range []struct {
			name, body, field string
		}{
			{"an empty subject", openBody("  ", "technical", ""), "subject"},
			{"a subject of two lines", openBody(`Help\nnow`, "technical", ""), "subject"},
			{"a subject too long", openBody(strings.Repeat("a", 201), "technical", ""), "subject"},
			{"an unknown category", openBody("Help", "billing", ""), "category"},
			{"an unknown priority", openBody("Help", "technical", `,"priority":"asap"`), "priority"},
			{"no text", `{"subject":"Help","body":"","category":"technical"}`, "body"},
			{"a file over the limit", openBody("Help", "technical", file("scan.pdf", b64(big))), "attachments[0]"},
			{"a program", openBody("Help", "technical", file("setup.pdf", b64(exe))), "attachments[0]"},
			{"a file not in base64", openBody("Help", "technical", file("a.txt", "not base64!")), "attachments[0].data"},
			{"six files", openBody("Help", "technical", `,"attachments":[`+strings.TrimSuffix(strings.Repeat(`{"name":"a.txt","data":"`+b64("a")+`"},`, 6), ",")+`]`), "attachments"},
		} {
			scenarios = append(scenarios, scenario{name: c.name, request: request{who: "acme-learner", method: "POST", path: "/v1/support/requests", body: c.body},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.` + c.field + `"`}})
		}
		for _, q := range []string{"limit=0", "limit=501", "offset=-1", "team=sales", "priority=asap", "company_id=x", "assignee_id=-1", "status=lost"} {
			field, _, _ := strings.Cut(q, "=")
			scenarios = append(scenarios, scenario{name: "a list with " + q, request: request{who: "agent", method: "GET", path: "/v1/support/requests?" + q},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.` + field + `"`}})
		}
		scenarios = append(scenarios,
			scenario{name: "vendor staff name the company", request: request{who: "agent", method: "POST", path: "/v1/support/requests",
				body: openBody("Help", "technical", "")}, status: 422, want: []string{`"location":"body.company_id"`}},
			scenario{name: "nothing was opened", request: request{who: "admin", method: "GET", path: "/v1/support/requests"},
				status: 200, want: []string{`"items":[]`, `"total":0`}},
			scenario{name: "a file just under the limit", request: request{who: "acme-learner", method: "POST", path: "/v1/support/requests",
				body: openBody("Help", "technical", file("scan.pdf", b64(big[:2<<20])))}, status: 201,
				want: []string{`"status":"new"`}},
		)
		e.run(t, scenarios)
	})
}

// TestSupportSettings: the routing table, the policies and the accounts
// are set by the vendor admin alone; the desk reads the policies, anyone
// the routes.
func TestSupportSettings(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		routes := `{"routes":[{"category":"access","label":"Signing in","team":"support"},{"category":"growth","label":"Growing","team":"success"}]}`
		put := func(who, path, body string) request { return request{who: who, method: "PUT", path: path, body: body} }
		policy := func(name, more string) string {
			t := `{"first_response_minutes":240,"next_response_minutes":480,"resolution_minutes":2400}`
			return `{"name":"` + name + `","calendar":{"zone":"Europe/Berlin","days":["monday","tuesday","wednesday","thursday","friday"],` +
				`"opens":"09:00","closes":"17:00","country":"de"` + more + `},"targets":{"low":` + t + `,"normal":` + t + `,"high":` + t + `,"urgent":` + t + `}}`
		}
		e.run(t, []scenario{
			{name: "anyone reads the routes", request: request{who: "acme-learner", method: "GET", path: "/v1/support/routes"},
				status: 200, want: []string{`{"category":"member_access","label":"Member access and invitations","team":"support"}`}},
			{name: "an agent may not edit them", request: put("agent", "/v1/support/routes", routes), status: 403},
			{name: "nor a company's manager", request: put("acme-cm", "/v1/support/routes", routes), status: 403},
			{name: "nor a partner's", request: put("pm", "/v1/support/routes", routes), status: 403},
			{name: "a category twice", request: put("admin", "/v1/support/routes",
				`{"routes":[{"category":"a","label":"A","team":"support"},{"category":"a","label":"B","team":"success"}]}`),
				status: 422, want: []string{`"location":"body.routes[1].category"`}},
			{name: "an unknown team", request: put("admin", "/v1/support/routes", `{"routes":[{"category":"a","label":"A","team":"sales"}]}`),
				status: 422, want: []string{`"location":"body.routes[0].team"`}},
			{name: "the vendor admin edits them", request: put("admin", "/v1/support/routes", routes),
				status: 200, want: []string{`"category":"growth","label":"Growing","team":"success"`}, notWant: []string{"member_access"}},
			{name: "a request routed by the new table", request: request{who: "acme-cm", method: "POST", path: "/v1/support/requests",
				body: openBody("More sites", "growth", "")}, status: 201, want: []string{`"team":"success"`}},
			{name: "an old category is gone", request: request{who: "acme-cm", method: "POST", path: "/v1/support/requests",
				body: openBody("Locked out", "member_access", "")}, status: 422, want: []string{`"location":"body.category"`}},

			{name: "the desk reads the policies, in minutes", request: request{who: "agent", method: "GET", path: "/v1/support/policies"},
				status: 200, want: []string{`"name":"Standard","default":true,"calendar":{"all_hours":true}`,
					`"urgent":{"first_response_minutes":720,"next_response_minutes":240,"resolution_minutes":1440}`}},
			{name: "a company's manager does not", request: request{who: "acme-cm", method: "GET", path: "/v1/support/policies"}, status: 403},
			{name: "an agent adds none", request: request{who: "agent", method: "POST", path: "/v1/support/policies", body: policy("Berlin", "")},
				status: 403},
			{name: "a day that is not one", request: request{who: "admin", method: "POST", path: "/v1/support/policies",
				body: strings.Replace(policy("Berlin", ""), `"friday"`, `"fri"`, 1)}, status: 422, want: []string{`"location":"body.calendar.days"`}},
			{name: "a time that is not one", request: request{who: "admin", method: "POST", path: "/v1/support/policies",
				body: strings.Replace(policy("Berlin", ""), `"09:00"`, `"9am"`, 1)}, status: 422, want: []string{`"location":"body.calendar.opens"`}},
			{name: "closing before opening", request: request{who: "admin", method: "POST", path: "/v1/support/policies",
				body: strings.Replace(policy("Berlin", ""), `"17:00"`, `"08:00"`, 1)}, status: 422, want: []string{`"location":"body.calendar.closes"`}},
			{name: "a first response after the resolution", request: request{who: "admin", method: "POST", path: "/v1/support/policies",
				body: strings.Replace(policy("Berlin", ""), `"low":{"first_response_minutes":240`, `"low":{"first_response_minutes":3000`, 1)},
				status: 422, want: []string{`"location":"body.targets.low.first_response_minutes"`}},
			{name: "no target", request: request{who: "admin", method: "POST", path: "/v1/support/policies",
				body: strings.Replace(policy("Berlin", ""), `"resolution_minutes":2400}}`, `"resolution_minutes":0}}`, 1)},
				status: 422, want: []string{`"location":"body.targets.urgent.resolution_minutes"`}},
			{name: "the vendor admin adds one", request: request{who: "admin", method: "POST", path: "/v1/support/policies", body: policy("Berlin", `,"holidays":["2026-12-24"]`)},
				status: 201, want: []string{`"name":"Berlin","default":false`, `"days":["monday","tuesday","wednesday","thursday","friday"],"opens":"09:00","closes":"17:00","country":"de","holidays":["2026-12-24"]`,
					`"low":{"first_response_minutes":240,"next_response_minutes":480,"resolution_minutes":2400}`},
				keep: map[string]string{"berlin": "id"}},
			{name: "a name taken", request: request{who: "admin", method: "POST", path: "/v1/support/policies", body: policy("Berlin", "")},
				status: 409, want: []string{`"location":"body.name"`}},
			{name: "and changes it", request: put("admin", "/v1/support/policies/{berlin}", policy("Berlin office", "")),
				status: 200, want: []string{`"id":{berlin},"name":"Berlin office"`}},
			{name: "a policy that is not", request: put("admin", "/v1/support/policies/999999999", policy("Nowhere", "")), status: 404},

			{name: "a company has no account of its own", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/support-account"},
				status: 200, want: []string{`{}`}},
			{name: "Channel One's customers get Berlin", request: put("admin", "/v1/partners/{partner1}/support-account",
				`{"success_id":{success},"policy_id":{berlin}}`),
				status: 200, want: []string{`"partner_id":{partner1}`, `"policy_id":{berlin}`}},
			{name: "a partner's manager sets none", request: put("pm", "/v1/partners/{partner1}/support-account", `{}`), status: 403},
			{name: "a company's manager sets none", request: put("acme-cm", "/v1/companies/{acme}/support-account", `{}`), status: 403},
			{name: "a contact who is no success manager", request: put("admin", "/v1/companies/{acme}/support-account", `{"success_id":{agent}}`),
				status: 422, want: []string{`"location":"body.success_id"`}},
			{name: "acme is served by its partner's", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/support-account"},
				status: 200, want: []string{`"partner_id":{partner1}`, `"success":"success@vendor.test"`, `"policy_id":{berlin}`}},
			{name: "not to another company", request: request{who: "globex-cm", method: "GET", path: "/v1/companies/{acme}/support-account"},
				status: 404},
			{name: "nor to a learner", request: request{who: "acme-learner", method: "GET", path: "/v1/companies/{acme}/support-account"},
				status: 404},
			{name: "a request of acme follows Berlin", request: request{who: "acme-cm", method: "POST", path: "/v1/support/requests",
				body: openBody("Hours", "access", "")}, status: 201, want: []string{`"kind":"first_response","length_minutes":240,`}},
		})
	})
}
