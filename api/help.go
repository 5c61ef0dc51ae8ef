package api

import (
	"context"
	"strconv"
	"time"

	"allot/support"
)

// article is an article of the help centre as the API shows it.
type article struct {
	ID        int64     `json:"id" example:"7"`
	Slug      string    `json:"slug" example:"allocating-seats-to-learners" doc:"Names the article in its public link, /help/SLUG; it never changes."`
	Title     string    `json:"title" example:"Allocating seats to learners"`
	Body      string    `json:"body,omitempty" doc:"The text in Markdown; absent in lists and searches."`
	HTML      string    `json:"html,omitempty" doc:"The text as HTML, sanitised; absent in lists and searches."`
	Audiences []string  `json:"audiences" example:"[\"company_managers\",\"partner_managers\"]" doc:"Whom it is written for: company_managers, partner_managers, members."`
	Published bool      `json:"published" doc:"A draft (false) is read by the vendor's staff only."`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toArticle(a support.Article) article {
	out := article{ID: a.ID, Slug: a.Slug, Title: a.Title, Body: a.Body, Published: a.Published, CreatedAt: a.CreatedAt,
		UpdatedAt: a.UpdatedAt, Audiences: make([]string, len(a.Audiences))}
	for i, aud := range a.Audiences {
		out.Audiences[i] = string(aud)
	}
	if a.Body != "" {
		out.HTML = string(a.HTML())
	}
	return out
}

// hit is an article a search found.
type hit struct {
	Article article `json:"article"`
	Snippet string  `json:"snippet" example:"… a <mark>reallocation</mark> gives their seat to another learner …" doc:"HTML: the text around the words found, escaped, each word found in a mark element."`
	Rank    float64 `json:"rank" doc:"Higher is better; comparable within one search only."`
}

func toHit(h support.Hit) hit {
	return hit{Article: toArticle(h.Article), Snippet: h.Snippet, Rank: h.Rank}
}

type helpArticlesInput struct {
	Audience string `query:"audience" maxLength:"40" example:"members" doc:"Only the articles of this audience: company_managers, partner_managers or members. Anyone but the vendor's staff reads their own audience's articles only."`
	Drafts   bool   `query:"drafts" doc:"The drafts too, for the vendor's staff."`
	Cursor   string `query:"cursor" doc:"The next value of the previous page."`
	Limit    int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

// helpArticles pages by the count of articles before the page: the list
// is by title, which an ID does not follow.
func (s *Server) helpArticles(ctx context.Context, in *helpArticlesInput) (*listOutput[article], error) {
	offset, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	as, err := s.support.Articles(ctx, support.ArticleFilter{Audience: support.Audience(in.Audience), Drafts: in.Drafts,
		Limit: in.Limit, Offset: int(offset)})
	out, err := list(as, err, toArticle)
	if err == nil && len(as) >= in.Limit {
		out.Body.Next = strconv.Itoa(int(offset) + len(as))
	}
	return out, err
}

type slugInput struct {
	Slug string `path:"slug" maxLength:"100" example:"allocating-seats-to-learners"`
}

func (s *Server) helpArticle(ctx context.Context, in *slugInput) (*body[article], error) {
	a, err := s.support.Article(ctx, in.Slug)
	return one(a, err, toArticle)
}

type newArticleInput struct {
	Body struct {
		Title     string   `json:"title" minLength:"1" maxLength:"200" example:"Allocating seats to learners"`
		Body      string   `json:"body" minLength:"1" maxLength:"102400" doc:"The text in Markdown, at most 100 KB."`
		Audiences []string `json:"audiences" minItems:"1" maxItems:"3" example:"[\"company_managers\"]" doc:"company_managers, partner_managers, members."`
		Published bool     `json:"published,omitempty" doc:"Publish it at once; a draft otherwise."`
	}
}

func (s *Server) createHelpArticle(ctx context.Context, in *newArticleInput) (*body[article], error) {
	a, err := s.support.CreateArticle(ctx, support.NewArticle{Title: in.Body.Title, Body: in.Body.Body,
		Audiences: audiences(in.Body.Audiences), Published: in.Body.Published})
	return one(a, err, toArticle)
}

func audiences(in []string) []support.Audience {
	if in == nil {
		return nil
	}
	out := make([]support.Audience, len(in))
	for i, a := range in {
		out[i] = support.Audience(a)
	}
	return out
}

type articleChangeInput struct {
	Slug string `path:"slug" maxLength:"100"`
	Body struct {
		Title     *string  `json:"title,omitempty" minLength:"1" maxLength:"200"`
		Body      *string  `json:"body,omitempty" minLength:"1" maxLength:"102400" doc:"The text in Markdown, at most 100 KB."`
		Audiences []string `json:"audiences,omitempty" minItems:"1" maxItems:"3" doc:"company_managers, partner_managers, members."`
		Published *bool    `json:"published,omitempty" doc:"Publish (true) or take back to a draft (false)."`
	}
}

// updateHelpArticle finds the article as the caller reads it: one they do
// not read is not found, one they read but may not change forbidden.
func (s *Server) updateHelpArticle(ctx context.Context, in *articleChangeInput) (*body[article], error) {
	a, err := s.support.Article(ctx, in.Slug)
	if err != nil {
		return nil, err
	}
	a, err = s.support.UpdateArticle(ctx, a.ID, support.ArticleChange{Title: in.Body.Title, Body: in.Body.Body,
		Audiences: audiences(in.Body.Audiences), Published: in.Body.Published})
	return one(a, err, toArticle)
}

func (s *Server) deleteHelpArticle(ctx context.Context, in *slugInput) (*struct{}, error) {
	a, err := s.support.Article(ctx, in.Slug)
	if err != nil {
		return nil, err
	}
	return nil, s.support.DeleteArticle(ctx, a.ID)
}

type helpSearchInput struct {
	Q     string `query:"q" maxLength:"200" example:"renew expired" doc:"Words, each matching the start of a word of an article; every one must match. Anything but letters and digits separates them."`
	Limit int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

func (s *Server) searchHelp(ctx context.Context, in *helpSearchInput) (*listOutput[hit], error) {
	hits, err := s.support.Search(ctx, in.Q, in.Limit)
	return list(hits, err, toHit)
}
