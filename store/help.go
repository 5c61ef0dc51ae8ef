package store

import (
	"fmt"
	"strings"

	"allot"
	"allot/support"
)

// The help centre's articles. Each audience is a column, so that the list
// of one audience's published articles reads a partial index of its own.
// Search is the one query of the two databases that differs by more than a
// word: SQLite searches an FTS5 table kept by triggers, ranked by BM25;
// PostgreSQL a weighted tsvector column kept by the database, ranked by
// ts_rank. Both read the title and the body's plain text, the title
// weighing more, and both match each term as the start of a word.

// audienceColumns are the columns of the audiences. Only these names
// reach a statement's text.
var audienceColumns = map[support.Audience]string{
	support.CompanyManagers: "a.for_company_managers",
	support.PartnerManagers: "a.for_partner_managers",
	support.Members:         "a.for_members",
}

// articleColumns are what an article is read from, without its body.
const articleColumns = `a.id, a.slug, a.title, a.for_company_managers, a.for_partner_managers, a.for_members, a.published,
	a.created_at, a.updated_at, a.updated_by`

func (t *tx) CreateArticle(a *support.Article, text string) error {
	return t.insert(&a.ID, `INSERT INTO articles (slug, title, body, body_text, for_company_managers, for_partner_managers,
			for_members, published, created_at, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		a.Slug, a.Title, a.Body, text, a.For(support.CompanyManagers), a.For(support.PartnerManagers), a.For(support.Members),
		a.Published, micros(a.CreatedAt), micros(a.UpdatedAt), a.UpdatedBy)
}

func (t *tx) UpdateArticle(a support.Article, text string) error {
	return t.execOne(allot.NotFound("article"), `UPDATE articles SET title = $2, body = $3, body_text = $4,
			for_company_managers = $5, for_partner_managers = $6, for_members = $7, published = $8, updated_at = $9, updated_by = $10
		WHERE id = $1`,
		a.ID, a.Title, a.Body, text, a.For(support.CompanyManagers), a.For(support.PartnerManagers), a.For(support.Members),
		a.Published, micros(a.UpdatedAt), a.UpdatedBy)
}

func (t *tx) DeleteArticle(id int64) error {
	return t.execOne(allot.NotFound("article"), `DELETE FROM articles WHERE id = $1`, id)
}

func (t *tx) Article(id int64) (support.Article, error) {
	return t.article(`a.id = $1`, id)
}

func (t *tx) ArticleBySlug(slug string) (support.Article, error) {
	return t.article(`a.slug = $1`, slug)
}

// article returns the one article where holds, with its body.
func (t *tx) article(where string, args ...any) (support.Article, error) {
	var (
		a    support.Article
		body string
	)
	err := t.get("article", func(s scanner) error {
		var err error
		a, err = scanArticle(s, &body)
		a.Body = body
		return err
	}, `SELECT `+articleColumns+`, a.body FROM articles a WHERE `+where, args...)
	return a, err
}

// scanArticle reads the columns of articleColumns, and more into more.
func scanArticle(s scanner, more ...any) (support.Article, error) {
	var (
		a                 support.Article
		cm, pm, member    bool
		created, modified int64
	)
	err := s.Scan(append([]any{&a.ID, &a.Slug, &a.Title, &cm, &pm, &member, &a.Published, &created, &modified, &a.UpdatedBy}, more...)...)
	// In the order of support.Audiences, as the service keeps them.
	in := map[support.Audience]bool{support.CompanyManagers: cm, support.PartnerManagers: pm, support.Members: member}
	for _, aud := range support.Audiences {
		if in[aud] {
			a.Audiences = append(a.Audiences, aud)
		}
	}
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(modified)
	return a, err
}

func (t *tx) Articles(f support.ArticleFilter) ([]support.Article, error) {
	where := []string{"true"}
	if !f.Drafts {
		where = append(where, "a.published")
	}
	if f.Audience != "" {
		col, ok := audienceColumns[f.Audience]
		if !ok {
			return nil, allot.Invalid("audience", "no audience %q", f.Audience)
		}
		where = append(where, col)
	}
	var out []support.Article
	err := t.list(func(s scanner) error {
		a, err := scanArticle(s)
		out = append(out, a)
		return err
	}, `SELECT `+articleColumns+` FROM articles a WHERE `+strings.Join(where, " AND ")+`
		ORDER BY a.title, a.id LIMIT $1 OFFSET $2`, f.Limit, f.Offset)
	return out, err
}

func (t *tx) ArticleSlugs(base string) ([]string, error) {
	return column[string](t, `SELECT slug FROM articles WHERE slug = $1 OR slug LIKE $2`, base, base+"-%")
}

func (t *tx) HasArticles() (bool, error) {
	var has bool
	err := t.get("articles", func(s scanner) error { return s.Scan(&has) }, `SELECT EXISTS (SELECT 1 FROM articles)`)
	return has, err
}

// searchArticles are the search's statements, by dialect: %s is the
// audience's condition. $1 is the query, $2 the limit.
var searchArticles = map[string]string{
	// rank is bm25, lower for a better match, a word in the title
	// weighing ten times one in the text. Ordered by rank, FTS5 returns
	// the rows best first itself, so that snippet() (the text, column 1,
	// its start when only the title matched) is made for the rows
	// returned only, not for every match before a sort.
	"sqlite": `SELECT ` + articleColumns + `, snippet(articles_fts, 1, char(2), char(3), '…', 24), -articles_fts.rank
		FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
		WHERE articles_fts MATCH $1 AND articles_fts.rank MATCH 'bm25(10.0, 1.0)' AND a.published%s
		ORDER BY articles_fts.rank LIMIT $2`,
	// ts_headline reads the whole text: it is run on the page of hits
	// only, not on every match.
	"postgres": `SELECT ` + articleColumns + `, ts_headline('english', a.body_text, q,
			'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'), a.rank
		FROM (SELECT a.*, ts_rank(a.search, q) AS rank, q
			FROM articles a, to_tsquery('english', $1) q
			WHERE a.search @@ q AND a.published%s
			ORDER BY rank DESC, a.id LIMIT $2) a
		ORDER BY a.rank DESC, a.id`,
}

func (t *tx) SearchArticles(q support.ArticleSearch) ([]support.Hit, error) {
	cond := ""
	if q.Audience != "" {
		col, ok := audienceColumns[q.Audience]
		if !ok {
			return nil, allot.Invalid("audience", "no audience %q", q.Audience)
		}
		cond = " AND " + col
	}
	match := t.d.matchTerms(q.Terms, q.Any)
	if match == "" {
		return nil, nil
	}
	var out []support.Hit
	err := t.list(func(s scanner) error {
		var h support.Hit
		var err error
		h.Article, err = scanArticle(s, &h.Snippet, &h.Rank)
		out = append(out, h)
		return err
	}, fmt.Sprintf(searchArticles[t.d.name], cond), match, q.Limit)
	return out, err
}

// matchTerms writes terms as the search query of the dialect, each the
// prefix of a word, all of them required or, with any, one enough. Each
// term is quoted, so that nothing in it is read as the query's syntax: in
// FTS5 a string in double quotes, in a tsquery a lexeme in single quotes,
// with the quotes (and a tsquery's backslashes) it holds doubled.
func (d dialect) matchTerms(terms []string, any bool) string {
	quoted := make([]string, 0, len(terms))
	for _, term := range terms {
		if term = strings.TrimSpace(term); term == "" {
			continue
		}
		if d.name == "postgres" {
			quoted = append(quoted, "'"+strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(term)+"':*")
		} else {
			quoted = append(quoted, `"`+strings.ReplaceAll(term, `"`, `""`)+`"*`)
		}
	}
	sep := map[bool]map[string]string{false: {"sqlite": " ", "postgres": " & "}, true: {"sqlite": " OR ", "postgres": " | "}}
	return strings.Join(quoted, sep[any][d.name])
}
