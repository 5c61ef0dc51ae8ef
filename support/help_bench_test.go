package support_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/support"
	"allot/support/articles"
)

// benchArticles is how many articles the help centre of BenchmarkHelpSearch
// holds.
const benchArticles = 1000

// benchQueries are what people type into the help centre's search box.
var benchQueries = []string{"renew expired learners", "sign in", "reallocate a seat", "import users csv", "single sign-on",
	"two-step sign-in recovery codes", "order licences", "why can't I get in", "scim token entra", "invitation time zone",
	"release seat left company", "ldap safety limit", "export", "reminder 30d"}

// BenchmarkHelpSearch measures a search of a help centre of benchArticles
// published articles, of about 400 words each written from the starter
// set's words, as a company manager (their audience's articles, about two
// in three): one operation is one search, its hits ranked and their
// snippets made, or one suggestion of five for a subject. The goal is 20 ms
// a search. On every backend:
//
//	go test -run '^$' -bench HelpSearch -benchtime 200x ./support/
func BenchmarkHelpSearch(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		db := be.Open(b)
		svc := &support.Service{Ledger: allot.NewService(db, allot.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), nil),
			Store: db.Support()}
		fillHelp(b, svc)
		ctx := allot.WithPrincipal(context.Background(), allot.Principal{UserID: 1, Role: allot.RoleCompanyManager, CompanyID: 1})
		for _, c := range []struct {
			name   string
			search func(q string) ([]support.Hit, error)
		}{
			{"search", func(q string) ([]support.Hit, error) { return svc.Search(ctx, q, 20) }},
			{"suggest", func(q string) ([]support.Hit, error) { return svc.Suggest(ctx, q) }},
		} {
			b.Run(c.name, func(b *testing.B) {
				found := 0
				for i := range b.N {
					hits, err := c.search(benchQueries[i%len(benchQueries)])
					if err != nil {
						b.Fatal(err)
					}
					found += len(hits)
				}
				if found == 0 {
					b.Fatal("no search found anything")
				}
				b.ReportMetric(float64(found)/float64(b.N), "hits/op")
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			})
		}
	})
}

// fillHelp writes benchArticles published articles: titles of a few words
// and texts of about 400, drawn from the words of the starter set, each
// for one audience or more.
func fillHelp(tb testing.TB, svc *support.Service) {
	tb.Helper()
	starter, err := articles.All()
	if err != nil {
		tb.Fatal(err)
	}
	var words []string
	for _, a := range starter {
		words = append(words, strings.Fields(a.Title+" "+a.Body)...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	text := func(n int) string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[r.IntN(len(words))]
		}
		return strings.Join(out, " ")
	}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	for i := range benchArticles {
		var body strings.Builder
		for range 8 {
			body.WriteString(text(50) + "\n\n")
		}
		auds := []support.Audience{support.Audiences[i%3]}
		if i%2 == 0 {
			auds = append(auds, support.Audiences[(i+1)%3])
		}
		if _, err := svc.CreateArticle(sys, support.NewArticle{Title: text(3 + r.IntN(4)), Body: body.String(), Audiences: auds,
			Published: true}); err != nil {
			tb.Fatal(err)
		}
	}
}
