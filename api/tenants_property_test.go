package api_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"allot"
	"allot/storetest"

	"pgregory.net/rapid"
)

// The two-tenant property: two companies of two partners, each worked by
// its own managers through the API with a random sequence of operations;
// afterwards no read by one tenant holds anything of the other (or of any
// tenant but itself), and every operation that names the other tenant's
// ids is answered 404.
//
// Each check makes two fresh tenants in one env per backend, runs 1 to 16
// operations, then reads everything as three readers per tenant. With the
// 20 checks it runs by default (-rapid.checks or RAPID_CHECKS ask for
// another number) it takes about 1 s on SQLite and 3 to 5 s on PostgreSQL;
// 100 checks take about 4 s and 19 s.
func TestTwoTenantsNeverSeeEachOther(t *testing.T) {
	boundChecks(t, 20)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		e := newEnv(t, b)
		n := 0
		rapid.Check(t, func(rt *rapid.T) {
			n++
			w := [2]*tenant{newTenant(t, e, fmt.Sprintf("a%d", n)), newTenant(t, e, fmt.Sprintf("b%d", n))}
			steps := rapid.IntRange(1, 16).Draw(rt, "steps")
			for range steps {
				side := rapid.IntRange(0, 1).Draw(rt, "tenant")
				op := rapid.SampledFrom(slices.Sorted(maps.Keys(tenantOps))).Draw(rt, "op")
				tenantOps[op](rt, e, w[side], w[1-side])
			}
			for side := range 2 {
				w[side].checkReads(rt, e, w[1-side])
			}
		})
	})
}

// boundChecks makes rapid run n checks in this test, unless -rapid.checks
// or RAPID_CHECKS ask for a number.
func boundChecks(t *testing.T, n int) {
	asked := false
	flag.Visit(func(f *flag.Flag) { asked = asked || f.Name == "rapid.checks" })
	if _, env := os.LookupEnv("RAPID_CHECKS"); asked || env {
		return
	}
	f := flag.Lookup("rapid.checks")
	before := f.Value.String()
	if err := f.Value.Set(strconv.Itoa(n)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(before) })
}

// tenant is a partner with one customer company, its partner manager and
// the company's manager, and what the operations made for it.
type tenant struct {
	name             string // the e-mail domain of its people is name.test
	partner, company int64
	pm, cm           string // people of the env
	users, orders    []int64
	pools, seats     []int64
	next             int
}

func newTenant(t *testing.T, e *env, name string) *tenant {
	sys := allot.WithPrincipal(context.Background(), allot.System)
	w := &tenant{name: name, pm: name + "-pm", cm: name + "-cm"}
	p := must(e.svc.CreatePartner(sys, allot.Partner{Name: name}))(t)
	w.partner = p.ID
	pm := must(e.svc.CreateStaff(sys, allot.NewUser{Email: "pm@" + name + ".test", Role: allot.RolePartnerManager, PartnerID: p.ID}))(t)
	e.person(w.pm, pm)
	c, _ := must2(e.svc.CreateCompany(sys, allot.NewCompany{Name: name, PartnerID: p.ID, DefaultProductCode: "premium"}))(t)
	w.company = c.ID
	cm := must(e.svc.AddUser(sys, allot.NewUser{Email: "cm@" + name + ".test", Role: allot.RoleCompanyManager, CompanyID: c.ID}))(t)
	e.person(w.cm, cm)
	return w
}

// manager returns a request as one of w's managers with a manager's rights
// in its company: its company manager, or its partner manager in
// manage-company mode.
func (w *tenant) manager(rt *rapid.T, method, path, body string) request {
	r := request{who: w.cm, method: method, path: path, body: body}
	if rapid.Bool().Draw(rt, "as partner") {
		r.who, r.headers = w.pm, map[string]string{"Allot-Company": strconv.FormatInt(w.company, 10)}
	}
	return r
}

// send sends r and checks that its status is one of want.
func sendAs(rt *rapid.T, e *env, r request, want ...int) (int, string) {
	res, body := e.do(r)
	if !slices.Contains(want, res.StatusCode) {
		rt.Fatalf("%s %s as %s: %d, want one of %v\n%s", r.method, r.path, r.who, res.StatusCode, want, body)
	}
	return res.StatusCode, body
}

// tenantTruth is what the store holds of a tenant, read around the service.
type tenantTruth struct {
	users, orders, pools, seats, tokens []int64 // users: of the company and of the partner
	members                             []int64 // users of the company, removed or not
	live                                []int64 // users of the company not removed
}

func (w *tenant) tenantTruth(rt *rapid.T, e *env) tenantTruth {
	var tr tenantTruth
	err := e.db.Read(context.Background(), func(tx allot.Tx) error {
		us, err := tx.Users(allot.UserFilter{CompanyID: w.company, IncludeRemoved: true, Limit: allot.MaxLimit})
		if err != nil {
			return err
		}
		pms, err := tx.Users(allot.UserFilter{PartnerID: w.partner, Limit: allot.MaxLimit})
		if err != nil {
			return err
		}
		for _, u := range append(us, pms...) {
			tr.users = append(tr.users, u.ID)
			if u.CompanyID != 0 {
				tr.members = append(tr.members, u.ID)
			}
			if u.RemovedAt.IsZero() && u.CompanyID != 0 {
				tr.live = append(tr.live, u.ID)
			}
			ts, err := tx.Tokens(u.ID)
			if err != nil {
				return err
			}
			for _, tok := range ts {
				tr.tokens = append(tr.tokens, tok.ID)
			}
		}
		os, err := tx.Orders(allot.OrderFilter{CompanyID: w.company, Limit: allot.MaxLimit})
		for _, o := range os {
			tr.orders = append(tr.orders, o.ID)
		}
		if err != nil {
			return err
		}
		ps, err := tx.Pools(allot.PoolFilter{CompanyID: w.company})
		for _, p := range ps {
			tr.pools = append(tr.pools, p.ID)
		}
		if err != nil {
			return err
		}
		ss, err := tx.Seats(allot.SeatFilter{CompanyID: w.company, Limit: allot.MaxLimit})
		for _, s := range ss {
			tr.seats = append(tr.seats, s.ID)
		}
		return err
	})
	if err != nil {
		rt.Fatal(err)
	}
	return tr
}

// tenantOps are the operations of a tenant w's managers, by name; other is
// the other tenant.
var tenantOps = map[string]func(rt *rapid.T, e *env, w, other *tenant){
	"add learner": func(rt *rapid.T, e *env, w, _ *tenant) {
		w.next++
		_, body := sendAs(rt, e, w.manager(rt, "POST", fmt.Sprintf("/v1/companies/%d/users", w.company),
			fmt.Sprintf(`{"email":"u%d@%s.test"}`, w.next, w.name)), http.StatusCreated)
		w.users = append(w.users, jsonNum(rt, body, "id"))
	},
	"order and assign": func(rt *rapid.T, e *env, w, _ *tenant) {
		q := rapid.IntRange(1, 3).Draw(rt, "quantity")
		_, body := sendAs(rt, e, w.manager(rt, "POST", "/v1/orders",
			fmt.Sprintf(`{"company_id":%d,"product":"premium","quantity":%d}`, w.company, q)), http.StatusCreated)
		id := jsonNum(rt, body, "id")
		w.orders = append(w.orders, id)
		_, body = sendAs(rt, e, request{who: w.pm, method: "POST", path: fmt.Sprintf("/v1/orders/%d/assign", id)}, http.StatusOK)
		w.pools = append(w.pools, jsonNum(rt, body, "pool.id"))
	},
	"allocate": func(rt *rapid.T, e *env, w, _ *tenant) {
		users := w.tenantTruth(rt, e).live
		u := rapid.SampledFrom(users).Draw(rt, "user")
		status, body := sendAs(rt, e, w.manager(rt, "POST", "/v1/seats", fmt.Sprintf(`{"user_id":%d,"product":"premium"}`, u)),
			http.StatusCreated, http.StatusConflict, http.StatusUnprocessableEntity)
		if status == http.StatusCreated {
			w.seats = append(w.seats, jsonNum(rt, body, "id"))
		}
	},
	"release": func(rt *rapid.T, e *env, w, _ *tenant) {
		seats := w.tenantTruth(rt, e).seats
		if len(seats) == 0 {
			return
		}
		s := rapid.SampledFrom(seats).Draw(rt, "seat")
		sendAs(rt, e, w.manager(rt, "POST", fmt.Sprintf("/v1/seats/%d/release", s), `{"reason":"other"}`), http.StatusOK, http.StatusConflict)
	},
	"reallocate": func(rt *rapid.T, e *env, w, _ *tenant) {
		tr := w.tenantTruth(rt, e)
		if len(tr.seats) == 0 {
			return
		}
		s := rapid.SampledFrom(tr.seats).Draw(rt, "seat")
		u := rapid.SampledFrom(tr.live).Draw(rt, "user")
		status, body := sendAs(rt, e, w.manager(rt, "POST", fmt.Sprintf("/v1/seats/%d/reallocate", s), fmt.Sprintf(`{"user_id":%d}`, u)),
			http.StatusOK, http.StatusConflict, http.StatusUnprocessableEntity)
		if status == http.StatusOK {
			w.seats = append(w.seats, jsonNum(rt, body, "id"))
		}
	},
	"remove": func(rt *rapid.T, e *env, w, _ *tenant) {
		if len(w.users) == 0 {
			return
		}
		u := rapid.SampledFrom(w.users).Draw(rt, "user")
		sendAs(rt, e, w.manager(rt, "DELETE", fmt.Sprintf("/v1/users/%d", u), ""), http.StatusOK, http.StatusNotFound)
	},
	"touch the other tenant": func(rt *rapid.T, e *env, w, other *tenant) {
		tr := other.tenantTruth(rt, e)
		var reqs []request
		for _, u := range tr.live {
			reqs = append(reqs,
				w.manager(rt, "GET", fmt.Sprintf("/v1/users/%d", u), ""),
				w.manager(rt, "DELETE", fmt.Sprintf("/v1/users/%d", u), ""),
				w.manager(rt, "POST", "/v1/seats", fmt.Sprintf(`{"user_id":%d,"product":"premium"}`, u)))
		}
		for _, o := range tr.orders {
			reqs = append(reqs, w.manager(rt, "GET", fmt.Sprintf("/v1/orders/%d", o), ""),
				request{who: w.pm, method: "POST", path: fmt.Sprintf("/v1/orders/%d/cancel", o)})
		}
		for _, s := range tr.seats {
			reqs = append(reqs, w.manager(rt, "POST", fmt.Sprintf("/v1/seats/%d/release", s), `{"reason":"other"}`))
		}
		for _, p := range tr.pools {
			reqs = append(reqs, w.manager(rt, "GET", fmt.Sprintf("/v1/seats?company_id=%d&pool_id=%d", other.company, p), ""),
				w.manager(rt, "POST", fmt.Sprintf("/v1/companies/%d/renewals", w.company), fmt.Sprintf(`{"product":"premium","all":true,"pool_id":%d}`, p)))
		}
		reqs = append(reqs, w.manager(rt, "POST", fmt.Sprintf("/v1/companies/%d/users", other.company), `{"email":"intruder@x.test"}`))
		sendAs(rt, e, rapid.SampledFrom(reqs).Draw(rt, "request"), http.StatusNotFound)
	},
}

// checkReads reads everything w's managers may read and checks that it is
// all w's, and none of it other's.
func (w *tenant) checkReads(rt *rapid.T, e *env, other *tenant) {
	mine, theirs := w.tenantTruth(rt, e), other.tenantTruth(rt, e)
	for _, id := range w.users {
		if !slices.Contains(mine.users, id) {
			rt.Fatalf("user %d made for %s is not in its company", id, w.name)
		}
	}
	ownEmail := regexp.MustCompile(`[a-z0-9.+-]+@([a-z0-9.-]+)`)
	readers := []request{
		{who: w.cm},
		{who: w.pm},
		{who: w.pm, headers: map[string]string{"Allot-Company": strconv.FormatInt(w.company, 10)}},
	}
	for _, reader := range readers {
		read := func(path string, want int) []map[string]any {
			r := reader
			r.method, r.path = "GET", path
			res, body := e.do(r)
			if res.StatusCode != want {
				rt.Fatalf("GET %s as %s: %d, want %d\n%s", path, r.who, res.StatusCode, want, body)
			}
			for _, m := range ownEmail.FindAllStringSubmatch(body, -1) {
				if m[1] != w.name+".test" {
					rt.Fatalf("GET %s as %s of %s shows %s\n%s", path, r.who, w.name, m[0], body)
				}
			}
			if want != http.StatusOK || strings.HasPrefix(path, "/v1/users/") || strings.HasPrefix(path, "/v1/orders/") {
				return nil
			}
			return listItems(rt, body)
		}
		// in checks that the field of every item is one of w's things and
		// none of other's: those made for it by the operations, and those
		// the store holds.
		in := func(list string, its []map[string]any, field string, own, othersMade, others []int64) {
			for _, it := range its {
				v := jsonAt(it, field)
				if v == 0 && field != "id" && field != "user.id" {
					continue
				}
				if !slices.Contains(own, v) || slices.Contains(others, v) || slices.Contains(othersMade, v) {
					rt.Fatalf("%s as %s of %s: %s %d is not %s's: %v", list, reader.who, w.name, field, v, w.name, it)
				}
			}
		}
		company := []int64{w.company}
		partner := []int64{w.partner}
		members := read(fmt.Sprintf("/v1/companies/%d/users?limit=500", w.company), http.StatusOK)
		in("members", members, "user.id", mine.users, other.users, theirs.users)
		in("members", members, "user.company_id", company, nil, []int64{other.company})
		in("members", members, "seat.id", mine.seats, other.seats, theirs.seats)
		in("members", members, "seat.pool_id", mine.pools, other.pools, theirs.pools)
		var listed []int64
		for _, m := range members {
			listed = append(listed, jsonAt(m, "user.id"))
		}
		if !sameSet(listed, mine.live) {
			rt.Fatalf("members of %s as %s: %v, want %v", w.name, reader.who, listed, mine.live)
		}

		orders := read("/v1/orders?limit=500", http.StatusOK)
		in("orders", orders, "id", mine.orders, other.orders, theirs.orders)
		in("orders", orders, "company_id", company, nil, []int64{other.company})
		in("orders", orders, "partner_id", partner, nil, []int64{other.partner})
		in("orders", orders, "requested_by", mine.users, other.users, theirs.users)
		if len(orders) != len(mine.orders) {
			rt.Fatalf("orders of %s as %s: %d, want %d", w.name, reader.who, len(orders), len(mine.orders))
		}

		pools := read(fmt.Sprintf("/v1/companies/%d/pools", w.company), http.StatusOK)
		in("pools", pools, "id", mine.pools, other.pools, theirs.pools)
		in("pools", pools, "order_id", mine.orders, other.orders, theirs.orders)

		seats := read(fmt.Sprintf("/v1/seats?limit=500&company_id=%d", w.company), http.StatusOK)
		in("seats", seats, "id", mine.seats, other.seats, theirs.seats)
		in("seats", seats, "pool_id", mine.pools, other.pools, theirs.pools)
		in("seats", seats, "user_id", mine.users, other.users, theirs.users)
		in("seats", seats, "company_id", company, nil, []int64{other.company})

		for _, q := range append(append([]string{}, prefixedIDs("pool_id", theirs.pools)...), prefixedIDs("user_id", theirs.users)...) {
			seats := read(fmt.Sprintf("/v1/seats?limit=500&company_id=%d&%s", w.company, q), http.StatusOK)
			if len(seats) != 0 {
				rt.Fatalf("seats of %s's %s listed to %s: %v", other.name, q, reader.who, seats)
			}
		}

		expired := read(fmt.Sprintf("/v1/companies/%d/expired?product=premium", w.company), http.StatusOK)
		in("expired", expired, "id", mine.users, other.users, theirs.users)

		events := read("/v1/audit?limit=500", http.StatusOK)
		in("audit", events, "company_id", company, nil, []int64{other.company})
		in("audit", events, "partner_id", partner, nil, []int64{other.partner})
		in("audit", events, "actor_id", mine.users, other.users, theirs.users)
		for _, ev := range events {
			subject, known := map[string][2][]int64{
				"user": {mine.users, theirs.users}, "order": {mine.orders, theirs.orders}, "seat": {mine.seats, theirs.seats},
				"token": {mine.tokens, theirs.tokens}, "company": {company, {other.company}}, "partner": {partner, {other.partner}},
			}[fmt.Sprint(ev["subject_type"])]
			if known {
				in("audit", []map[string]any{ev}, "subject_id", subject[0], nil, subject[1])
			}
		}

		companies := read("/v1/companies", http.StatusOK)
		in("companies", companies, "id", company, nil, []int64{other.company})
		if reader.who == w.pm && reader.headers == nil {
			in("partners", read("/v1/partners", http.StatusOK), "id", partner, nil, []int64{other.partner})
		}

		for _, u := range theirs.users {
			read(fmt.Sprintf("/v1/users/%d", u), http.StatusNotFound)
		}
		for _, u := range mine.members {
			read(fmt.Sprintf("/v1/users/%d", u), http.StatusOK)
		}
		for _, o := range theirs.orders {
			read(fmt.Sprintf("/v1/orders/%d", o), http.StatusNotFound)
		}
		for _, path := range []string{"/v1/companies/%d", "/v1/companies/%d/users", "/v1/companies/%d/pools", "/v1/seats?company_id=%d",
			"/v1/companies/%d/expired?product=premium", "/v1/audit?company_id=%d"} {
			read(fmt.Sprintf(path, other.company), http.StatusNotFound)
		}
	}
}

// prefixed returns name=id for each id.
func prefixedIDs(name string, ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("%s=%d", name, id)
	}
	return out
}

// jsonNum returns the number at a dotted path of a JSON object.
func jsonNum(rt *rapid.T, body, path string) int64 {
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		rt.Fatalf("decode %s: %v", body, err)
	}
	n := jsonAt(v, path)
	if n == 0 {
		rt.Fatalf("no %s in %s", path, body)
	}
	return n
}
