package api_test

import "testing"

// TestProgrammes makes, lists and reads a company's programmes through the
// API, and refuses bad ones saying which field.
func TestProgrammes(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		create := func(body string) request {
			return request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/programmes", body: body}
		}
		e.run(t, []scenario{
			{name: "a programme", request: create(`{"name":"Onboarding","products":["premium","coaching"],"lang":"fr"}`),
				status: 201, want: []string{`"name":"Onboarding"`, `"products":["coaching","premium"]`, `"lang":"fr"`, `"company_id":{acme}`},
				keep: map[string]string{"onboarding": "id"}},
			{name: "the same name again", request: create(`{"name":"Onboarding","products":["premium"]}`),
				status: 409, want: []string{`"location":"body.name"`}},
			{name: "an unknown product", request: create(`{"name":"Other","products":["nope"]}`),
				status: 422, want: []string{`"location":"body.products"`, `no product \"nope\"`}},
			{name: "no product", request: create(`{"name":"Other","products":[]}`), status: 422},
			{name: "the list", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/programmes"},
				status: 200, want: []string{`"items":[{"id":{onboarding},`}},
			{name: "one", request: request{who: "pm", method: "GET", path: "/v1/programmes/{onboarding}"},
				status: 200, want: []string{`"name":"Onboarding"`}},
			{name: "not for another company", request: request{who: "globex-cm", method: "GET", path: "/v1/programmes/{onboarding}"},
				status: 404},
		})
	})
}
