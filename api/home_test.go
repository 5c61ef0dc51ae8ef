package api_test

import (
	"context"
	"testing"
	"time"

	"allot"
)

// TestHome reads each role's home page: a company's own, a partner's
// customers', the vendor's with the desk, and none for a learner.
func TestHome(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a company manager's", request: request{who: "acme-cm", method: "GET", path: "/v1/home"}, status: 200,
				want:    []string{`"company_id":{acme}`, `"orders":{"requested":1,"rejected":0,"orders":[{"id":{acme.order},`, `"waiting":{"learners":0`, `"expired":{"learners":0`},
				notWant: []string{`"use"`, `"desk"`, `"partner_id"`, "Beta", "Globex"}},
			{name: "in manage-company mode, the company's", request: request{who: "pm", method: "GET", path: "/v1/home", headers: map[string]string{"Allot-Company": "{beta}"}}, status: 200,
				want: []string{`"company_id":{beta}`, `"company":"Beta"`}, notWant: []string{"Acme", `"use"`}},
			{name: "a partner manager's", request: request{who: "pm", method: "GET", path: "/v1/home"}, status: 200,
				want: []string{`"partner_id":{partner1}`, `"orders":{"requested":2,`, `"company":"Acme"`, `"company":"Beta"`,
					`"use":{"high":0,"low":3,`},
				notWant: []string{"Globex", "Solo", `"desk"`}},
			{name: "the other partner's", request: request{who: "pm2", method: "GET", path: "/v1/home"}, status: 200,
				want: []string{`"partner_id":{partner2}`, `"company":"Globex"`}, notWant: []string{"Acme", "Beta", "Solo"}},
			{name: "the vendor admin's: direct orders and the desk", request: request{who: "admin", method: "GET", path: "/v1/home"}, status: 200,
				want: []string{`"orders":{"requested":1,"rejected":0,"orders":[{"id":{solo.order},`, `"use":{"high":0,"low":6,`, `"desk":{"breached":0,"near":0,"requests":[]}`}},
			{name: "a support agent's: the desk, no orders", request: request{who: "agent", method: "GET", path: "/v1/home"}, status: 200,
				want: []string{`"desk":`, `"expiring":`}, notWant: []string{`"orders"`}},
			{name: "a learner has none", request: request{who: "acme-learner", method: "GET", path: "/v1/home"}, status: 403,
				want: []string{`"code":"forbidden"`}},
			{name: "signed out", request: request{method: "GET", path: "/v1/home"}, status: 401},
		})
	})
}

// TestRenewals reads the renewal pipeline: a pool of Acme's that ends in
// 30 days, renewed by an order for part of its seats.
func TestRenewals(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		sys := allot.WithPrincipal(context.Background(), allot.System)
		o := must(e.svc.RequestOrder(sys, allot.NewOrder{CompanyID: e.ids["acme"], ProductCode: "premium", Quantity: 2, TermDays: 30}))(t)
		_, p := must2(e.svc.AssignOrder(sys, o.ID))(t)
		e.ids["short"] = p.ID
		for _, email := range []string{"one@acme.test", "two@acme.test"} { // seats of the pool that ends first
			must(e.svc.AddUser(actingIn(e.ids["acme"]), allot.NewUser{Email: email, CompanyID: e.ids["acme"]}))(t)
		}
		e.clock.Advance(time.Minute) // a renewing order comes after the pool started
		e.run(t, []scenario{
			{name: "the partner's pipeline", request: request{who: "pm", method: "GET", path: "/v1/renewals"}, status: 200,
				want: []string{`"total":1`, `"at_risk":2}`, `"pool_id":{short},"company_id":{acme},"company":"Acme","partner_id":{partner1},"partner":"Channel One","product":"premium","quantity":2,"used":2,`,
					`"stage":"none","requested":0,"assigned":0,"at_risk":2`}},
			{name: "a renewal is requested", request: request{who: "pm", method: "POST", path: "/v1/orders", body: `{"company_id":{acme},"product":"premium","quantity":1}`},
				status: 201, keep: map[string]string{"renewal": "id"}},
			{name: "it covers a seat", request: request{who: "pm", method: "GET", path: "/v1/renewals"}, status: 200,
				want: []string{`"stage":"requested","requested":1,"assigned":0,"order_id":{renewal},"at_risk":1`}},
			{name: "its own partner by id", request: request{who: "pm", method: "GET", path: "/v1/renewals?partner_id={partner1}"}, status: 200,
				want: []string{`"total":1`}},
			{name: "another partner is not found", request: request{who: "pm", method: "GET", path: "/v1/renewals?partner_id={partner2}"}, status: 404,
				want: []string{`"code":"not_found"`}},
			{name: "the other partner has none", request: request{who: "pm2", method: "GET", path: "/v1/renewals"}, status: 200,
				want: []string{`"items":[]`, `"total":0`}},
			{name: "the vendor by partner", request: request{who: "am", method: "GET", path: "/v1/renewals?partner_id={partner1}"}, status: 200,
				want: []string{`"company":"Acme"`}},
			{name: "the vendor's direct customers", request: request{who: "admin", method: "GET", path: "/v1/renewals?direct=true"}, status: 200,
				want: []string{`"items":[]`}},
			{name: "a missing partner", request: request{who: "admin", method: "GET", path: "/v1/renewals?partner_id=99999"}, status: 404},
			{name: "a company manager has none", request: request{who: "acme-cm", method: "GET", path: "/v1/renewals"}, status: 403},
			{name: "a bad limit", request: request{who: "pm", method: "GET", path: "/v1/renewals?limit=0"}, status: 422,
				want: []string{`"location":"query.limit"`}},
		})
	})
}
