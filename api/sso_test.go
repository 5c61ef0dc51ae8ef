package api_test

import (
	"net/http"
	"testing"
)

// TestSSO: a company's and a partner's single sign-on through the API, as
// who may and may not connect it; the secret is in no answer, nor in the
// audit log.
func TestSSO(t *testing.T) {
	const secret = "api-sso-secret-93b1f0"
	acme := `{"issuer":"https://login.acme.example","client_id":"allot","client_secret":"` + secret + `","domains":["ACME.test"],"require_sso":true}`
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "none yet", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/sso"},
				status: http.StatusNotFound, want: []string{"single sign-on connection not found"}},
			{name: "connect", request: request{who: "acme-cm", method: "PUT", path: "/v1/companies/{acme}/sso", body: acme},
				status: http.StatusOK, want: []string{`"company_id":{acme}`, `"client_secret_set":true`, `"domains":["acme.test"]`, `"require_sso":true`},
				notWant: []string{secret}},
			{name: "read", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/sso"},
				status: http.StatusOK, want: []string{`"issuer":"https://login.acme.example"`, `"client_secret_set":true`}, notWant: []string{secret}},
			{name: "change keeping the secret", request: request{who: "acme-cm", method: "PUT", path: "/v1/companies/{acme}/sso",
				body: `{"issuer":"https://login.acme.example/v2","client_id":"allot","domains":["acme.test","acme.example"]}`},
				status: http.StatusOK, want: []string{`"client_secret_set":true`, `"domains":["acme.example","acme.test"]`, `"require_sso":false`}},
			{name: "plain http", request: request{who: "acme-cm", method: "PUT", path: "/v1/companies/{acme}/sso",
				body: `{"issuer":"http://login.acme.example","client_id":"allot","domains":["acme.test"]}`},
				status: http.StatusUnprocessableEntity, want: []string{"body.issuer", "starts with https://"}},
			{name: "Globex connects", request: request{who: "globex-cm", method: "PUT", path: "/v1/companies/{globex}/sso",
				body: `{"issuer":"https://login.globex.example","client_id":"g","client_secret":"g","domains":["globex.test"]}`},
				status: http.StatusOK},
			{name: "another's domain", request: request{who: "acme-cm", method: "PUT", path: "/v1/companies/{acme}/sso",
				body: `{"issuer":"https://login.acme.example","client_id":"allot","domains":["acme.test","globex.test"]}`},
				status: http.StatusConflict, want: []string{"body.domains", "globex.test signs in with another single sign-on already"}},
			{name: "an account manager", request: request{who: "am", method: "GET", path: "/v1/companies/{acme}/sso"},
				status: http.StatusForbidden, want: []string{"only Acme's managers, its partner's in manage-company mode and the vendor admin"}},
			{name: "the partner's manager", request: request{who: "pm", method: "GET", path: "/v1/companies/{acme}/sso"},
				status: http.StatusForbidden},
			{name: "the partner's manager in manage mode", request: request{who: "pm", method: "GET", path: "/v1/companies/{acme}/sso",
				headers: map[string]string{"Allot-Company": "{acme}"}}, status: http.StatusOK, notWant: []string{secret}},
			{name: "another partner's manager", request: request{who: "pm2", method: "GET", path: "/v1/companies/{acme}/sso"},
				status: http.StatusNotFound, want: []string{"company not found"}},
			{name: "a partner's", request: request{who: "pm", method: "PUT", path: "/v1/partners/{partner1}/sso",
				body: `{"issuer":"https://login.channel.example","client_id":"c","client_secret":"` + secret + `","domains":["channel.test"]}`},
				status: http.StatusOK, want: []string{`"partner_id":{partner1}`, `"client_secret_set":true`}, notWant: []string{secret, "company_id"}},
			{name: "another partner's", request: request{who: "pm2", method: "GET", path: "/v1/partners/{partner1}/sso"},
				status: http.StatusNotFound, want: []string{"partner not found"}},
			{name: "a partner's, by the vendor admin", request: request{who: "admin", method: "GET", path: "/v1/partners/{partner1}/sso"},
				status: http.StatusOK, notWant: []string{secret}},
			{name: "the audit log", request: request{who: "admin", method: "GET", path: "/v1/audit?limit=500"},
				status: http.StatusOK, want: []string{"sso.connect", "sso.change"}, notWant: []string{secret}},
			{name: "disconnect", request: request{who: "acme-cm", method: "DELETE", path: "/v1/companies/{acme}/sso"},
				status: http.StatusNoContent},
			{name: "disconnected", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/sso"},
				status: http.StatusNotFound},
		})
	})
}
