package api_test

import "testing"

func TestTransfersAndWaiting(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a partner manager moves seats to another customer", request: request{who: "pm", method: "POST", path: "/v1/pools/{acme.pool}/transfer",
				body: `{"to_company_id":{beta},"count":5}`},
				status: 201, want: []string{`"company_id":{beta}`, `"product_id":{premium}`, `"bought":5,"allocated":0,"free":5`,
					`"starts_at":"2026-03-02T09:00:00Z","ends_at":"2027-03-02T09:00:00Z"`}},
			{name: "the pool counts them no more", request: request{who: "pm", method: "GET", path: "/v1/companies/{acme}/pools"},
				status: 200, want: []string{`"bought":495,"allocated":1,"free":494`}},
			{name: "no more than the free seats", request: request{who: "pm", method: "POST", path: "/v1/pools/{acme.pool}/transfer",
				body: `{"to_company_id":{beta},"count":495}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.count"`, `494 free seats`}},
			{name: "not to another partner's customer", request: request{who: "admin", method: "POST", path: "/v1/pools/{acme.pool}/transfer",
				body: `{"to_company_id":{globex},"count":1}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.to_company_id"`}},
			{name: "another partner's customer reads as not found", request: request{who: "pm", method: "POST", path: "/v1/pools/{acme.pool}/transfer",
				body: `{"to_company_id":{globex},"count":1}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a company's manager moves no seats", request: request{who: "acme-cm", method: "POST", path: "/v1/pools/{acme.pool}/transfer",
				body: `{"to_company_id":{beta},"count":1}`},
				status: 403, want: []string{`"code":"forbidden"`}},

			{name: "the setting is on by default", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}"},
				status: 200, want: []string{`"fill_waiting":true`}},
			{name: "a manager turns it off", request: request{who: "acme-cm", method: "PUT", path: "/v1/companies/{acme}/settings/fill-waiting",
				body: `{"on":false}`},
				status: 200, want: []string{`"on":false`}},
			{name: "the company says so", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}"},
				status: 200, want: []string{`"fill_waiting":false`}},
			{name: "nobody waits", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/fill-waiting"},
				status: 200, want: []string{`"given":0,"waiting":0`}},
			{name: "a partner manager fills in manage-company mode only", request: request{who: "pm", method: "POST", path: "/v1/companies/{acme}/fill-waiting"},
				status: 403, want: []string{`"code":"forbidden"`}},
		})
	})
}
