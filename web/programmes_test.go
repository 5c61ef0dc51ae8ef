package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestProgrammesPage makes a programme from the company's page: a bad form
// says what is wrong beside its field; a good one lists the programme.
func TestProgrammesPage(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/programmes")
		expect(t, "no programme yet", body, []string{"Programmes of Acme", "No programme yet", "Make a programme",
			`<a href="/company/programmes"`}, nil)

		res, body := cm.post("/company/programmes", url.Values{"name": {"Onboarding"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a programme without products: status %d, want 422", res.StatusCode)
		}
		expect(t, "no product", body, []string{"choose at least one product the programme offers", `value="Onboarding"`}, nil)

		res, body = cm.post("/company/programmes", url.Values{"name": {"Onboarding"}, "product": {"premium", "coaching"}, "lang": {"de"}})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/programmes" {
			t.Fatalf("make a programme: status %d at %s", res.StatusCode, res.Request.URL)
		}
		expect(t, "the programme", body, []string{"The programme Onboarding was made.", ">Onboarding</a></td>",
			"<td>Coaching, Premium</td>", "<td>de</td>"}, []string{"No programme yet"})

		if res, _ := s.signIn(t, "learner@acme.test").get("/company/programmes"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a learner: status %d, want 403", res.StatusCode)
		}
	})
}
