package api_test

import (
	"context"
	"testing"
	"time"

	"allot"
	"allot/reclaim"
	"allot/storetest"
)

// TestReclaimRules sets Acme's rules through the API, previews them a
// month later with Acme's learner, who never logged in, and finds the
// seat gone after a run; another company's manager finds no rule of Acme,
// and a partner's manager sets them in manage-company mode only.
func TestReclaimRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		e := newEnv(t, b)
		put := func(who, body string) request {
			return request{who: who, method: "PUT", path: "/v1/companies/{acme}/reclaim-rules", body: body}
		}
		get := func(who, path string) request { return request{who: who, method: "GET", path: path} }
		e.run(t, []scenario{
			{name: "none yet", request: get("acme-cm", "/v1/companies/{acme}/reclaim-rules"), status: 200, want: []string{`"items":[]`}},
			{name: "no days", request: put("acme-cm", `{"rules":[{"days":0}]}`), status: 422, want: []string{`"location":"body.rules[0].days"`}},
			{name: "a warning as long as the rule", request: put("acme-cm", `{"rules":[{"days":30,"warn_days":30}]}`),
				status: 422, want: []string{`"location":"body.rules[0].warn_days"`, "less than the 30 days of the rule"}},
			{name: "no such product", request: put("acme-cm", `{"rules":[{"product":"nope","days":30}]}`),
				status: 422, want: []string{`"location":"body.rules[0].product"`}},
			{name: "a product twice", request: put("acme-cm", `{"rules":[{"product":"premium","days":30},{"product":"premium","days":40}]}`),
				status: 422, want: []string{`"location":"body.rules[1].product"`}},
			{name: "a partner's manager outside the company", request: put("pm", `{"rules":[{"days":30}]}`), status: 403},
			{name: "another company's manager", request: put("globex-cm", `{"rules":[{"days":30}]}`), status: 404},
			{name: "Acme's manager sets two", request: put("acme-cm", `{"rules":[{"days":30},{"product":"coaching","days":60,"warn_days":7}]}`),
				status: 200, want: []string{`"days":30,"warn_days":0,"enabled":false,"changed_by":"cm@acme.test"`,
					`"product":"coaching","days":60,"warn_days":7,"enabled":false`}},
			{name: "and switches the first on", request: put("acme-cm", `{"rules":[{"days":30,"enabled":true}]}`),
				status: 200, want: []string{`"days":30,"warn_days":0,"enabled":true`}, notWant: []string{"coaching"}},
			{name: "the partner's manager in the company", request: request{who: "pm", method: "PUT", path: "/v1/companies/{acme}/reclaim-rules",
				body: `{"rules":[{"days":30,"enabled":true}]}`, headers: map[string]string{"Allot-Company": "{acme}"}}, status: 200,
				want: []string{`"changed_by":"pm@channel.test"`}},
			{name: "nobody idle yet", request: get("acme-cm", "/v1/companies/{acme}/reclaim-rules/preview"), status: 200,
				want: []string{`"reclaim":[]`, `"warn":[]`}},
			{name: "no preview of another company", request: get("globex-cm", "/v1/companies/{acme}/reclaim-rules/preview"), status: 404},
			{name: "nor to its learner", request: get("acme-learner", "/v1/companies/{acme}/reclaim-rules"), status: 404},
		})
		e.clock.Advance(30 * 24 * time.Hour)
		e.run(t, []scenario{
			{name: "a month later", request: get("acme-cm", "/v1/companies/{acme}/reclaim-rules/preview"), status: 200,
				want: []string{`"seat_id":{acme.seat},"user_id":{acme.learner},"email":"learner@acme.test","product":"Premium","idle_since":"2026-03-02T09:00:00Z"`}},
		})
		system := allot.WithPrincipal(context.Background(), allot.System)
		rules := &reclaim.Service{Ledger: e.svc, Store: e.db.Reclaim()}
		if res, err := rules.Run(system); err != nil || len(res.Reclaimed) != 1 || res.Reclaimed[0] != e.ids["acme.seat"] {
			t.Fatalf("the run reclaimed %v: %v", res.Reclaimed, err)
		}
		e.run(t, []scenario{
			{name: "after the run", request: get("acme-cm", "/v1/companies/{acme}/reclaim-rules/preview"), status: 200,
				want: []string{`"reclaim":[]`}},
			{name: "the seat is released", request: get("acme-cm", "/v1/seats?company_id={acme}&user_id={acme.learner}"), status: 200,
				want: []string{`"release_reason":"reclaimed"`}},
		})
	})
}
