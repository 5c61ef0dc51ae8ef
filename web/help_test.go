package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"allot/support"
	"allot/world"
)

// onEveryHelpSite runs f on a fresh site with the support desk (see
// onEverySupportSite), over each backend, with three articles:
// for-managers (company managers), for-members, and a draft for members,
// draft-notes.
func onEveryHelpSite(t *testing.T, f func(t *testing.T, s *site)) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		for _, a := range []support.NewArticle{
			{Title: "For managers", Body: "Order **licences** under [Orders](/company/orders).", Audiences: []support.Audience{support.CompanyManagers}, Published: true},
			{Title: "For members", Body: "Sign in with the e-mail your manager added.\n\n| Status | Means |\n|---|---|\n| Expired | ended |", Audiences: []support.Audience{support.Members}, Published: true},
			{Title: "Draft notes", Body: "Sign in soon.", Audiences: []support.Audience{support.Members}},
		} {
			world.Must(s.w.Support.CreateArticle(s.w.As(s.w.Admin), a))(t)
		}
		f(t, s)
	})
}

// anonymous is a browser nobody signed in with.
func (s *site) anonymous(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, s: s, http: &http.Client{Jar: jar}}
}

// TestHelpCentrePages shows each person the centre of their audience, with
// a search ranked with snippets; an article's link works signed out once it
// is published; a member does not read a manager's article.
func TestHelpCentrePages(t *testing.T) {
	onEveryHelpSite(t, func(t *testing.T, s *site) {
		anon := s.anonymous(t)
		res, body := anon.get("/help/for-managers")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the public link signed out: %d\n%s", res.StatusCode, body)
		}
		expect(t, "the public link", body, []string{"<h1 id=\"article-h\">For managers</h1>", "<strong>licences</strong>",
			`<a href="/company/orders"`}, []string{"← Help centre", "Draft", "Edit this article"})
		if res, _ := anon.get("/help/draft-notes"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a draft's link signed out: %d", res.StatusCode)
		}
		if res, _ := anon.get("/help"); res.Request.URL.Path != "/login" {
			t.Errorf("the centre signed out goes to %s, want the sign-in page", res.Request.URL)
		}
		if res, body := anon.get("/help/suggest?q=sign"); res.StatusCode != http.StatusUnauthorized || body != "" {
			t.Errorf("suggestions signed out: %d %q", res.StatusCode, body)
		}

		learner := s.signIn(t, "learner@acme.test")
		_, body = learner.get("/help")
		expect(t, "a member's centre", body, []string{"<h1>Help centre</h1>", `<a href="/help" aria-current="page">Help</a>`,
			`<a href="/help/for-members">For members</a>`, `<label>Search the help centre`, `role="search"`},
			[]string{"for-managers", "draft-notes", "Edit the help centre"})
		res, body = learner.get("/help/for-managers")
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("a member reads a manager's article: %d", res.StatusCode)
		}
		expect(t, "a manager's article for a member", body, nil, []string{"licences"})
		_, body = learner.get("/help/for-members")
		expect(t, "a member's article", body, []string{"<table>", "<td>Expired</td>", "← Help centre"}, []string{"Published"})

		_, body = learner.get("/help?q=sign+in")
		expect(t, "a member's search", body, []string{"Articles about “sign in”", `<a href="/help/for-members">For members</a>`,
			"<mark>Sign</mark>"}, []string{"draft-notes", "for-managers"})
		_, body = learner.get("/help?q=licences")
		expect(t, "a search of another audience's words", body, []string{"No article matches these words"}, []string{"for-managers"})
		for _, q := range []string{`"`, `*`, `AND (`, `-`, `NEAR(`} {
			if res, body := learner.get("/help?q=" + url.QueryEscape(q)); res.StatusCode != http.StatusOK {
				t.Errorf("the search %q: %d\n%s", q, res.StatusCode, body)
			}
		}
		if res, _ := learner.get("/help?q=" + strings.Repeat("a", 201)); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a search too long: %d", res.StatusCode)
		}

		// The request form's suggestions: a fragment, not a page.
		res, body = learner.get("/help/suggest?q=" + url.QueryEscape("cannot sign in with my e-mail"))
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("suggestions: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		expect(t, "suggestions", body, []string{`<ul><li><a href="/help/for-members">For members</a><br><span class="snippet">`, "<mark>"},
			[]string{"<html", "<h1", "for-managers"})
		_, body = learner.get("/help/suggest?q=zzzz")
		expect(t, "no suggestion", body, []string{"No article matches this subject."}, []string{"<li>"})

		cm := s.signIn(t, "cm@acme.test")
		_, body = cm.get("/help?q=licence")
		expect(t, "a manager's search", body, []string{`<a href="/help/for-managers">For managers</a>`, "<mark>licences</mark>"}, nil)
		_, body = cm.get("/help/for-managers")
		expect(t, "a manager's article", body, []string{"For managers"}, []string{"Edit this article", "Draft"})

		agent := s.signIn(t, "agent@vendor.test")
		_, body = agent.get("/help/draft-notes")
		expect(t, "a draft for the staff", body, []string{"Draft", "For Members.", `<a href="/help/edit/draft-notes">Edit this article</a>`}, nil)
		_, body = agent.get("/help")
		expect(t, "the staff's centre", body, []string{"for-managers", "for-members", `<a class="button secondary" href="/help/edit">`}, nil)
	})
}

// TestHelpEditing writes, previews, changes, publishes and deletes an
// article through the editor's pages; those who may not write are refused.
func TestHelpEditing(t *testing.T) {
	onEveryHelpSite(t, func(t *testing.T, s *site) {
		for _, who := range []string{"cm@acme.test", "learner@acme.test", "pm@channel.test", "am@vendor.test"} {
			c := s.signIn(t, who)
			for _, path := range []string{"/help/edit", "/help/edit/new", "/help/edit/for-members", "/help/edit/for-members/delete"} {
				if res, _ := c.get(path); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s opens %s: %d, want 403", who, path, res.StatusCode)
				}
			}
			if res, _ := c.post("/help/edit", url.Values{"title": {"Mine"}, "body": {"x"}, "audience": {"members"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s writes an article: %d, want 403", who, res.StatusCode)
			}
		}

		agent := s.signIn(t, "agent@vendor.test")
		_, body := agent.get("/help/edit")
		expect(t, "the editor's list", body, []string{"<h1>Edit the help centre</h1>", `<a href="/help/draft-notes">Draft notes</a>`,
			`aria-label="Publish Draft notes"`, `aria-label="Unpublish For members"`, "Company managers"}, nil)
		_, body = agent.get("/help/edit/new")
		expect(t, "a new article", body, []string{"<label>Title", "<label>Text, in Markdown", "<legend>Written for</legend>",
			`value="partner_managers"> Partner managers`}, nil)

		// A preview saves nothing and keeps no script.
		form := url.Values{"title": {"Seats in bulk"}, "body": {"Give **many** seats.\n\n<script>alert(1)</script>"},
			"audience": {"company_managers", "members"}, "action": {"preview"}}
		res, body := agent.post("/help/edit", form)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("preview: %d\n%s", res.StatusCode, body)
		}
		expect(t, "the form previewed", body, []string{`<h2 id="preview-h">Preview</h2>`, `value="Seats in bulk"`, `value="members" checked`},
			[]string{"was saved"})
		_, preview, _ := strings.Cut(body, `<h2 id="preview-h">Preview</h2>`)
		expect(t, "the preview", preview, []string{"<p>Give <strong>many</strong> seats.</p>"}, []string{"<script", "alert"})
		if _, err := s.w.Support.Article(s.w.As(s.w.Admin), "seats-in-bulk"); err == nil {
			t.Error("a preview saved the article")
		}

		form.Set("action", "save")
		form.Del("audience")
		res, body = agent.post("/help/edit", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no audience: %d", res.StatusCode)
		}
		expect(t, "no audience", body, []string{"choose at least one audience", `value="Seats in bulk"`}, nil)

		form["audience"] = []string{"company_managers"}
		res, body = agent.post("/help/edit", form)
		if res.Request.URL.Path != "/help/edit" {
			t.Fatalf("save: %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "saved", body, []string{"The article Seats in bulk was saved at /help/seats-in-bulk.", "seats-in-bulk", "Draft"}, nil)

		_, body = agent.get("/help/edit/seats-in-bulk")
		expect(t, "the edit form", body, []string{`action="/help/edit/seats-in-bulk"`, `value="Seats in bulk"`, "Give **many** seats.",
			`value="company_managers" checked`}, []string{`value="members" checked`})
		res, body = agent.post("/help/edit/seats-in-bulk", url.Values{"title": {"Many seats at once"}, "body": {"Give **many** seats."},
			"audience": {"company_managers"}, "published": {"1"}, "action": {"save"}})
		expect(t, "changed", body, []string{"The article Many seats at once was saved."}, nil)
		cm := s.signIn(t, "cm@acme.test")
		if _, body := cm.get("/help/seats-in-bulk"); !strings.Contains(body, "Many seats at once") {
			t.Errorf("the manager does not read the published article:\n%s", body)
		}

		_, body = agent.post("/help/edit/seats-in-bulk/publish", url.Values{"published": {"0"}})
		expect(t, "unpublished", body, []string{"The article Many seats at once is a draft again"}, nil)
		if res, _ := cm.get("/help/seats-in-bulk"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a draft again for the manager: %d", res.StatusCode)
		}

		_, body = agent.get("/help/edit/seats-in-bulk/delete")
		expect(t, "the confirmation", body, []string{"<h1>Delete Many seats at once?</h1>", `action="/help/edit/seats-in-bulk/delete"`,
			"Delete the article"}, nil)
		_, body = agent.post("/help/edit/seats-in-bulk/delete", nil)
		expect(t, "deleted", body, []string{"The article Many seats at once was deleted"}, []string{`href="/help/seats-in-bulk"`})
		if res, _ := agent.get("/help/seats-in-bulk"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a deleted article: %d", res.StatusCode)
		}
	})
}
