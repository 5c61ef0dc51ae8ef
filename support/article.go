package support

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"allot"
	"allot/support/articles"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/unicode/norm"
)

// Audience is a kind of reader the help centre writes for.
type Audience string

// The audiences.
const (
	CompanyManagers Audience = "company_managers"
	PartnerManagers Audience = "partner_managers"
	Members         Audience = "members"
)

// Audiences lists every audience, in the order the help centre names them.
var Audiences = []Audience{CompanyManagers, PartnerManagers, Members}

// AudienceOf is the audience p reads the help centre as: a company's
// manager, a partner's manager, or a member (a learner, and anyone else who
// is not the vendor's). The vendor's staff read every audience: "".
func AudienceOf(p allot.Principal) Audience {
	switch {
	case p.Role.Vendor():
		return ""
	case p.Role == allot.RoleCompanyManager:
		return CompanyManagers
	case p.Role == allot.RolePartnerManager:
		return PartnerManagers
	}
	return Members
}

// Article is a page of the help centre: Markdown for one or more audiences,
// a draft until published. Its slug names it in its public link and never
// changes.
type Article struct {
	ID        int64
	Slug      string
	Title     string
	Body      string // Markdown
	Audiences []Audience
	Published bool
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string // the e-mail of who changed it last
}

// For reports whether a is written for audience aud.
func (a Article) For(aud Audience) bool { return slices.Contains(a.Audiences, aud) }

// The limits of an article.
const (
	MaxTitle = 200       // characters
	MaxBody  = 100 << 10 // bytes of Markdown
	maxSlug  = 80
)

// markdown turns an article's Markdown into HTML: CommonMark with GitHub's
// tables, strikethrough, task lists and links, raw HTML left out. policy
// then keeps of that HTML only what user content may hold. Both are made
// once and only read, from any goroutine.
var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))
	policy   = bluemonday.UGCPolicy()
)

// HTML is the article's body as HTML, safe to put in a page: no script, no
// event handler, no raw HTML of the Markdown survives.
func (a Article) HTML() template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(a.Body), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(a.Body)) // writing to a buffer does not fail
	}
	return template.HTML(policy.SanitizeBytes(b.Bytes()))
}

// plainText is Markdown src as the words a reader sees, which search reads
// and quotes: no markup, no link target, no raw HTML, one space between
// words.
func plainText(src string) string {
	source := []byte(src)
	var b strings.Builder
	ast.Walk(markdown.Parser().Parse(text.NewReader(source)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				b.Write(n.Value(source))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.Label(source))
			}
		}
		if !entering && n.Type() == ast.TypeBlock {
			if lines := n.Lines(); n.Kind() == ast.KindCodeBlock || n.Kind() == ast.KindFencedCodeBlock {
				for i := range lines.Len() {
					line := lines.At(i)
					b.Write(line.Value(source))
				}
			}
			b.WriteByte('\n')
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// NewArticle is what writing an article takes.
type NewArticle struct {
	Title     string
	Body      string // Markdown
	Audiences []Audience
	Published bool
}

// ArticleChange is a change of an article: nil fields stay as they are.
type ArticleChange struct {
	Title     *string
	Body      *string
	Audiences []Audience // nil: unchanged
	Published *bool
}

// ArticleFilter selects articles, by title. A reader who is not of the
// vendor's staff lists the published articles of their own audience
// whatever it says.
type ArticleFilter struct {
	Audience Audience // "" for every audience
	Drafts   bool     // the drafts too
	Limit    int
	Offset   int
}

// Hit is an article a search found, without its body.
type Hit struct {
	Article
	// Snippet is HTML: the words of the article around those searched,
	// escaped, each word found in a <mark>.
	Snippet string
	Rank    float64 // higher first; comparable within one search only
}

// The marks a store puts around each word found in a snippet. No article
// holds them: a title or body may hold no control character but tabs and
// new lines.
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// ArticleSearch is a search of the published articles.
type ArticleSearch struct {
	// Terms are words of letters and digits, each matching a word of the
	// article that starts with it, in its title or its text.
	Terms    []string
	Any      bool     // any term matches; otherwise every term must
	Audience Audience // "" for every audience
	Limit    int
}

// articleTx keeps the help centre's articles.
type articleTx interface {
	// CreateArticle stores a, with text (its body as plain text, which
	// search reads and quotes), and sets its ID; ECONFLICT when its slug
	// is taken.
	CreateArticle(a *Article, text string) error
	// UpdateArticle saves a's title, body, text, audiences, publication
	// and update; ENOTFOUND when there is no article a.ID.
	UpdateArticle(a Article, text string) error
	// DeleteArticle deletes article id; ENOTFOUND when there is none.
	DeleteArticle(id int64) error
	// Article returns article id; ENOTFOUND when there is none.
	Article(id int64) (Article, error)
	// ArticleBySlug returns the article of that slug; ENOTFOUND when there
	// is none.
	ArticleBySlug(slug string) (Article, error)
	// Articles returns the articles f selects, by title.
	Articles(f ArticleFilter) ([]Article, error)
	// ArticleSlugs returns the slugs that are base, or base followed by a
	// dash and more.
	ArticleSlugs(base string) ([]string, error)
	// HasArticles reports whether there is any article, draft or not.
	HasArticles() (bool, error)
	// SearchArticles returns at most q.Limit published articles that match
	// q, the best first, without their bodies, each with a snippet of its
	// text between MarkStart and MarkEnd around the words found.
	SearchArticles(q ArticleSearch) ([]Hit, error)
}

// CreateArticle writes an article (ActEditHelp), named by a slug made of
// its title: a slug taken already gets -2, -3….
func (s *Service) CreateArticle(ctx context.Context, in NewArticle) (Article, error) {
	a := Article{Title: in.Title, Body: in.Body, Audiences: in.Audiences, Published: in.Published}
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActEditHelp, p.Home()); err != nil {
			return err
		}
		return s.create(tx, p, &a)
	})
	return a, err
}

// create checks and stores a new article as p, and records it. Its slug
// is the first free one of its title, unless the caller set one.
func (s *Service) create(tx Tx, p allot.Principal, a *Article) error {
	if err := a.check(); err != nil {
		return err
	}
	if a.Slug == "" {
		slug, err := freeSlug(tx, slugOf(a.Title))
		if err != nil {
			return err
		}
		a.Slug = slug
	}
	a.CreatedAt = s.Ledger.Clock.Now()
	a.UpdatedAt, a.UpdatedBy = a.CreatedAt, p.Email
	if err := tx.CreateArticle(a, plainText(a.Body)); err != nil {
		return fmt.Errorf("create article: %w", err)
	}
	return s.Ledger.Record(tx, p, allot.Company{}, "article.create", "article", a.ID, nil, a)
}

// InstallStarter installs the starter set of articles written for allot
// itself, published, when the help centre has no article at all, draft or
// not (ActEditHelp); it returns how many it added, none when there were
// articles. Of several processes starting at once, one installs the set
// and the others find it there.
func (s *Service) InstallStarter(ctx context.Context) (int, error) {
	starter, err := articles.All()
	if err != nil {
		return 0, fmt.Errorf("the starter articles: %w", err)
	}
	n, err := s.installStarter(ctx, starter)
	if allot.ErrorCode(err) == allot.ECONFLICT {
		n, err = s.installStarter(ctx, starter) // another process's slugs came first
	}
	return n, err
}

func (s *Service) installStarter(ctx context.Context, starter []articles.Article) (int, error) {
	n := 0
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActEditHelp, p.Home()); err != nil {
			return err
		}
		if has, err := tx.HasArticles(); err != nil || has {
			return err
		}
		for _, st := range starter {
			// The slug of its title alone: a process installing the set
			// at the same time makes the same, which the second to
			// store it is refused.
			a := Article{Title: st.Title, Slug: slugOf(st.Title), Body: st.Body, Published: true}
			for _, aud := range st.Audiences {
				a.Audiences = append(a.Audiences, Audience(aud))
			}
			if err := s.create(tx, p, &a); err != nil {
				return fmt.Errorf("starter article %s: %w", st.Name, err)
			}
		}
		n = len(starter)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// UpdateArticle changes article id (ActEditHelp). Its slug stays, so that
// its links keep working.
func (s *Service) UpdateArticle(ctx context.Context, id int64, ch ArticleChange) (Article, error) {
	var a Article
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActEditHelp, p.Home()); err != nil {
			return err
		}
		before, err := tx.Article(id)
		if err != nil {
			return err
		}
		a = before
		a.Title, a.Body = deref(ch.Title, a.Title), deref(ch.Body, a.Body)
		a.Published = deref(ch.Published, a.Published)
		if ch.Audiences != nil {
			a.Audiences = ch.Audiences
		}
		if err := a.check(); err != nil {
			return err
		}
		a.UpdatedAt, a.UpdatedBy = s.Ledger.Clock.Now(), p.Email
		if err := tx.UpdateArticle(a, plainText(a.Body)); err != nil {
			return fmt.Errorf("update article %d: %w", id, err)
		}
		return s.Ledger.Record(tx, p, allot.Company{}, "article.update", "article", id, before, a)
	})
	return a, err
}

func deref[T any](v *T, or T) T {
	if v == nil {
		return or
	}
	return *v
}

// DeleteArticle deletes article id (ActEditHelp).
func (s *Service) DeleteArticle(ctx context.Context, id int64) error {
	return allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActEditHelp, p.Home()); err != nil {
			return err
		}
		before, err := tx.Article(id)
		if err != nil {
			return err
		}
		if err := tx.DeleteArticle(id); err != nil {
			return fmt.Errorf("delete article %d: %w", id, err)
		}
		return s.Ledger.Record(tx, p, allot.Company{}, "article.delete", "article", id, before, nil)
	})
}

// Article returns the article of that slug as the principal reads it: a
// published article of their audience, or for the vendor's staff any,
// drafts too. Any other reads as not found.
func (s *Service) Article(ctx context.Context, slug string) (Article, error) {
	var a Article
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var err error
		if a, err = tx.ArticleBySlug(slug); err != nil {
			return err
		}
		if aud := AudienceOf(p); aud != "" && (!a.Published || !a.For(aud)) {
			return allot.NotFound("article")
		}
		return nil
	})
	return a, err
}

// PublicArticle returns the published article of that slug, whoever asks
// or if nobody is signed in: what its public link shows.
func (s *Service) PublicArticle(ctx context.Context, slug string) (Article, error) {
	var a Article
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if a, err = tx.ArticleBySlug(slug); err == nil && !a.Published {
			err = allot.NotFound("article")
		}
		return err
	})
	return a, err
}

// Articles returns the articles f selects, by title: for the vendor's
// staff as f says, for anyone else the published ones of their audience.
func (s *Service) Articles(ctx context.Context, f ArticleFilter) ([]Article, error) {
	var out []Article
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if aud := AudienceOf(p); aud != "" {
			f.Audience, f.Drafts = aud, false
		}
		if f.Audience != "" && !slices.Contains(Audiences, f.Audience) {
			return allot.Invalid("audience", "the audience is one of %v", Audiences)
		}
		f.Limit, f.Offset = allot.ClampLimit(f.Limit), max(f.Offset, 0)
		var err error
		out, err = tx.Articles(f)
		return err
	})
	return out, err
}

// Search returns at most limit published articles of the principal's
// audience (of every audience for the vendor's staff) holding every word
// of query, or words starting with it, the best first: a word in the title
// counts more than in the text. A query without any word finds nothing.
func (s *Service) Search(ctx context.Context, query string, limit int) ([]Hit, error) {
	return s.search(ctx, ArticleSearch{Terms: Terms(query), Limit: allot.ClampLimit(limit)})
}

// Suggest returns the five published articles of the principal's audience
// that best match a subject being typed, holding any of its words.
func (s *Service) Suggest(ctx context.Context, subject string) ([]Hit, error) {
	return s.search(ctx, ArticleSearch{Terms: Terms(subject), Any: true, Limit: 5})
}

func (s *Service) search(ctx context.Context, q ArticleSearch) ([]Hit, error) {
	var hits []Hit
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if len(q.Terms) == 0 {
			return nil
		}
		q.Audience = AudienceOf(p)
		var err error
		if hits, err = tx.SearchArticles(q); err != nil {
			return fmt.Errorf("search articles: %w", err)
		}
		return nil
	})
	for i := range hits {
		hits[i].Snippet = snippetHTML(hits[i].Snippet)
	}
	return hits, err
}

// maxTerms is the most words a search reads.
const maxTerms = 12

// Terms returns the words of a search: runs of letters and digits, in lower
// case, once each, of two characters or more (a single letter would match
// most words), at most maxTerms. Nothing else of the query reaches the
// store, so no query breaks its syntax.
func Terms(query string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(query), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	}) {
		if utf8.RuneCountInString(w) >= 2 && !slices.Contains(out, w) && len(out) < maxTerms {
			out = append(out, w)
		}
	}
	return out
}

// snippetHTML turns a store's snippet, plain text with marks around the
// words found, into HTML.
func snippetHTML(s string) string {
	var b strings.Builder
	open := false
	for s != "" {
		i := strings.IndexAny(s, MarkStart+MarkEnd)
		if i < 0 {
			b.WriteString(html.EscapeString(s))
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		switch {
		case s[i:i+1] == MarkStart && !open:
			b.WriteString("<mark>")
			open = true
		case s[i:i+1] == MarkEnd && open:
			b.WriteString("</mark>")
			open = false
		}
		s = s[i+1:]
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}

// check checks an article's fields and puts them in their usual form: the
// title trimmed, the body's lines ended by \n, each audience once in the
// order of Audiences.
func (a *Article) check() error {
	a.Title = strings.TrimSpace(a.Title)
	if a.Title == "" {
		return allot.Invalid("title", "an article needs a title")
	}
	if err := allot.CheckText("title", a.Title, MaxTitle); err != nil {
		return err
	}
	a.Body = strings.TrimSpace(strings.ReplaceAll(a.Body, "\r\n", "\n"))
	if err := checkBody(a.Body); err != nil {
		return err
	}
	var auds []Audience
	for _, aud := range Audiences {
		if a.For(aud) {
			auds = append(auds, aud)
		}
	}
	for _, aud := range a.Audiences {
		if !slices.Contains(Audiences, aud) {
			return allot.Invalid("audiences", "no audience %q: the audiences are %v", aud, Audiences)
		}
	}
	if len(auds) == 0 {
		return allot.Invalid("audiences", "choose at least one audience the article is for")
	}
	a.Audiences = auds
	return nil
}

// checkBody checks an article's Markdown: there is some, within MaxBody,
// in UTF-8, with no control character but tabs and new lines.
func checkBody(body string) error {
	switch {
	case body == "":
		return allot.Invalid("body", "an article needs a text")
	case len(body) > MaxBody:
		return allot.Invalid("body", "an article's text has at most %d KB", MaxBody>>10)
	case !utf8.ValidString(body):
		return allot.Invalid("body", "the text is not UTF-8")
	}
	if i := strings.IndexFunc(body, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }); i >= 0 {
		return allot.Invalid("body", "the text holds a control character at byte %d", i)
	}
	return nil
}

// ReservedSlugs are the paths of the help centre's own pages beside its
// articles' (/help/edit, /help/suggest, /help/edit/new): no article is
// named so.
var ReservedSlugs = []string{"edit", "new", "suggest", "search"}

// slugOf makes a slug of a title: its letters without accents and its
// digits in lower case, other runs of characters a dash, apostrophes
// dropped; at most maxSlug characters, cut at a dash. A title with none of
// them is "article".
func slugOf(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(title)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r) || r == '\'' || r == '’':
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	slug := strings.TrimSuffix(b.String(), "-")
	if len(slug) > maxSlug {
		slug = slug[:maxSlug]
		if i := strings.LastIndexByte(slug, '-'); i > 0 {
			slug = slug[:i]
		}
	}
	if slug == "" {
		return "article"
	}
	return slug
}

// freeSlug returns base, or base-2, base-3…, the first no article has and
// no page of the help centre is named.
func freeSlug(tx Tx, base string) (string, error) {
	taken, err := tx.ArticleSlugs(base)
	if err != nil {
		return "", fmt.Errorf("article slugs: %w", err)
	}
	taken = append(taken, ReservedSlugs...)
	slug := base
	for n := 2; slices.Contains(taken, slug); n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	return slug, nil
}
