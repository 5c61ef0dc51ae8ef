package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"allot"
	"allot/support"
)

// helpArticles writes the articles of the help tests, as the vendor admin:
// one published for each audience and a draft for members.
func (e *env) helpArticles(t *testing.T) {
	t.Helper()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	for _, a := range []support.NewArticle{
		{Title: "For managers", Body: "Order **licences** for your people.", Audiences: []support.Audience{support.CompanyManagers}, Published: true},
		{Title: "For partners", Body: "Assign your customers' orders.", Audiences: []support.Audience{support.PartnerManagers}, Published: true},
		{Title: "For members", Body: "Sign in with your e-mail.", Audiences: []support.Audience{support.Members}, Published: true},
		{Title: "Draft for members", Body: "Not ready: licences soon.", Audiences: []support.Audience{support.Members}},
	} {
		must(e.support.CreateArticle(sys, a))(t)
	}
}

func TestHelpCentre(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.helpArticles(t)
		e.run(t, []scenario{
			{name: "no credentials", request: request{method: "GET", path: "/v1/help/articles"}, status: 401},
			{name: "a member's centre", request: request{who: "acme-learner", method: "GET", path: "/v1/help/articles?drafts=true&audience=company_managers"},
				status: 200, want: []string{`"slug":"for-members"`, `"audiences":["members"]`},
				notWant: []string{"for-managers", "for-partners", "draft-for-members", `"body"`}},
			{name: "a manager's centre", request: request{who: "acme-cm", method: "GET", path: "/v1/help/articles"},
				status: 200, want: []string{`"slug":"for-managers"`}, notWant: []string{"for-members", "for-partners"}},
			{name: "a partner's centre", request: request{who: "pm", method: "GET", path: "/v1/help/articles"},
				status: 200, want: []string{`"slug":"for-partners"`}, notWant: []string{"for-members", "for-managers"}},
			{name: "the staff's list with drafts", request: request{who: "am", method: "GET", path: "/v1/help/articles?drafts=true"},
				status: 200, want: []string{"draft-for-members", "for-managers", "for-members", "for-partners", `"published":false`}},
			{name: "the staff's list of an audience", request: request{who: "agent", method: "GET", path: "/v1/help/articles?audience=members"},
				status: 200, want: []string{`"slug":"for-members"`}, notWant: []string{"for-managers", "draft-for-members"}},
			{name: "an unknown audience", request: request{who: "agent", method: "GET", path: "/v1/help/articles?audience=owners"},
				status: 422, want: []string{`"location":"query.audience"`}},
			{name: "a first page", request: request{who: "agent", method: "GET", path: "/v1/help/articles?drafts=true&limit=3"},
				status: 200, want: []string{`"next":"3"`}, notWant: []string{"for-partners"}},
			{name: "the next page", request: request{who: "agent", method: "GET", path: "/v1/help/articles?drafts=true&limit=3&cursor=3"},
				status: 200, want: []string{"for-partners"}, notWant: []string{"for-members", `"next"`}},

			{name: "an article of one's audience", request: request{who: "acme-cm", method: "GET", path: "/v1/help/articles/for-managers"},
				status: 200, want: []string{`"title":"For managers"`, `"body":"Order **licences** for your people."`, `<strong>licences</strong>`}},
			{name: "another audience's article", request: request{who: "acme-learner", method: "GET", path: "/v1/help/articles/for-managers"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a draft, for a member", request: request{who: "acme-learner", method: "GET", path: "/v1/help/articles/draft-for-members"},
				status: 404},
			{name: "a draft, for the staff", request: request{who: "success", method: "GET", path: "/v1/help/articles/draft-for-members"},
				status: 200, want: []string{`"published":false`}},

			{name: "a search", request: request{who: "acme-cm", method: "GET", path: "/v1/help/search?q=licence"},
				status: 200, want: []string{`"slug":"for-managers"`, `<mark>licences</mark>`, `"rank":`}, notWant: []string{"draft", `"body"`}},
			{name: "a member's search", request: request{who: "acme-learner", method: "GET", path: "/v1/help/search?q=licence"},
				status: 200, want: []string{`"items":[]`}},
			{name: "a search of operators", request: request{who: "acme-learner", method: "GET", path: "/v1/help/search?q=%22*AND%20(-%3A*"},
				status: 200, want: []string{`"items":[]`}},
			{name: "a search too long", request: request{who: "acme-learner", method: "GET", path: "/v1/help/search?q=" + strings.Repeat("a", 201)},
				status: 422, want: []string{`"location":"query.q"`}},

			{name: "a manager may not write", request: request{who: "acme-cm", method: "POST", path: "/v1/help/articles",
				body: `{"title":"Mine","body":"x","audiences":["members"]}`}, status: 403},
			{name: "nor an account manager", request: request{who: "am", method: "POST", path: "/v1/help/articles",
				body: `{"title":"Mine","body":"x","audiences":["members"]}`}, status: 403},
			{name: "an agent writes", request: request{who: "agent", method: "POST", path: "/v1/help/articles",
				body: `{"title":"For members","body":"Sign in *again*.","audiences":["members","company_managers"],"published":true}`},
				status: 201, want: []string{`"slug":"for-members-2"`, `"audiences":["company_managers","members"]`, `<em>again</em>`}},
			{name: "an unknown audience", request: request{who: "agent", method: "POST", path: "/v1/help/articles",
				body: `{"title":"Mine","body":"x","audiences":["owners"]}`}, status: 422, want: []string{`"location":"body.audiences"`}},
			{name: "no title", request: request{who: "agent", method: "POST", path: "/v1/help/articles",
				body: `{"title":"","body":"x","audiences":["members"]}`}, status: 422, want: []string{`"location":"body.title"`}},
			{name: "a blank title", request: request{who: "agent", method: "POST", path: "/v1/help/articles",
				body: `{"title":"  ","body":"x","audiences":["members"]}`}, status: 422, want: []string{`"location":"body.title"`}},

			{name: "publishing the draft", request: request{who: "success", method: "PATCH", path: "/v1/help/articles/draft-for-members",
				body: `{"published":true,"title":"Soon for members"}`},
				status: 200, want: []string{`"slug":"draft-for-members"`, `"title":"Soon for members"`, `"published":true`}},
			{name: "which members read now", request: request{who: "acme-learner", method: "GET", path: "/v1/help/articles/draft-for-members"},
				status: 200},
			{name: "a manager may not change what they read", request: request{who: "acme-cm", method: "PATCH", path: "/v1/help/articles/for-managers",
				body: `{"published":false}`}, status: 403},
			{name: "nor what they do not read", request: request{who: "acme-cm", method: "PATCH", path: "/v1/help/articles/for-partners",
				body: `{"published":false}`}, status: 404},
			{name: "no audience left", request: request{who: "admin", method: "PATCH", path: "/v1/help/articles/for-partners",
				body: `{"audiences":[]}`}, status: 422, want: []string{`"location":"body.audiences"`}},
			{name: "a member may not delete", request: request{who: "acme-learner", method: "DELETE", path: "/v1/help/articles/for-members"},
				status: 403},
			{name: "deleting", request: request{who: "admin", method: "DELETE", path: "/v1/help/articles/for-members"}, status: 204},
			{name: "deleted", request: request{who: "admin", method: "GET", path: "/v1/help/articles/for-members"}, status: 404},
			{name: "deleting again", request: request{who: "admin", method: "DELETE", path: "/v1/help/articles/for-members"}, status: 404},
			{name: "the audit log", request: request{who: "admin", method: "GET", path: "/v1/audit?actor_id={agent}"},
				status: 200, want: []string{`"action":"article.create"`}},
		})
	})
}

// TestHelpAudiences is the help centre's isolation matrix: an article a
// person does not read, of another audience or a draft, is answered
// exactly like one that does not exist, on every route that names one, for
// every role; the vendor's staff read them all.
func TestHelpAudiences(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.helpArticles(t)
		reads := map[string][]string{
			"acme-cm":      {"for-managers"},
			"globex-cm":    {"for-managers"},
			"pm":           {"for-partners"},
			"pm2":          {"for-partners"},
			"acme-learner": {"for-members"},
			"solo-learner": {"for-members"},
		}
		slugs := []string{"for-managers", "for-partners", "for-members", "draft-for-members"}
		routes := []struct{ method, body string }{{"GET", ""}, {"PATCH", `{"published":true}`}, {"DELETE", ""}}
		for who, own := range reads {
			for _, rt := range routes {
				missing, mbody := e.do(request{who: who, method: rt.method, path: "/v1/help/articles/no-such-article", body: rt.body})
				if missing.StatusCode != http.StatusNotFound {
					t.Fatalf("%s %s of a missing article: %d %s", who, rt.method, missing.StatusCode, mbody)
				}
				for _, slug := range slugs {
					res, body := e.do(request{who: who, method: rt.method, path: "/v1/help/articles/" + slug, body: rt.body})
					switch {
					case !slices.Contains(own, slug):
						if res.StatusCode != http.StatusNotFound || body != mbody {
							t.Errorf("%s %s %s, which they do not read: %d %s, want what a missing one gets: %s", who, rt.method, slug,
								res.StatusCode, body, mbody)
						}
					case rt.method == "GET" && res.StatusCode != http.StatusOK, rt.method != "GET" && res.StatusCode != http.StatusForbidden:
						t.Errorf("%s %s %s, which they read: %d %s", who, rt.method, slug, res.StatusCode, body)
					}
				}
			}
		}
		for _, who := range vendorStaff {
			for _, slug := range slugs {
				if res, body := e.do(request{who: who, method: "GET", path: "/v1/help/articles/" + slug}); res.StatusCode != http.StatusOK {
					t.Errorf("%s reads %s: %d %s", who, slug, res.StatusCode, body)
				}
			}
		}
	})
}
