package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestSCIMToken: a company's SCIM token through the API, as who may and may
// not make it; it is shown once, works at /scim/v2 for its company only, a
// new one replaces it at once, and a revoked one is refused.
func TestSCIMToken(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, e *env) {
		tokens := map[string]string{}
		keep := func(name string) func(*testing.T, *http.Response, string) {
			return func(t *testing.T, _ *http.Response, body string) {
				var out struct{ Token string }
				if err := json.Unmarshal([]byte(body), &out); err != nil || !strings.HasPrefix(out.Token, "allot_scim_") {
					t.Fatalf("no token in %s (%v)", body, err)
				}
				tokens[name] = out.Token
			}
		}
		// scimUsers lists the users company token name's directory sees.
		scimUsers := func(name string, want int) func(*testing.T, *http.Response, string) {
			return func(t *testing.T, _ *http.Response, _ string) {
				req, _ := http.NewRequest("GET", e.srv.URL+"/scim/v2/Users", nil)
				req.Header.Set("Authorization", "Bearer "+tokens[name])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				if res.StatusCode != want {
					t.Errorf("GET /scim/v2/Users with %s's token: %d, want %d: %s", name, res.StatusCode, want, b)
				}
			}
		}
		e.run(t, []scenario{
			{name: "none yet", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/scim"},
				status: http.StatusNotFound, want: []string{"scim token not found"}},
			{name: "made", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/scim/token"},
				status: http.StatusCreated, want: []string{`"company_id":{acme}`, `"base_url":"http://127.0.0.1:`, `/scim/v2"`, `"token":"allot_scim_`},
				check: keep("acme")},
			{name: "it works at /scim/v2", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/scim"},
				status: http.StatusOK, want: []string{`"token_prefix":"allot_scim_`, `"base_url"`}, notWant: []string{`"token":`},
				check: scimUsers("acme", http.StatusOK)},
			{name: "read without the secret", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/scim"},
				status: http.StatusOK, check: func(t *testing.T, _ *http.Response, body string) {
					if strings.Contains(body, tokens["acme"]) {
						t.Errorf("the secret is shown again: %s", body)
					}
				}},
			{name: "Globex makes its own", request: request{who: "globex-cm", method: "POST", path: "/v1/companies/{globex}/scim/token"},
				status: http.StatusCreated, check: keep("globex")},
			{name: "a new one replaces it", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/scim/token"},
				status: http.StatusCreated, check: func(t *testing.T, res *http.Response, body string) {
					old := tokens["acme"]
					keep("acme")(t, res, body)
					tokens["acme.old"] = old
					scimUsers("acme.old", http.StatusUnauthorized)(t, res, body)
					scimUsers("acme", http.StatusOK)(t, res, body)
				}},
			{name: "another company's token is not this one's", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/scim"},
				status: http.StatusOK, check: func(t *testing.T, _ *http.Response, body string) {
					if strings.Contains(body, tokens["globex"][:17]) {
						t.Errorf("Acme's connection shows Globex's token: %s", body)
					}
				}},
			{name: "a learner, who does not see the company", request: request{who: "acme-learner", method: "POST", path: "/v1/companies/{acme}/scim/token"},
				status: http.StatusNotFound},
			{name: "the partner's manager", request: request{who: "pm", method: "POST", path: "/v1/companies/{acme}/scim/token"},
				status: http.StatusForbidden, want: []string{"only Acme's managers, its partner's in manage-company mode and the vendor's staff"}},
			{name: "the partner's manager in manage mode", request: request{who: "pm", method: "GET", path: "/v1/companies/{acme}/scim",
				headers: map[string]string{"Allot-Company": "{acme}"}}, status: http.StatusOK},
			{name: "another partner's manager", request: request{who: "pm2", method: "GET", path: "/v1/companies/{acme}/scim"},
				status: http.StatusNotFound, want: []string{"company not found"}},
			{name: "another company's manager", request: request{who: "globex-cm", method: "DELETE", path: "/v1/companies/{acme}/scim/token"},
				status: http.StatusNotFound},
			{name: "a support agent", request: request{who: "agent", method: "GET", path: "/v1/companies/{acme}/scim"}, status: http.StatusOK},
			{name: "the audit log", request: request{who: "admin", method: "GET", path: "/v1/audit?limit=500"},
				status: http.StatusOK, want: []string{"scim.token.create", "scim.token.rotate"}, check: func(t *testing.T, _ *http.Response, body string) {
					for name, tok := range tokens {
						if strings.Contains(body, tok) || strings.Contains(body, tok[len(tok)-20:]) {
							t.Errorf("the audit log holds %s's secret", name)
						}
					}
				}},
			{name: "revoked", request: request{who: "acme-cm", method: "DELETE", path: "/v1/companies/{acme}/scim/token"},
				status: http.StatusNoContent, check: scimUsers("acme", http.StatusUnauthorized)},
			{name: "gone", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/scim"},
				status: http.StatusNotFound, check: scimUsers("globex", http.StatusOK)},
			{name: "revoked twice", request: request{who: "acme-cm", method: "DELETE", path: "/v1/companies/{acme}/scim/token"},
				status: http.StatusNotFound},
		})
	})
}
