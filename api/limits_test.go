package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestLimits checks the bounds of bodies, pages and query values.
func TestLimits(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		order := `{"company_id":{acme},"product":"premium","quantity":1,"note":"big"}`
		big := order[:len(order)-1] + strings.Repeat(" ", 1<<20) + "}"
		e.run(t, []scenario{
			{name: "a body of more than 1 MiB", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: big},
				status: 413, want: []string{`"status":413`, `"code":"invalid"`}},
			{name: "with an Idempotency-Key too", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: big,
				headers: map[string]string{"Idempotency-Key": "big"}},
				status: 413, want: []string{`"status":413`, `"code":"invalid"`}},
			{name: "a PATCH of more than 1 MiB", request: request{who: "admin", method: "PATCH", path: "/v1/companies/{acme}",
				body: `{"suspended":true` + strings.Repeat(" ", 1<<20) + `}`},
				status: 413, want: []string{`"status":413`, `"code":"invalid"`}},
			{name: "nothing was ordered", request: request{who: "acme-cm", method: "GET", path: "/v1/orders?requested_by={acme-cm}"},
				status: 200, want: []string{`"items":[]`}},
			{name: "the company was not suspended", request: request{who: "admin", method: "GET", path: "/v1/companies/{acme}"},
				status: 200, want: []string{`"suspended":false`}},
			{name: "a body just under 1 MiB is read", request: request{who: "acme-cm", method: "POST", path: "/v1/orders",
				body: order[:len(order)-1] + strings.Repeat(" ", 1<<20-len(order)-20) + "}"},
				status: 201},

			{name: "an unknown order status", request: request{who: "admin", method: "GET", path: "/v1/orders?status=lapsed"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.status"`}},
			{name: "an unknown licence status", request: request{who: "admin", method: "GET", path: "/v1/companies/{acme}/users?status=lapsed"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.status"`}},
			{name: "a limit that is not a number", request: request{who: "admin", method: "GET", path: "/v1/orders?limit=ten"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.limit"`}},
		})
		var scenarios []scenario
		for _, list := range []string{"/v1/orders", "/v1/seats", "/v1/partners", "/v1/companies", "/v1/companies/{acme}/users", "/v1/audit"} {
			scenarios = append(scenarios,
				scenario{name: list + " pages at most 500", request: request{who: "admin", method: "GET", path: list + "?limit=501"},
					status: 422, want: []string{`"code":"invalid"`, `"location":"query.limit"`}},
				scenario{name: list + " pages 500", request: request{who: "admin", method: "GET", path: list + "?limit=500"},
					status: 200, want: []string{`"items":[`}},
				scenario{name: list + " pages at least 1", request: request{who: "admin", method: "GET", path: list + "?limit=0"},
					status: 422, want: []string{`"code":"invalid"`, `"location":"query.limit"`}},
				scenario{name: list + " takes only its own cursors", request: request{who: "admin", method: "GET", path: list + "?cursor=x1"},
					status: 422, want: []string{`"code":"invalid"`, `"location":"query.cursor"`}},
			)
		}
		e.run(t, scenarios)
	})
}

// TestPaging follows the next cursor of members, seats, partners and
// companies to the end.
func TestPaging(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		var scenarios []scenario
		for i := range 7 {
			scenarios = append(scenarios, scenario{name: "a learner", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: fmt.Sprintf(`{"email":"l%d@acme.test"}`, i)}, status: 201})
		}
		e.run(t, scenarios)
		for _, c := range []struct {
			name, who, path string
			size            int
		}{
			{"members", "acme-cm", "/v1/companies/{acme}/users?role=learner", 2},
			{"active members", "acme-cm", "/v1/companies/{acme}/users?status=active", 3},
			{"seats", "acme-cm", "/v1/seats?company_id={acme}", 2},
			{"the vendor's seats", "admin", "/v1/seats?held=true", 4},
		} {
			t.Run(c.name, func(t *testing.T) {
				all := itemIDs(t, onePage(t, e, c.who, c.path+"&limit=500"))
				if len(all) < 8 {
					t.Fatalf("only %d items", len(all))
				}
				got := e.follow(t, c.who, fmt.Sprintf("%s&limit=%d", c.path, c.size))
				if !slices.Equal(got, all) {
					t.Errorf("pages hold %v, want %v", got, all)
				}
				if !slices.IsSorted(got) {
					t.Errorf("not in ID order: %v", got)
				}
			})
		}
		for _, list := range []string{"/v1/partners", "/v1/companies"} {
			t.Run(list+", by name", func(t *testing.T) {
				var scenarios []scenario
				for _, name := range []string{"Zeta Mills", "Alpha Foods", "Mid Corp", "Alpha Foods", "Beta Ltd", "Omega Inc"} {
					scenarios = append(scenarios, scenario{name: "one more", request: request{who: "admin", method: "POST", path: list,
						body: fmt.Sprintf(`{"name":%q}`, name)}, status: 201})
				}
				e.run(t, scenarios)
				all := itemIDs(t, onePage(t, e, "admin", list+"?limit=500"))
				if len(all) < 8 {
					t.Fatalf("only %d items", len(all))
				}
				for _, size := range []int{1, 3} {
					if got := e.follow(t, "admin", fmt.Sprintf("%s?limit=%d", list, size)); !slices.Equal(got, all) {
						t.Errorf("pages of %d hold %v, want %v", size, got, all)
					}
				}
			})
		}
	})
}
