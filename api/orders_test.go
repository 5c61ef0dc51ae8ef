package api_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestOrders walks orders through their life: requested, then assigned,
// cancelled or rejected, by those who may.
func TestOrders(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a company manager requests licences", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":20,"po_ref":" PO-77 ","note":"for sales"}`},
				status: 201, want: []string{`"company_id":{acme}`, `"partner_id":{partner1}`, `"product_id":{premium}`, `"quantity":20`,
					`"po_ref":"PO-77"`, `"note":"for sales"`, `"term_months":12`, `"status":"requested"`, `"requested_by":{acme-cm}`,
					`"requested_at":"2026-03-02T09:00:00Z"`},
				notWant: []string{`"decided_by"`, `"decided_at"`}, keep: map[string]string{"cm.order": "id"}},
			{name: "a partner manager requests for a customer", request: request{who: "pm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"coaching","quantity":2,"term_days":30}`},
				status: 201, want: []string{`"term_days":30`, `"requested_by":{pm}`}, notWant: []string{`"term_months"`},
				keep: map[string]string{"pm.order": "id"}},
			{name: "an order of six months", request: request{who: "admin", method: "POST", path: "/v1/orders",
				body: `{"company_id":{solo},"product":"premium","quantity":4,"term_months":6}`},
				status: 201, want: []string{`"term_months":6`}, keep: map[string]string{"six.order": "id"}},
			{name: "an order of no licences", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: `{"company_id":{acme},"product":"premium","quantity":0}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.quantity"`}},
			{name: "an order of too many licences", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":1000001}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.quantity"`}},
			{name: "an order of an unknown product", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: `{"company_id":{acme},"product":"nope","quantity":1}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.product"`}},
			{name: "an order with two terms", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":1,"term_months":6,"term_days":30}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.term_days"`}},
			{name: "a term too long", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":1,"term_months":61}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.term_months"`}},
			{name: "an order names its company", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: `{"product":"premium","quantity":1}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body"`, `company_id`}},
			{name: "a company manager orders for no other company", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{globex},"product":"premium","quantity":1}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "another partner orders for no customer of ours", request: request{who: "pm2", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":1}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a learner orders nothing", request: request{who: "acme-learner", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":1}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "an order for a missing company", request: request{who: "admin", method: "POST", path: "/v1/orders",
				body: `{"company_id":999999,"product":"premium","quantity":1}`},
				status: 404, want: []string{`"code":"not_found"`}},

			{name: "a company manager reads an order", request: request{who: "acme-cm", method: "GET", path: "/v1/orders/{cm.order}"},
				status: 200, want: []string{`"id":{cm.order},`}},
			{name: "another company's order reads as not found", request: request{who: "globex-cm", method: "GET", path: "/v1/orders/{cm.order}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a learner reads no order", request: request{who: "acme-learner", method: "GET", path: "/v1/orders/{cm.order}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing order", request: request{who: "admin", method: "GET", path: "/v1/orders/999999"},
				status: 404, want: []string{`"code":"not_found"`}},

			{name: "a company manager may not assign", request: request{who: "acme-cm", method: "POST", path: "/v1/orders/{cm.order}/assign"},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "another partner's manager sees no such order", request: request{who: "pm2", method: "POST", path: "/v1/orders/{cm.order}/assign"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a partner manager may not assign a direct customer's order", request: request{who: "pm", method: "POST", path: "/v1/orders/{six.order}/assign"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a support agent may not assign", request: request{who: "agent", method: "POST", path: "/v1/orders/{cm.order}/assign"},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a missing order is not assigned", request: request{who: "admin", method: "POST", path: "/v1/orders/999999/assign"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the partner manager assigns: the pool starts now for 12 months", request: request{who: "pm", method: "POST", path: "/v1/orders/{cm.order}/assign"},
				status: 200, want: []string{`"status":"assigned"`, `"decided_by":{pm}`, `"decided_at":"2026-03-02T09:00:00Z"`,
					`"order_id":{cm.order}`, `"bought":20`, `"free":20`, `"starts_at":"2026-03-02T09:00:00Z","ends_at":"2027-03-02T09:00:00Z"`}},
			{name: "an assigned order is assigned once", request: request{who: "pm", method: "POST", path: "/v1/orders/{cm.order}/assign"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "the pool of a 30-day order", request: request{who: "pm", method: "POST", path: "/v1/orders/{pm.order}/assign"},
				status: 200, want: []string{`"ends_at":"2026-04-01T09:00:00Z"`}},
			{name: "an account manager assigns a direct customer's 6-month order", request: request{who: "am", method: "POST", path: "/v1/orders/{six.order}/assign"},
				status: 200, want: []string{`"decided_by":{am}`, `"ends_at":"2026-09-02T09:00:00Z"`}},

			{name: "a request to cancel", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":1}`},
				status: 201, keep: map[string]string{"mine": "id"}},
			{name: "a company manager may not cancel the partner's request", request: request{who: "acme-cm", method: "POST", path: "/v1/orders/{acme.order}/cancel"},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "the requester cancels", request: request{who: "acme-cm", method: "POST", path: "/v1/orders/{mine}/cancel"},
				status: 200, want: []string{`"status":"cancelled"`, `"decided_by":{acme-cm}`}},
			{name: "a cancelled order is cancelled once", request: request{who: "acme-cm", method: "POST", path: "/v1/orders/{mine}/cancel"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "a cancelled order is not assigned", request: request{who: "pm", method: "POST", path: "/v1/orders/{mine}/assign"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "an assigned order is not cancelled", request: request{who: "pm", method: "POST", path: "/v1/orders/{cm.order}/cancel"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "the partner's manager cancels a customer's order", request: request{who: "pm", method: "POST", path: "/v1/orders/{acme.order}/cancel"},
				status: 200, want: []string{`"status":"cancelled"`, `"decided_by":{pm}`}},
			{name: "another company's order is not cancelled", request: request{who: "acme-cm", method: "POST", path: "/v1/orders/{globex.order}/cancel"},
				status: 404, want: []string{`"code":"not_found"`}},

			{name: "a reason is required to reject", request: request{who: "pm2", method: "POST", path: "/v1/orders/{globex.order}/reject", body: `{"reason":""}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.reason"`}},
			{name: "a blank reason is none", request: request{who: "pm2", method: "POST", path: "/v1/orders/{globex.order}/reject", body: `{"reason":"  "}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.reason"`}},
			{name: "a company manager may not reject", request: request{who: "globex-cm", method: "POST", path: "/v1/orders/{globex.order}/reject", body: `{"reason":"no"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "the partner's manager rejects", request: request{who: "pm2", method: "POST", path: "/v1/orders/{globex.order}/reject",
				body: `{"reason":"More seats than the contract allows"}`},
				status: 200, want: []string{`"status":"rejected"`, `"reason":"More seats than the contract allows"`, `"decided_by":{pm2}`}},
			{name: "a rejected order is not assigned", request: request{who: "admin", method: "POST", path: "/v1/orders/{globex.order}/assign"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "an assigned order is not rejected", request: request{who: "pm", method: "POST", path: "/v1/orders/{cm.order}/reject", body: `{"reason":"late"}`},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "a missing order is not rejected", request: request{who: "admin", method: "POST", path: "/v1/orders/999999/reject", body: `{"reason":"late"}`},
				status: 404, want: []string{`"code":"not_found"`}},
		})
	})
}

// TestOrderFilters lists orders by status, company, product, purchase
// order, requester, date and text, in both orders.
func TestOrderFilters(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		// At t0 the env holds, per company, the assigned order of its pool
		// (C.pool.order) and a requested one (C.order), and the assigned
		// orders of acme's and globex's coaching pools. Each day after, one
		// more order.
		day := func(n int) { e.clock.Set(t0.Add(time.Duration(n) * 24 * time.Hour)) }
		day(1)
		e.run(t, []scenario{{name: "day 1: the company manager orders coaching", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
			body: `{"company_id":{acme},"product":"coaching","quantity":3,"po_ref":"PO-A1","note":"Rollout wave 2"}`},
			status: 201, keep: map[string]string{"o1": "id"}}})
		day(2)
		e.run(t, []scenario{
			{name: "day 2: the partner orders, then rejects", request: request{who: "pm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{acme},"product":"premium","quantity":7,"po_ref":"PO-A2"}`},
				status: 201, keep: map[string]string{"o2": "id"}},
			{name: "rejected", request: request{who: "pm", method: "POST", path: "/v1/orders/{o2}/reject", body: `{"reason":"duplicate"}`}, status: 200},
		})
		day(3)
		e.run(t, []scenario{
			{name: "day 3: globex orders, then cancels", request: request{who: "globex-cm", method: "POST", path: "/v1/orders",
				body: `{"company_id":{globex},"product":"premium","quantity":2,"po_ref":"PO-G1"}`},
				status: 201, keep: map[string]string{"o3": "id"}},
			{name: "cancelled", request: request{who: "globex-cm", method: "POST", path: "/v1/orders/{o3}/cancel"}, status: 200},
			{name: "and acme's first request is assigned", request: request{who: "pm", method: "POST", path: "/v1/orders/{acme.order}/assign"}, status: 200},
		})

		atT0 := []string{"globex.coaching.order", "acme.coaching.order", "solo.order", "solo.pool.order", "globex.order", "globex.pool.order",
			"beta.order", "beta.pool.order", "acme.order", "acme.pool.order"}
		all := append([]string{"o3", "o2", "o1"}, atT0...)
		admin := func(name, query string, status int, ids ...string) scenario {
			return scenario{name: name, request: request{who: "admin", method: "GET", path: "/v1/orders" + query}, status: status, check: e.wantIDs(ids...)}
		}
		e.run(t, []scenario{
			admin("every order, newest first", "", 200, all...),
			admin("oldest first", "?sort=oldest", 200, reversed(all)...),
			admin("requested", "?status=requested", 200, "o1", "solo.order", "globex.order", "beta.order"),
			admin("cancelled or rejected", "?status=cancelled,rejected", 200, "o3", "o2"),
			admin("statuses with spaces and an empty one", "?status=%20rejected%20,,cancelled", 200, "o3", "o2"),
			admin("assigned", "?status=assigned", 200, "globex.coaching.order", "acme.coaching.order", "solo.pool.order", "globex.pool.order",
				"beta.pool.order", "acme.order", "acme.pool.order"),
			admin("one company", "?company_id={globex}", 200, "o3", "globex.coaching.order", "globex.order", "globex.pool.order"),
			admin("one product", "?product=coaching", 200, "o1", "globex.coaching.order", "acme.coaching.order"),
			admin("one purchase order, exactly", "?po_ref=PO-A1", 200, "o1"),
			admin("a purchase-order reference is not searched by prefix", "?po_ref=PO-A", 200),
			admin("one requester", "?requested_by={acme-cm}", 200, "o1"),
			admin("another requester", "?requested_by={pm}", 200, "o2"),
			admin("from a day, before the next", "?from=2026-03-03T09:00:00Z&to=2026-03-04T09:00:00Z", 200, "o1"),
			admin("from day 2", "?from=2026-03-04T00:00:00Z", 200, "o3", "o2"),
			admin("before day 1", "?to=2026-03-03T00:00:00Z", 200, atT0...),
			admin("text in the note, any case", "?q=ROLLOUT", 200, "o1"),
			admin("text in the company's name", "?q=globex", 200, "o3", "globex.coaching.order", "globex.order", "globex.pool.order"),
			admin("text in the purchase-order reference", "?q=po-g", 200, "o3", "globex.order"),
			admin("a percent sign is only a percent sign", "?q=%25", 200),
			admin("filters together", "?company_id={acme}&status=requested,rejected&product=premium&sort=oldest", 200, "o2"),

			{name: "a partner manager sees their customers' orders", request: request{who: "pm", method: "GET", path: "/v1/orders"},
				status: 200, check: e.wantIDs("o2", "o1", "acme.coaching.order", "beta.order", "beta.pool.order", "acme.order", "acme.pool.order")},
			{name: "a partner manager asking for another partner's customer gets nothing", request: request{who: "pm", method: "GET", path: "/v1/orders?company_id={globex}"},
				status: 200, want: []string{`"items":[]`}},
			{name: "a company manager sees their company's orders", request: request{who: "globex-cm", method: "GET", path: "/v1/orders"},
				status: 200, check: e.wantIDs("o3", "globex.coaching.order", "globex.order", "globex.pool.order")},
			{name: "a partner manager in manage-company mode sees that company's", request: request{who: "pm", method: "GET", path: "/v1/orders?status=requested",
				headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 200, check: e.wantIDs("o1")},
			{name: "a learner lists no orders", request: request{who: "acme-learner", method: "GET", path: "/v1/orders"},
				status: 403, want: []string{`"code":"forbidden"`}},

			{name: "an unknown status", request: request{who: "admin", method: "GET", path: "/v1/orders?status=lapsed"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.status"`}},
			{name: "an unknown status among known ones", request: request{who: "admin", method: "GET", path: "/v1/orders?status=requested,lapsed"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.status"`}},
			{name: "an unknown product", request: request{who: "admin", method: "GET", path: "/v1/orders?product=nope"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.product"`}},
			{name: "an unknown sort", request: request{who: "admin", method: "GET", path: "/v1/orders?sort=cheapest"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.sort"`}},
			{name: "a date that is not one", request: request{who: "admin", method: "GET", path: "/v1/orders?from=yesterday"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.from"`}},
			{name: "a cursor that is not one", request: request{who: "admin", method: "GET", path: "/v1/orders?cursor=abc"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.cursor"`}},
			{name: "a page of none", request: request{who: "admin", method: "GET", path: "/v1/orders?limit=0"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.limit"`}},
		})

		for _, sort := range []string{"newest", "oldest"} {
			t.Run("paging "+sort+" first", func(t *testing.T) {
				want := make([]int64, len(all))
				for i, n := range all {
					want[i] = e.ids[n]
				}
				if sort == "oldest" {
					slices.Reverse(want)
				}
				got := e.follow(t, "admin", "/v1/orders?sort="+sort+"&limit=2")
				if !slices.Equal(got, want) {
					t.Errorf("pages hold %v, want %v", got, want)
				}
			})
		}
	})
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// follow reads every page of a list from path (which sets a limit),
// following next until it is absent, and returns the ids in the order read.
// A page is full until the last one, and no id comes twice.
func (e *env) follow(t *testing.T, who, path string) []int64 {
	t.Helper()
	var (
		all    []int64
		seen   = map[int64]bool{}
		cursor string
	)
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("more than 100 pages of %s", path)
		}
		p := path
		if cursor != "" {
			p += "&cursor=" + cursor
		}
		res, body := e.do(request{who: who, method: "GET", path: p})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", p, res.StatusCode, body)
		}
		var page struct {
			Next string `json:"next"`
		}
		decode(t, body, &page)
		ids := itemIDs(t, body)
		for _, id := range ids {
			if seen[id] {
				t.Errorf("id %d again on page %d", id, pages+1)
			}
			seen[id] = true
		}
		all = append(all, ids...)
		if page.Next == "" {
			return all
		}
		if len(ids) == 0 {
			t.Fatalf("an empty page with a next cursor %q", page.Next)
		}
		cursor = page.Next
	}
}
