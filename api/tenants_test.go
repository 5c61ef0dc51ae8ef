package api_test

import (
	"net/http"
	"testing"
	"time"
)

func TestPartners(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "the admin lists every partner", request: request{who: "admin", method: "GET", path: "/v1/partners"},
				status: 200, want: []string{`"id":{partner1},"name":"Channel One"`, `"id":{partner2},"name":"Channel Two"`}},
			{name: "a partner manager lists their own partner only", request: request{who: "pm", method: "GET", path: "/v1/partners"},
				status: 200, want: []string{`"name":"Channel One"`}, notWant: []string{`"Channel Two"`}},
			{name: "a company manager may not list partners", request: request{who: "acme-cm", method: "GET", path: "/v1/partners"},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a learner may not list partners", request: request{who: "acme-learner", method: "GET", path: "/v1/partners"},
				status: 403, want: []string{`"code":"forbidden"`}},

			{name: "the admin adds a partner owned by an account manager", request: request{who: "admin", method: "POST", path: "/v1/partners",
				body: `{"name":"Northwind","account_manager_id":{am}}`},
				status: 201, want: []string{`"name":"Northwind"`, `"account_manager_id":{am}`}, keep: map[string]string{"northwind": "id"}},
			{name: "an account manager adds a partner", request: request{who: "am", method: "POST", path: "/v1/partners", body: `{"name":"Southwind"}`},
				status: 201, want: []string{`"name":"Southwind"`}, notWant: []string{`"account_manager_id"`}},
			{name: "a support agent may not add a partner", request: request{who: "agent", method: "POST", path: "/v1/partners", body: `{"name":"Eastwind"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a partner manager may not add a partner", request: request{who: "pm", method: "POST", path: "/v1/partners", body: `{"name":"Eastwind"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a partner needs a name", request: request{who: "admin", method: "POST", path: "/v1/partners", body: `{"name":""}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.name"`}},
			{name: "a blank name is no name", request: request{who: "admin", method: "POST", path: "/v1/partners", body: `{"name":"   "}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.name"`}},
			{name: "the account manager must be vendor staff", request: request{who: "admin", method: "POST", path: "/v1/partners",
				body: `{"name":"Eastwind","account_manager_id":{acme-cm}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.account_manager_id"`}},
			{name: "an unknown field is refused", request: request{who: "admin", method: "POST", path: "/v1/partners", body: `{"name":"Eastwind","colour":"red"}`},
				status: 422, want: []string{`"code":"invalid"`}},
			{name: "a partner whose body is not JSON", request: request{who: "admin", method: "POST", path: "/v1/partners", body: `{"name":`},
				status: 400, want: []string{`"code":"invalid"`}},
			{name: "partners of one account manager", request: request{who: "admin", method: "GET", path: "/v1/partners?account_manager_id={am}"},
				status: 200, check: e.wantIDs("northwind")},

			{name: "a partner manager reads their partner", request: request{who: "pm", method: "GET", path: "/v1/partners/{partner1}"},
				status: 200, want: []string{`"id":{partner1},`}},
			{name: "another partner reads as not found", request: request{who: "pm", method: "GET", path: "/v1/partners/{partner2}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a company manager reads no partner", request: request{who: "acme-cm", method: "GET", path: "/v1/partners/{partner1}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing partner", request: request{who: "admin", method: "GET", path: "/v1/partners/999999"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a partner ID is positive", request: request{who: "admin", method: "GET", path: "/v1/partners/0"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"path.id"`}},
		})
	})
}

// TestCompanies follows a partner manager who creates a customer from its
// purchase order, assigns the order and finds the pool, then adds users.
func TestCompanies(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a partner manager lists their customers", request: request{who: "pm", method: "GET", path: "/v1/companies"},
				status: 200, check: e.wantIDs("acme", "beta")},
			{name: "the admin lists every company", request: request{who: "admin", method: "GET", path: "/v1/companies"},
				status: 200, want: []string{`"id":{acme},`, `"id":{globex},`, `"id":{solo},`}},
			{name: "direct customers", request: request{who: "admin", method: "GET", path: "/v1/companies?direct=true"},
				status: 200, check: e.wantIDs("solo")},
			{name: "one partner's customers", request: request{who: "admin", method: "GET", path: "/v1/companies?partner_id={partner2}"},
				status: 200, check: e.wantIDs("globex")},
			{name: "companies by name", request: request{who: "admin", method: "GET", path: "/v1/companies?q=GLOB"},
				status: 200, check: e.wantIDs("globex")},
			{name: "a partner manager cannot widen the list to another partner", request: request{who: "pm", method: "GET", path: "/v1/companies?partner_id={partner2}"},
				status: 200, check: e.wantIDs("acme", "beta")},
			{name: "a company manager lists their own company", request: request{who: "acme-cm", method: "GET", path: "/v1/companies"},
				status: 200, check: e.wantIDs("acme")},
			{name: "a learner may not list companies", request: request{who: "acme-learner", method: "GET", path: "/v1/companies"},
				status: 403, want: []string{`"code":"forbidden"`}},

			{name: "a partner manager creates a customer with its first order", request: request{who: "pm", method: "POST", path: "/v1/companies",
				body: `{"name":"Initech","default_product":"premium","first_order":{"product":"premium","quantity":3,"po_ref":"PO-INI","term_months":6}}`},
				status: 201, want: []string{`"name":"Initech"`, `"partner_id":{partner1}`, `"default_product_id":{premium}`,
					`"status":"requested"`, `"quantity":3`, `"po_ref":"PO-INI"`, `"term_months":6`, `"requested_by":{pm}`},
				keep: map[string]string{"initech": "company.id", "initech.order": "order.id"}},
			{name: "the first order belongs to the new company", request: request{who: "pm", method: "GET", path: "/v1/orders/{initech.order}"},
				status: 200, want: []string{`"company_id":{initech}`, `"partner_id":{partner1}`}},
			{name: "a company without a first order", request: request{who: "pm", method: "POST", path: "/v1/companies", body: `{"name":"Umbrella"}`},
				status: 201, want: []string{`"name":"Umbrella"`}, notWant: []string{`"order"`, `"default_product_id"`}},
			{name: "a partner manager cannot create for another partner", request: request{who: "pm", method: "POST", path: "/v1/companies",
				body: `{"name":"Hooli","partner_id":{partner2}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.partner_id"`}},
			{name: "a first order of an unknown product", request: request{who: "pm", method: "POST", path: "/v1/companies",
				body: `{"name":"Hooli","first_order":{"product":"nope","quantity":3}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.first_order.product"`}},
			{name: "a first order with both terms", request: request{who: "pm", method: "POST", path: "/v1/companies",
				body: `{"name":"Hooli","first_order":{"product":"premium","quantity":3,"term_months":6,"term_days":30}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.first_order.term_days"`}},
			{name: "a first order of no licences", request: request{who: "pm", method: "POST", path: "/v1/companies",
				body: `{"name":"Hooli","first_order":{"product":"premium","quantity":0}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.first_order.quantity"`}},
			{name: "a wrong first order creates no company", request: request{who: "pm", method: "GET", path: "/v1/companies?q=hooli"},
				status: 200, want: []string{`"items":[]`}},
			{name: "a company manager may not create companies", request: request{who: "acme-cm", method: "POST", path: "/v1/companies", body: `{"name":"Hooli"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a default product must exist", request: request{who: "admin", method: "POST", path: "/v1/companies",
				body: `{"name":"Hooli","default_product":"nope"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.default_product"`}},
			{name: "a partner must exist", request: request{who: "admin", method: "POST", path: "/v1/companies", body: `{"name":"Hooli","partner_id":999999}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.partner_id"`}},
			{name: "the admin creates a direct customer", request: request{who: "admin", method: "POST", path: "/v1/companies",
				body: `{"name":"Direct Ltd","account_manager_id":{am}}`},
				status: 201, want: []string{`"name":"Direct Ltd"`, `"account_manager_id":{am}`}, notWant: []string{`"partner_id"`}},

			{name: "the company manager of another company may not assign", request: request{who: "acme-cm", method: "POST", path: "/v1/orders/{initech.order}/assign"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the partner manager assigns the first order", request: request{who: "pm", method: "POST", path: "/v1/orders/{initech.order}/assign"},
				status: 200, want: []string{`"status":"assigned"`, `"decided_by":{pm}`, `"bought":3`, `"allocated":0`, `"free":3`,
					`"starts_at":"2026-03-02T09:00:00Z","ends_at":"2026-09-02T09:00:00Z"`},
				keep: map[string]string{"initech.pool": "pool.id"}},
			{name: "the pool appears", request: request{who: "pm", method: "GET", path: "/v1/companies/{initech}/pools"},
				status: 200, want: []string{`"id":{initech.pool},`, `"order_id":{initech.order}`, `"bought":3`, `"status":"active"`}},
			{name: "the partner manager adds the company's manager", request: request{who: "pm", method: "POST", path: "/v1/companies/{initech}/users",
				body: `{"email":"Boss@Initech.test","first_name":"Bo","role":"company_manager"}`},
				status: 201, want: []string{`"email":"boss@initech.test"`, `"role":"company_manager"`, `"company_id":{initech}`}},
			{name: "a partner manager adds no learner outside manage-company mode", request: request{who: "pm", method: "POST", path: "/v1/companies/{initech}/users",
				body: `{"email":"ada@initech.test"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "in manage-company mode the learner is added and gets a seat", request: request{who: "pm", method: "POST", path: "/v1/companies/{initech}/users",
				body: `{"email":"ada@initech.test"}`, headers: map[string]string{"Allot-Company": "{initech}"}},
				status: 201, want: []string{`"role":"learner"`}, keep: map[string]string{"initech.ada": "id"}},
			{name: "the learner's seat", request: request{who: "pm", method: "GET", path: "/v1/seats?company_id={initech}"},
				status: 200, want: []string{`"user_id":{initech.ada},`, `"pool_id":{initech.pool},`, `"status":"active"`, `"ends_at":"2026-09-02T09:00:00Z"`}},
			{name: "the pool counts the seat", request: request{who: "pm", method: "GET", path: "/v1/companies/{initech}/pools"},
				status: 200, want: []string{`"bought":3,"allocated":1,"free":2`}},

			{name: "a partner manager reads their customer", request: request{who: "pm", method: "GET", path: "/v1/companies/{acme}"},
				status: 200, want: []string{`"id":{acme},`, `"name":"Acme"`}},
			{name: "another partner's customer reads as not found", request: request{who: "pm", method: "GET", path: "/v1/companies/{globex}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing company", request: request{who: "admin", method: "GET", path: "/v1/companies/999999"},
				status: 404, want: []string{`"code":"not_found"`}},
		})
	})
}

func TestSuspendCompany(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a partner manager may not suspend", request: request{who: "pm", method: "PATCH", path: "/v1/companies/{acme}", body: `{"suspended":true}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a company manager may not suspend", request: request{who: "acme-cm", method: "PATCH", path: "/v1/companies/{acme}", body: `{"suspended":true}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "another partner's manager sees no such company", request: request{who: "pm2", method: "PATCH", path: "/v1/companies/{acme}", body: `{"suspended":true}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the body says what to do", request: request{who: "admin", method: "PATCH", path: "/v1/companies/{acme}", body: `{}`},
				status: 422, want: []string{`"code":"invalid"`, `required property suspended`}},
			{name: "a missing company", request: request{who: "admin", method: "PATCH", path: "/v1/companies/999999", body: `{"suspended":true}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the admin suspends", request: request{who: "admin", method: "PATCH", path: "/v1/companies/{acme}", body: `{"suspended":true}`},
				status: 200, want: []string{`"id":{acme},`, `"suspended":true`}},
			{name: "its learners lose access at once", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@acme.test&product=premium"},
				status: 200, want: []string{`"allowed":false`, `"reason":"company_suspended"`, `"contact":{"name":"cm@acme.test","email":"cm@acme.test"}`}},
			{name: "an account manager reinstates", request: request{who: "am", method: "PATCH", path: "/v1/companies/{acme}", body: `{"suspended":false}`},
				status: 200, want: []string{`"suspended":false`}},
			{name: "its learners have access again", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@acme.test&product=premium"},
				status: 200, want: []string{`"allowed":true`}},
		})
	})
}

func TestProducts(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a learner lists the products", request: request{who: "acme-learner", method: "GET", path: "/v1/products"},
				status: 200, want: []string{`"code":"premium"`, `"code":"coaching"`, `"term_months":12`}},
			{name: "the admin adds a product", request: request{who: "admin", method: "POST", path: "/v1/products",
				body: `{"code":"ai-coach","name":"AI coach","term_months":6}`},
				status: 201, want: []string{`"code":"ai-coach"`, `"name":"AI coach"`, `"term_months":6`}},
			{name: "the default term is 12 months", request: request{who: "admin", method: "POST", path: "/v1/products", body: `{"code":"circles","name":"Circles"}`},
				status: 201, want: []string{`"code":"circles"`, `"term_months":12`}},
			{name: "a code is used once", request: request{who: "admin", method: "POST", path: "/v1/products", body: `{"code":"premium","name":"Again"}`},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "an account manager may not add products", request: request{who: "am", method: "POST", path: "/v1/products", body: `{"code":"x","name":"X"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a code is lower case", request: request{who: "admin", method: "POST", path: "/v1/products", body: `{"code":"Bad Code","name":"X"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.code"`}},
			{name: "a term is at most 60 months", request: request{who: "admin", method: "POST", path: "/v1/products", body: `{"code":"x","name":"X","term_months":61}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.term_months"`}},
			{name: "the new products are listed", request: request{who: "acme-cm", method: "GET", path: "/v1/products"},
				status: 200, want: []string{`"code":"ai-coach"`, `"code":"circles"`}, notWant: []string{`"Again"`, `"code":"x"`}},
		})
	})
}

func TestStaff(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "the admin adds a support agent", request: request{who: "admin", method: "POST", path: "/v1/staff",
				body: `{"email":"Help@Vendor.test","first_name":"Hal","role":"support_agent"}`},
				status: 201, want: []string{`"email":"help@vendor.test"`, `"role":"support_agent"`, `"first_name":"Hal"`},
				notWant: []string{`password`, `argon2`, `"company_id"`, `"partner_id"`}, keep: map[string]string{"help": "id"},
				check: func(t *testing.T, _ *http.Response, _ string) { e.wantWelcomes(t, "help@vendor.test", 1) }},
			{name: "nobody types another person's password", request: request{who: "admin", method: "POST", path: "/v1/staff",
				body: `{"email":"typed@vendor.test","role":"support_agent","password":"` + Password + `"}`},
				status: 422, want: []string{`"location":"body.password"`}},

			{name: "the admin adds a partner manager", request: request{who: "admin", method: "POST", path: "/v1/staff",
				body: `{"email":"pm3@vendor.test","role":"partner_manager","partner_id":{partner2}}`},
				status: 201, want: []string{`"role":"partner_manager"`, `"partner_id":{partner2}`}},
			{name: "an account manager adds a partner manager", request: request{who: "am", method: "POST", path: "/v1/staff",
				body: `{"email":"pm4@vendor.test","role":"partner_manager","partner_id":{partner1}}`},
				status: 201, want: []string{`"partner_id":{partner1}`}},
			{name: "a partner manager adds a colleague", request: request{who: "pm", method: "POST", path: "/v1/staff",
				body: `{"email":"pm5@vendor.test","role":"partner_manager","partner_id":{partner1}}`},
				status: 201, want: []string{`"partner_id":{partner1}`}},
			{name: "a partner manager adds none to another partner", request: request{who: "pm", method: "POST", path: "/v1/staff",
				body: `{"email":"pm6@vendor.test","role":"partner_manager","partner_id":{partner2}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.partner_id"`}},
			{name: "a partner manager may not add vendor staff", request: request{who: "pm", method: "POST", path: "/v1/staff",
				body: `{"email":"agent2@vendor.test","role":"support_agent"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "an account manager may not add vendor staff", request: request{who: "am", method: "POST", path: "/v1/staff",
				body: `{"email":"admin2@vendor.test","role":"vendor_admin"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a company manager may not add a partner manager", request: request{who: "acme-cm", method: "POST", path: "/v1/staff",
				body: `{"email":"pm7@vendor.test","role":"partner_manager","partner_id":{partner1}}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a partner manager's partner must exist", request: request{who: "admin", method: "POST", path: "/v1/staff",
				body: `{"email":"pm8@vendor.test","role":"partner_manager","partner_id":999999}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.partner_id"`}},
			{name: "staff is not a learner", request: request{who: "admin", method: "POST", path: "/v1/staff", body: `{"email":"l@vendor.test","role":"learner"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.role"`}},
			{name: "an e-mail is used once, in any case", request: request{who: "admin", method: "POST", path: "/v1/staff",
				body: `{"email":"CM@acme.TEST","role":"support_agent"}`},
				status: 409, want: []string{`"code":"conflict"`, `"location":"body.email"`}},
			{name: "an e-mail must be one", request: request{who: "admin", method: "POST", path: "/v1/staff", body: `{"email":"not-an-email","role":"support_agent"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.email"`}},
		})
		e.clock.Advance(time.Minute)
		e.run(t, []scenario{
			{name: "a welcome may be sent again", request: request{who: "admin", method: "POST", path: "/v1/users/{help}/welcome"},
				status: 200, want: []string{`"email":"help@vendor.test"`},
				check: func(t *testing.T, _ *http.Response, _ string) { e.wantWelcomes(t, "help@vendor.test", 2) }},
			{name: "but not by a partner manager", request: request{who: "pm", method: "POST", path: "/v1/users/{help}/welcome"},
				status: 404},
		})
	})
}
