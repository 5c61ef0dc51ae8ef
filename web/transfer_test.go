package web_test

import (
	"allot/world"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// TestTransferPage follows a partner's manager who moves free seats of
// Acme's pool to Beta: choose, preview, confirm; a wrong count is told at
// its field, and a company's manager has no such page.
func TestTransferPage(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		s.waiting(t, 2) // two of Beta's learners wait for a seat
		w := s.w
		pool := strconv.FormatInt(w.Acme.Pool.ID, 10)
		pm := s.signIn(t, "pm@channel.test")

		_, body := pm.get("/transfer")
		expect(t, "the page", body, []string{`<option value="` + s.id("acme") + `">Acme</option>`, `<option value="` + s.id("beta") + `">Beta</option>`},
			[]string{"Globex", `name="pool_id"`})
		_, body = pm.get("/transfer?from=" + s.id("acme"))
		expect(t, "Acme's pools", body, []string{`value="` + pool + `" checked>`, "Premium: 7 of 10 free, ends 2 Mar 2027",
			`<option value="` + s.id("beta") + `">Beta</option>`}, nil)

		form := url.Values{"from": {s.id("acme")}, "pool_id": {pool}, "to_company_id": {s.id("beta")}, "count": {"12"}, "go": {"preview"}}
		res, body := pm.post("/transfer", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("too many seats: status %d, want 422", res.StatusCode)
		}
		expect(t, "too many seats", body, []string{`aria-invalid="true" aria-describedby="count-error"`,
			`<p class="field-error" id="count-error">the pool has 7 free seats: move at most 7</p>`, `value="12"`}, nil)
		form.Set("count", "five")
		_, body = pm.post("/transfer", form)
		expect(t, "not a number", body, []string{`id="count-error">say how many seats move, as a whole number</p>`}, nil)

		form.Set("count", "5")
		_, body = pm.post("/transfer", form)
		expect(t, "the preview", body, []string{"Move 5 seats of Premium (ends 2 Mar 2027) from Acme to Beta.",
			"Acme's pool keeps 5 seats; Beta gets a pool of 5.", `name="go" value="confirm">Move 5 seats</button>`}, nil)
		if got := w.Reload(w.Acme.Pool).Quantity; got != 10 {
			t.Errorf("a preview changed the pool: %d seats, want 10", got)
		}

		form.Set("go", "confirm")
		res, body = pm.post("/transfer", form)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/transfer" {
			t.Fatalf("confirm: status %d at %s", res.StatusCode, res.Request.URL)
		}
		expect(t, "done", body, []string{"Moved 5 seats of Premium (ends 2 Mar 2027) from Acme to Beta. 2 seats went at once to learners of Beta who waited for one.",
			"Premium: 2 of 5 free"}, nil)
		if got := w.Reload(w.Acme.Pool); got.Quantity != 5 || got.Used != 3 {
			t.Errorf("Acme's pool after: %d seats, %d used; want 5, 3", got.Quantity, got.Used)
		}

		// A company's manager may not; another partner's customer is not found.
		res, _ = s.signIn(t, "cm@acme.test").get("/transfer?from=" + s.id("acme"))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a company's manager: status %d, want 403", res.StatusCode)
		}
		res, _ = pm.get("/transfer?from=" + s.id("globex"))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("another partner's customer: status %d, want 404", res.StatusCode)
		}
	})
}

// TestFillWaitingSetting turns the company's setting of freed seats off
// and on again from its settings page.
func TestFillWaitingSetting(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/settings")
		expect(t, "on by default", body, []string{`<input type="checkbox" name="fill_waiting" value="1" checked`}, nil)
		_, body = cm.post("/company/settings/waiting", url.Values{})
		expect(t, "turned off", body, []string{"Saved: a freed seat stays free until someone gives it.",
			`<input type="checkbox" name="fill_waiting" value="1" aria-describedby`}, nil)
		if c := world.Must(s.svc.Company(sys, s.w.Acme.Company.ID))(t); c.FillsWaiting() {
			t.Error("the company still fills its waiting list")
		}
		_, body = cm.post("/company/settings/waiting", url.Values{"fill_waiting": {"1"}})
		expect(t, "turned on", body, []string{"Saved: a freed seat goes at once to the learner who has waited longest for one."}, nil)
	})
}
