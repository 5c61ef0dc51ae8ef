package support_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"allot"
	"allot/storetest"
	"allot/support"
	"allot/support/articles"
	"allot/world"
)

// write makes an article as the vendor admin.
func write(t *testing.T, w *world.World, title, body string, published bool, auds ...support.Audience) support.Article {
	t.Helper()
	return world.Must(w.Support.CreateArticle(w.As(w.Admin), support.NewArticle{Title: title, Body: body, Audiences: auds,
		Published: published}))(t)
}

// events returns the audit log's events of action, oldest first.
func events(t *testing.T, w *world.World, action string) []allot.Event {
	t.Helper()
	var out []allot.Event
	err := w.DB.Read(context.Background(), func(tx allot.Tx) error {
		all, err := tx.Events(allot.EventFilter{Limit: allot.MaxLimit})
		for i := len(all) - 1; i >= 0; i-- {
			if all[i].Action == action {
				out = append(out, all[i])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func slugs(as []support.Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Slug
	}
	return out
}

func hitSlugs(hs []support.Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Slug
	}
	return out
}

// TestArticleAudiences shows each reader the published articles of their
// audience only; the vendor's staff see every article, drafts too; the
// public link shows any published article to anyone.
func TestArticleAudiences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		write(t, w, "For managers", "Order licences for your people.", true, support.CompanyManagers)
		write(t, w, "For partners", "Assign your customers' orders.", true, support.PartnerManagers)
		write(t, w, "For members", "Sign in with your e-mail.", true, support.Members)
		write(t, w, "For everyone", "The help centre answers first.", true, support.Audiences...)
		write(t, w, "A draft for members", "Not ready yet.", false, support.Members)

		for _, c := range []struct {
			who  string
			aud  support.Audience
			sees []string // by title
		}{
			{"acme cm", support.CompanyManagers, []string{"for-everyone", "for-managers"}},
			{"pm", support.PartnerManagers, []string{"for-everyone", "for-partners"}},
			{"acme learner", support.Members, []string{"for-everyone", "for-members"}},
			{"pm@acme", support.PartnerManagers, []string{"for-everyone", "for-partners"}},
		} {
			p := w.Who[c.who]
			if got := support.AudienceOf(p); got != c.aud {
				t.Errorf("%s reads as %q, want %q", c.who, got, c.aud)
			}
			// Asking for drafts or another audience changes nothing.
			list := world.Must(w.Support.Articles(w.As(p), support.ArticleFilter{Audience: support.Members, Drafts: true}))(t)
			if got := strings.Join(slugs(list), " "); got != strings.Join(c.sees, " ") {
				t.Errorf("%s lists %s, want %v", c.who, got, c.sees)
			}
			for _, slug := range []string{"for-managers", "for-partners", "for-members", "for-everyone", "a-draft-for-members"} {
				_, err := w.Support.Article(w.As(p), slug)
				want := allot.ENOTFOUND
				for _, s := range c.sees {
					if s == slug {
						want = ""
					}
				}
				if allot.ErrorCode(err) != want {
					t.Errorf("%s reads %s: %v, want %q", c.who, slug, err, want)
				}
			}
		}
		for _, who := range []string{"admin", "am", "agent", "success"} {
			if aud := support.AudienceOf(w.Who[who]); aud != "" {
				t.Errorf("%s reads as %q, want every audience", who, aud)
			}
			if a, err := w.Support.Article(w.Ctx(t, who), "a-draft-for-members"); err != nil || a.Published {
				t.Errorf("%s reads the draft: %+v %v", who, a, err)
			}
		}
		all := world.Must(w.Support.Articles(w.Ctx(t, "agent"), support.ArticleFilter{Drafts: true}))(t)
		if len(all) != 5 || all[0].Slug != "a-draft-for-members" {
			t.Errorf("the staff's list with drafts: %v", slugs(all))
		}
		members := world.Must(w.Support.Articles(w.Ctx(t, "agent"), support.ArticleFilter{Audience: support.Members}))(t)
		if got := strings.Join(slugs(members), " "); got != "for-everyone for-members" {
			t.Errorf("the staff's list of the members' published articles: %s", got)
		}
		if _, err := w.Support.Articles(w.Ctx(t, "agent"), support.ArticleFilter{Audience: "owners"}); world.FieldOf(err) != "audience" {
			t.Errorf("an unknown audience: %v", err)
		}
		page := world.Must(w.Support.Articles(w.Ctx(t, "agent"), support.ArticleFilter{Drafts: true, Limit: 2, Offset: 2}))(t)
		if got := strings.Join(slugs(page), " "); got != "for-managers for-members" {
			t.Errorf("the second page of two: %s", got)
		}

		// The public link: no one signed in.
		anon := context.Background()
		if a, err := w.Support.PublicArticle(anon, "for-managers"); err != nil || a.Body != "Order licences for your people." {
			t.Errorf("the public link of a published article: %+v %v", a, err)
		}
		if _, err := w.Support.PublicArticle(anon, "a-draft-for-members"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("the public link of a draft: %v", err)
		}
		if _, err := w.Support.Article(anon, "for-managers"); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("reading as nobody: %v", err)
		}

		// A hidden article reads exactly as a missing one.
		_, hidden := w.Support.Article(w.Ctx(t, "acme learner"), "for-managers")
		_, missing := w.Support.Article(w.Ctx(t, "acme learner"), "no-such-article")
		if hidden == nil || missing == nil || hidden.Error() != missing.Error() {
			t.Errorf("a hidden article %v, a missing one %v", hidden, missing)
		}

		// Search keeps to the audience too; the staff search every one.
		for who, want := range map[string]string{"acme learner": "", "acme cm": "for-managers", "pm": "", "admin": "for-managers"} {
			hits := world.Must(w.Support.Search(w.Ctx(t, who), "licences", 10))(t)
			if got := strings.Join(hitSlugs(hits), " "); got != want {
				t.Errorf("%s searching licences finds %q, want %q", who, got, want)
			}
		}
		if hits := world.Must(w.Support.Search(w.Ctx(t, "admin"), "ready", 10))(t); len(hits) != 0 {
			t.Errorf("a search finds a draft: %v", hitSlugs(hits))
		}
	})
}

// TestArticleEditing writes, changes and deletes articles as those who may
// (ActEditHelp), refuses everyone else, says which field is wrong, and
// records every change in the audit log.
func TestArticleEditing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		in := support.NewArticle{Title: "  Allocating seats ", Body: "Give a seat.\r\nFrom a pool.", Audiences: []support.Audience{support.Members,
			support.CompanyManagers, support.Members}}
		a := world.Must(w.Support.CreateArticle(w.Ctx(t, "agent"), in))(t)
		if a.Slug != "allocating-seats" || a.Title != "Allocating seats" || a.Body != "Give a seat.\nFrom a pool." || a.Published ||
			len(a.Audiences) != 2 || a.Audiences[0] != support.CompanyManagers || a.UpdatedBy != "agent@vendor.test" ||
			!a.CreatedAt.Equal(world.T0) {
			t.Errorf("made %+v", a)
		}
		// The same title again, and titles of reserved or no letters.
		for _, c := range []struct{ title, slug string }{
			{"Allocating seats!", "allocating-seats-2"},
			{"Allocating  SEATS", "allocating-seats-3"},
			{"Edit", "edit-2"},
			{"Réglages d’équipe", "reglages-dequipe"},
			{"???", "article"},
			{strings.Repeat("word ", 40), strings.TrimSuffix(strings.Repeat("word-", 16), "-")},
		} {
			got := world.Must(w.Support.CreateArticle(w.Ctx(t, "success"), support.NewArticle{Title: c.title, Body: "x",
				Audiences: []support.Audience{support.Members}}))(t)
			if got.Slug != c.slug {
				t.Errorf("%q has the slug %q, want %q", c.title, got.Slug, c.slug)
			}
		}

		for _, c := range []struct {
			name  string
			in    support.NewArticle
			field string
		}{
			{"no title", support.NewArticle{Title: " ", Body: "x", Audiences: support.Audiences}, "title"},
			{"a title too long", support.NewArticle{Title: strings.Repeat("é", support.MaxTitle+1), Body: "x", Audiences: support.Audiences}, "title"},
			{"a line break in the title", support.NewArticle{Title: "a\nb", Body: "x", Audiences: support.Audiences}, "title"},
			{"no text", support.NewArticle{Title: "T", Body: " \n ", Audiences: support.Audiences}, "body"},
			{"a text too long", support.NewArticle{Title: "T", Body: strings.Repeat("a", support.MaxBody+1), Audiences: support.Audiences}, "body"},
			{"a control character", support.NewArticle{Title: "T", Body: "a\x02b", Audiences: support.Audiences}, "body"},
			{"not UTF-8", support.NewArticle{Title: "T", Body: "a\xffb", Audiences: support.Audiences}, "body"},
			{"no audience", support.NewArticle{Title: "T", Body: "x"}, "audiences"},
			{"an unknown audience", support.NewArticle{Title: "T", Body: "x", Audiences: []support.Audience{"owners"}}, "audiences"},
		} {
			_, err := w.Support.CreateArticle(w.Ctx(t, "admin"), c.in)
			if allot.ErrorCode(err) != allot.EINVALID || world.FieldOf(err) != c.field {
				t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
			}
		}
		if _, err := w.Support.CreateArticle(w.Ctx(t, "admin"), support.NewArticle{Title: "T", Body: strings.Repeat("a", support.MaxBody),
			Audiences: support.Audiences}); err != nil {
			t.Errorf("a text of exactly the limit: %v", err)
		}

		// Changes: the slug stays; nil fields stay.
		title, published := "Allocating seats to learners", true
		up := world.Must(w.Support.UpdateArticle(w.Ctx(t, "admin"), a.ID, support.ArticleChange{Title: &title, Published: &published}))(t)
		if up.Slug != "allocating-seats" || up.Title != title || !up.Published || up.Body != a.Body || len(up.Audiences) != 2 ||
			up.UpdatedBy != "admin@vendor.test" {
			t.Errorf("changed %+v", up)
		}
		up = world.Must(w.Support.UpdateArticle(w.Ctx(t, "admin"), a.ID, support.ArticleChange{Audiences: []support.Audience{support.PartnerManagers}}))(t)
		if len(up.Audiences) != 1 || up.Audiences[0] != support.PartnerManagers || up.Title != title {
			t.Errorf("changed the audiences: %+v", up)
		}
		if got := world.Must(w.Support.Article(w.Ctx(t, "pm"), "allocating-seats"))(t); got.Title != title {
			t.Errorf("read back %+v", got)
		}
		empty := ""
		if _, err := w.Support.UpdateArticle(w.Ctx(t, "admin"), a.ID, support.ArticleChange{Body: &empty}); world.FieldOf(err) != "body" {
			t.Errorf("emptying the text: %v", err)
		}
		if _, err := w.Support.UpdateArticle(w.Ctx(t, "admin"), a.ID, support.ArticleChange{Audiences: []support.Audience{}}); world.FieldOf(err) != "audiences" {
			t.Errorf("taking every audience away: %v", err)
		}
		if _, err := w.Support.UpdateArticle(w.Ctx(t, "admin"), 999999, support.ArticleChange{Title: &title}); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("changing a missing article: %v", err)
		}

		// Who may not: managers, members, and the account managers, who
		// sell rather than support.
		for _, who := range []string{"am", "pm", "acme cm", "acme learner", "pm@acme", "am@acme"} {
			ctx := w.Ctx(t, who)
			_, err := w.Support.CreateArticle(ctx, support.NewArticle{Title: "Mine", Body: "x", Audiences: support.Audiences})
			world.WantError(t, err, allot.EFORBIDDEN, "")
			_, err = w.Support.UpdateArticle(ctx, a.ID, support.ArticleChange{Title: &title})
			world.WantError(t, err, allot.EFORBIDDEN, "")
			world.WantError(t, w.Support.DeleteArticle(ctx, a.ID), allot.EFORBIDDEN, "")
			_, err = w.Support.InstallStarter(ctx)
			world.WantError(t, err, allot.EFORBIDDEN, "")
		}

		world.WantError(t, w.Support.DeleteArticle(w.Ctx(t, "agent"), a.ID), "", "")
		if _, err := w.Support.Article(w.Ctx(t, "admin"), "allocating-seats"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a deleted article: %v", err)
		}
		world.WantError(t, w.Support.DeleteArticle(w.Ctx(t, "agent"), a.ID), allot.ENOTFOUND, "")
		if hits := world.Must(w.Support.Search(w.Ctx(t, "admin"), "allocating", 10))(t); len(hits) != 0 {
			t.Errorf("a deleted article is found: %v", hitSlugs(hits))
		}

		// The audit log: who, what, before and after, in no company.
		created, updated, deleted := events(t, w, "article.create"), events(t, w, "article.update"), events(t, w, "article.delete")
		if len(created) != 8 || len(updated) != 2 || len(deleted) != 1 {
			t.Fatalf("%d creations, %d updates, %d deletions recorded", len(created), len(updated), len(deleted))
		}
		if e := created[0]; e.ActorEmail != "agent@vendor.test" || e.SubjectType != "article" || e.SubjectID != a.ID || e.CompanyID != 0 ||
			e.Before != "" || !strings.Contains(e.After, `"Slug":"allocating-seats"`) {
			t.Errorf("the creation: %+v", e)
		}
		if e := updated[0]; !strings.Contains(e.Before, `"Published":false`) || !strings.Contains(e.After, `"Published":true`) ||
			!strings.Contains(e.After, title) {
			t.Errorf("the update: %+v", e)
		}
		if e := deleted[0]; e.SubjectID != a.ID || !strings.Contains(e.Before, title) || e.After != "" {
			t.Errorf("the deletion: %+v", e)
		}
	})
}

// TestArticleHTML renders Markdown with tables and keeps no script, event
// handler or raw HTML of it.
func TestArticleHTML(t *testing.T) {
	t.Parallel()
	a := support.Article{Body: "# Seats\n\nA **seat** [is given](/company/users).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n" +
		"<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) <b onmouseover=\"alert(4)\">x</b>\n\n" +
		"![pic](/static/x.png \"t\")"}
	got := string(a.HTML())
	for _, want := range []string{"<h1", "Seats</h1>", "<strong>seat</strong>", `<a href="/company/users"`, "<table>", "<td>2</td>"} {
		if !strings.Contains(got, want) {
			t.Errorf("the HTML lacks %s:\n%s", want, got)
		}
	}
	for _, bad := range []string{"<script", "alert(", "onerror", "onmouseover", "javascript:", "<b "} {
		if strings.Contains(got, bad) {
			t.Errorf("the HTML holds %s:\n%s", bad, got)
		}
	}
}

// TestSearch ranks a word of the title above one of the text, matches the
// start of words and their other forms, shows a snippet of the words found,
// and answers any query, however odd, without an error.
func TestSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		write(t, w, "Seats and pools", "When someone leaves, a reallocation gives their seat to another learner of the company.", true, support.Audiences...)
		write(t, w, "Reallocation", "Move a seat in one step.", true, support.Audiences...)
		write(t, w, "Renewing learners", "Give **new seats** to learners whose access ended. See [the page](https://example.test/hidden-target).", true, support.Audiences...)
		write(t, w, "Orders", "An order becomes a pool once assigned.", true, support.Audiences...)
		for i := range 10 { // others, for ranks to mean something
			write(t, w, "Other "+strings.Repeat("x", i+1), "Nothing about that subject here, only words.", true, support.Audiences...)
		}
		ctx := w.Ctx(t, "acme cm")

		hits := world.Must(w.Support.Search(ctx, "reallocation", 10))(t)
		if got := strings.Join(hitSlugs(hits), " "); got != "reallocation seats-and-pools" {
			t.Fatalf("reallocation finds %s, want the title's match first", got)
		}
		if hits[0].Rank <= hits[1].Rank || hits[0].Body != "" {
			t.Errorf("ranks %v then %v; body %q", hits[0].Rank, hits[1].Rank, hits[0].Body)
		}
		if s := hits[1].Snippet; !strings.Contains(s, "<mark>reallocation</mark>") || !strings.Contains(s, "another learner") {
			t.Errorf("the snippet of the text's match: %q", s)
		}
		if s := hits[0].Snippet; !strings.Contains(s, "Move a seat") {
			t.Errorf("the snippet of the title's match shows the text's start: %q", s)
		}

		for _, c := range []struct{ query, want string }{
			{"realloc", "reallocation seats-and-pools"}, // the start of a word
			{"renewed", "renewing-learners"},            // another form of it
			{"REALLOCATION Step", "reallocation"},       // every word, in any case
			{"reallocation orders", ""},                 // every word is needed
			{"hidden target", ""},                       // a link's target is not text
			{"learners' access", "renewing-learners"},   // punctuation between words
		} {
			got := strings.Join(hitSlugs(world.Must(w.Support.Search(ctx, c.query, 10))(t)), " ")
			if got != c.want {
				t.Errorf("%q finds %q, want %q", c.query, got, c.want)
			}
		}
		if s := world.Must(w.Support.Search(ctx, "new seats", 10))(t)[0].Snippet; strings.Contains(s, "**") || !strings.Contains(s, "<mark>new</mark>") {
			t.Errorf("the snippet keeps the Markdown: %q", s)
		}
		if hits := world.Must(w.Support.Search(ctx, "seat", 2))(t); len(hits) != 2 {
			t.Errorf("a search of at most 2: %d", len(hits))
		}

		// Nothing a person types breaks the query.
		for _, q := range []string{`AND (`, `"seat`, `seat*`, `NEAR(seat pool)`, `seat:*`, `title:seat`, `seat OR`, `^seat`, `-seat`,
			`<script>`, `seat's`} {
			if _, err := w.Support.Search(ctx, q, 10); err != nil {
				t.Errorf("%q: %v", q, err)
			}
		}
		for _, q := range []string{`"`, `*`, `-`, `'`, `\`, `a & | !`, `(((`, `‘’“”`, `:*`, "\x00", "", "   "} {
			if hits, err := w.Support.Search(ctx, q, 10); err != nil || len(hits) != 0 {
				t.Errorf("%q, of no word: %v %v", q, hitSlugs(hits), err)
			}
		}
		if got := hitSlugs(world.Must(w.Support.Search(ctx, `"seat* -pool)`, 10))(t)); len(got) != 1 || got[0] != "seats-and-pools" {
			t.Errorf("the words of a query of operators find %v", got)
		}

		// Suggestions: any word, at most five, the best first.
		sug := world.Must(w.Support.Suggest(ctx, "How do I do a reallocation for zzzz?"))(t)
		if len(sug) == 0 || sug[0].Slug != "reallocation" {
			t.Errorf("suggestions: %v", hitSlugs(sug))
		}
		if sug := world.Must(w.Support.Suggest(ctx, "words seat subject"))(t); len(sug) != 5 {
			t.Errorf("suggestions of a common word: %d, want 5", len(sug))
		}
		if _, err := w.Support.Suggest(context.Background(), "seat"); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("suggestions for nobody: %v", err)
		}
	})
}

// TestTerms reads the words of a query.
func TestTerms(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]string{
		`Can't sign IN`:      "can sign in",
		`"seat" AND (pool*)`: "seat and pool",
		`- * " ( )`:          "",
		`Réglages d'équipe`:  "réglages équipe",
		`seat seat SEAT`:     "seat",
		`a b c de`:           "de",
		`1 2 34 x86`:         "34 x86",
		strings.Repeat("ab ", 3) + "one two three four five six seven eight nine ten eleven twelve thirteen": "ab one two three four five six seven eight nine ten eleven",
	} {
		if got := strings.Join(support.Terms(q), " "); got != want {
			t.Errorf("Terms(%q) = %q, want %q", q, got, want)
		}
	}
}

// TestStarterSet installs the starter set once, whatever number of
// processes start together, every article published and recorded.
func TestStarterSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		starter := world.Must(articles.All())(t)
		if len(starter) < 15 {
			t.Fatalf("%d starter articles, want at least 15", len(starter))
		}

		// Three servers start at once on one database.
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			added int
		)
		for range 3 {
			wg.Go(func() {
				n, err := w.Support.InstallStarter(w.As(w.Admin))
				if err != nil {
					t.Errorf("install: %v", err)
				}
				mu.Lock()
				added += n
				mu.Unlock()
			})
		}
		wg.Wait()
		if added != len(starter) {
			t.Fatalf("added %d articles, want %d", added, len(starter))
		}
		if n := world.Must(w.Support.InstallStarter(w.As(w.Admin)))(t); n != 0 {
			t.Errorf("installed again: %d", n)
		}
		all := world.Must(w.Support.Articles(w.As(w.Admin), support.ArticleFilter{Drafts: true}))(t)
		if len(all) != len(starter) || len(events(t, w, "article.create")) != len(starter) {
			t.Fatalf("%d articles, want %d", len(all), len(starter))
		}
		for _, a := range all {
			full := world.Must(w.Support.Article(w.As(w.Admin), a.Slug))(t)
			if !a.Published || len(a.Audiences) == 0 || !strings.Contains(string(full.HTML()), "<p>") {
				t.Errorf("%s: published %v, audiences %v, HTML %.80s", a.Slug, a.Published, a.Audiences, full.HTML())
			}
		}

		// Each audience has its centre, and finds its answers.
		for who, n := range map[string]int{"acme learner": 4, "acme cm": 12, "pm": 12} {
			if list := world.Must(w.Support.Articles(w.Ctx(t, who), support.ArticleFilter{}))(t); len(list) < n {
				t.Errorf("%s has %d articles, want at least %d", who, len(list), n)
			}
		}
		for who, c := range map[string]struct{ query, slug string }{
			"acme learner": {"get in", "why-cant-i-get-in"},
			"acme cm":      {"renew expired", "renewing-expired-learners"},
			"pm":           {"assign orders", "assigning-your-customers-orders"},
		} {
			hits := world.Must(w.Support.Search(w.Ctx(t, who), c.query, 5))(t)
			if len(hits) == 0 || hits[0].Slug != c.slug {
				t.Errorf("%s searching %q finds %v, want %s first", who, c.query, hitSlugs(hits), c.slug)
			}
		}

		// Once there is any article, nothing is installed, even after all
		// the starter articles but one were deleted.
		for _, a := range all[1:] {
			world.WantError(t, w.Support.DeleteArticle(w.As(w.Admin), a.ID), "", "")
		}
		if n := world.Must(w.Support.InstallStarter(w.As(w.Admin)))(t); n != 0 {
			t.Errorf("installed beside an article: %d", n)
		}
	})
}
