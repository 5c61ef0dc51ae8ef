package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"allot"
)

// TestReclaimPage sets a rule on Acme's page, with its fields' errors tied
// to them; previews it with Acme's three learners, who never logged in;
// switches it on with a confirmation that counts them; and lists the seats
// it reclaimed after its warning. Another company's manager does not find
// the rule.
func TestReclaimPage(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/settings")
		expect(t, "settings", body, []string{`<a href="/company/reclaim">Reclaim rules</a>`}, nil)
		res, body := cm.get("/company/reclaim")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", res.StatusCode, body)
		}
		expect(t, "no rule", body, []string{"<title>Reclaim rules", "Acme has no reclaim rule", "No seat has been reclaimed yet"}, nil)

		for _, tt := range []struct{ days, warn, field, message string }{
			{"0", "0", "days", "the days without a login are from 1 to 3650, not 0"},
			{"ninety", "0", "days", "give the days without a login as a whole number"},
			{"30", "30", "warn_days", "the warning comes from 0 (none) to 29 days before"},
		} {
			res, body := cm.post("/company/reclaim/rules", url.Values{"days": {tt.days}, "warn_days": {tt.warn}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("days %s, warning %s: status %d, want 422", tt.days, tt.warn, res.StatusCode)
			}
			tied := regexp.MustCompile(`name="` + tt.field + `"[^>]*aria-describedby="[^"]*` + tt.field + `-error"[^>]*aria-invalid="true"`)
			expect(t, tt.field+" error", body, []string{`<p class="field-error" id="` + tt.field + `-error">` + tt.message}, nil)
			if !tied.MatchString(body) {
				t.Errorf("the %s input is not tied to its error\n%s", tt.field, body)
			}
		}

		_, body = cm.post("/company/reclaim/rules", url.Values{"product": {""}, "days": {"30"}, "warn_days": {"7"}})
		expect(t, "saved", body, []string{"The rule of every product is saved and off", "Off</span>",
			"Release the seat of a learner who has not logged in for 30 days, after warning them by e-mail 7 days before",
			"Changed by cm@acme.test", "Would be reclaimed now: 0 seats", "Would be warned now: 0 learners"}, nil)

		s.w.Clock.Advance(23 * 24 * time.Hour)
		_, body = cm.get("/company/reclaim")
		expect(t, "preview", body, []string{"Would be warned now: 3 learners", "learner0@acme.test", "learner1@acme.test",
			`data-confirm="Switch on the rule of every product? It releases 0 seats now and warns 3 learners by e-mail."`}, nil)
		id := regexp.MustCompile(`/company/reclaim/rules/(\d+)/on`).FindStringSubmatch(body)
		if id == nil {
			t.Fatalf("no switch on the page\n%s", body)
		}
		globex := s.signIn(t, "cm@globex.test")
		if res, _ := globex.post("/company/reclaim/rules/"+id[1]+"/on", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("Globex's manager switched Acme's rule on: status %d, want 404", res.StatusCode)
		}
		_, body = cm.post("/company/reclaim/rules/"+id[1]+"/on", nil)
		expect(t, "on", body, []string{"The rule of every product is on", "On</span>", "Warned at the next run: 3 learners"}, nil)

		system := allot.WithPrincipal(context.Background(), allot.System)
		if res, err := s.w.Reclaim.Run(system); err != nil || len(res.Warned) != 3 {
			t.Fatalf("the run warned %v: %v", res.Warned, err)
		}
		s.w.Clock.Advance(7 * 24 * time.Hour)
		if res, err := s.w.Reclaim.Run(system); err != nil || len(res.Reclaimed) != 3 {
			t.Fatalf("the run reclaimed %v: %v", res.Reclaimed, err)
		}
		_, body = cm.get("/company/reclaim")
		if n := count(body, `<td>learner\d?@acme.test</td><td class="hide-small">Premium</td><td>2 Mar 2026</td>\s*<td><time[^>]*>[^<]*</time></td><td>30 days without a login</td>`); n != 3 {
			t.Errorf("%d seats listed as reclaimed, want 3\n%s", n, body)
		}
		_, body = globex.get("/company/reclaim")
		expect(t, "Globex's page", body, []string{"Globex has no reclaim rule"}, []string{"learner0@acme.test"})
	})
}
