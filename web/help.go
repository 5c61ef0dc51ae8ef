package web

import (
	"html/template"
	"net/http"
	"net/url"

	"allot"
	"allot/support"
)

// helpData is the help centre of the viewer's audience: its articles, or
// what a search of them found.
type helpData struct {
	Query    string
	Articles []support.Article
	Hits     []hitLine
	CanEdit  bool
	CanAsk   bool // a request to the support desk is one link away
}

// helpPage is the help centre of the signed-in person's audience: its
// articles by title, or, with q, those that match it, the best first, each
// with the words around those found.
func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	q := readQuery(r)
	data := helpData{Query: q.text("q"), CanEdit: p.May(allot.ActEditHelp, p.Home()),
		CanAsk: !p.Role.Vendor() && p.May(allot.ActAskSupport, p.Home())}
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	var err error
	if data.Query != "" {
		var hits []support.Hit
		hits, err = s.support.Search(r.Context(), data.Query, 50)
		data.Hits = hitLines(hits)
	} else {
		data.Articles, err = s.support.Articles(r.Context(), support.ArticleFilter{Limit: allot.MaxLimit})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "help", s.page(r, "Help centre", data))
}

// helpSuggest is the list of articles the request form shows as its
// subject is typed: a fragment of HTML, not a page. Nobody signed in, or
// a subject that cannot be searched, gets its status and no list.
func (s *Server) helpSuggest(w http.ResponseWriter, r *http.Request) {
	q := readQuery(r)
	subject := q.text("q")
	if q.err != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		return
	}
	hits, err := s.support.Suggest(r.Context(), subject)
	if err != nil {
		if allot.ErrorCode(err) == allot.EINTERNAL {
			s.log.Error("suggest articles", "err", err)
		}
		w.WriteHeader(statusFor(err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages["help"].ExecuteTemplate(w, "suggestions", hitLines(hits)); err != nil {
		s.log.Error("render", "page", "help suggestions", "err", err)
	}
}

// articleData is an article as its page shows it.
type articleData struct {
	Article support.Article
	HTML    template.HTML
	Staff   bool // the viewer is of the vendor's staff: the audiences and the state show
	CanEdit bool
}

// articlePage is an article of the help centre: for a signed-in person as
// they read it (a published article of their audience; the vendor's staff
// any), and for anyone else, who follows its public link, if published.
func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	ctx, slug := r.Context(), r.PathValue("slug")
	p, err := allot.PrincipalFrom(ctx)
	signedIn := err == nil
	var a support.Article
	if signedIn {
		a, err = s.support.Article(ctx, slug)
	} else {
		a, err = s.support.PublicArticle(ctx, slug)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := articleData{Article: a, HTML: a.HTML(), Staff: p.Role.Vendor(), CanEdit: signedIn && p.May(allot.ActEditHelp, p.Home())}
	v := s.page(r, a.Title, data)
	v.Path = "/help"
	s.render(w, http.StatusOK, "help_article", v)
}

// editedArticle returns article {slug} when the signed-in principal may
// write the help centre, or answers the request.
func (s *Server) editedArticle(w http.ResponseWriter, r *http.Request) (support.Article, bool) {
	if _, ok := s.allowed(w, r, allot.ActEditHelp); !ok {
		return support.Article{}, false
	}
	a, err := s.support.Article(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return support.Article{}, false
	}
	return a, true
}

// helpEditData is every article, drafts too, for those who write them.
type helpEditData struct {
	Articles []support.Article
}

// helpEditPage lists every article, drafts too, to write, publish or
// delete them.
func (s *Server) helpEditPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActEditHelp); !ok {
		return
	}
	list, err := s.support.Articles(r.Context(), support.ArticleFilter{Drafts: true, Limit: allot.MaxLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "Edit the help centre", helpEditData{Articles: list})
	v.Path = "/help"
	s.render(w, http.StatusOK, "help_edit", v)
}

// articleForm is the form that writes an article, with the preview of its
// text when asked.
type articleForm struct {
	Article   support.Article // the article changed; zero for a new one
	Audiences []support.Audience
	Checked   map[support.Audience]bool // the audiences ticked
	Preview   template.HTML
	Previewed bool
}

// newArticlePage is the form of a new article.
func (s *Server) newArticlePage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActEditHelp); !ok {
		return
	}
	s.renderArticleForm(w, r, support.Article{}, nil)
}

// editArticlePage is the form that changes an article, its text shown as
// it reads.
func (s *Server) editArticlePage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.editedArticle(w, r)
	if !ok {
		return
	}
	r.PostForm = url.Values{"title": {a.Title}, "body": {a.Body}}
	for _, aud := range a.Audiences {
		r.PostForm.Add("audience", string(aud))
	}
	if a.Published {
		r.PostForm.Set("published", "1")
	}
	s.renderArticleForm(w, r, a, nil)
}

// renderArticleForm renders the form of article a with the values posted,
// the preview of their text when asked, and formErr beside its field.
func (s *Server) renderArticleForm(w http.ResponseWriter, r *http.Request, a support.Article, formErr error) {
	data := articleForm{Article: a, Audiences: support.Audiences, Checked: map[support.Audience]bool{},
		Previewed: r.PostForm.Get("action") == "preview"}
	for _, aud := range formAudiences(r) {
		data.Checked[aud] = true
	}
	if data.Previewed {
		data.Preview = support.Article{Body: r.PostForm.Get("body")}.HTML()
	}
	title := "New article"
	if a.ID != 0 {
		title = "Edit " + a.Title
	}
	v := s.page(r, title, data)
	v.Path = "/help"
	s.renderForm(w, r, "help_article_form", v, formErr)
}

// saveArticle writes a new article, or previews it.
func (s *Server) saveArticle(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActEditHelp); !ok {
		return
	}
	r.ParseForm()
	if r.PostForm.Get("action") == "preview" {
		s.renderArticleForm(w, r, support.Article{}, nil)
		return
	}
	a, err := s.support.CreateArticle(r.Context(), support.NewArticle{Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body"),
		Audiences: formAudiences(r), Published: r.PostForm.Get("published") == "1"})
	if err != nil {
		s.renderArticleForm(w, r, support.Article{}, err)
		return
	}
	s.done(w, r, "/help/edit", "The article "+a.Title+" was saved at /help/"+a.Slug+".")
}

// updateArticle saves the changes of an article, or previews them.
func (s *Server) updateArticle(w http.ResponseWriter, r *http.Request) {
	a, ok := s.editedArticle(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	if r.PostForm.Get("action") == "preview" {
		s.renderArticleForm(w, r, a, nil)
		return
	}
	title, body, published := r.PostForm.Get("title"), r.PostForm.Get("body"), r.PostForm.Get("published") == "1"
	auds := formAudiences(r)
	if auds == nil {
		auds = []support.Audience{} // none ticked: an error, not "unchanged"
	}
	if _, err := s.support.UpdateArticle(r.Context(), a.ID, support.ArticleChange{Title: &title, Body: &body, Audiences: auds,
		Published: &published}); err != nil {
		s.renderArticleForm(w, r, a, err)
		return
	}
	s.done(w, r, "/help/edit", "The article "+title+" was saved.")
}

// formAudiences are the audiences ticked on an article's form.
func formAudiences(r *http.Request) []support.Audience {
	var out []support.Audience
	for _, aud := range r.PostForm["audience"] {
		out = append(out, support.Audience(aud))
	}
	return out
}

// publishArticle publishes an article (published=1) or takes it back to a
// draft (published=0).
func (s *Server) publishArticle(w http.ResponseWriter, r *http.Request) {
	a, ok := s.editedArticle(w, r)
	if !ok {
		return
	}
	published := r.FormValue("published") == "1"
	a, err := s.support.UpdateArticle(r.Context(), a.ID, support.ArticleChange{Published: &published})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "The article " + a.Title + " is published."
	if !published {
		msg = "The article " + a.Title + " is a draft again: only the vendor's staff read it."
	}
	s.done(w, r, "/help/edit", msg)
}

// deleteArticlePage asks to confirm deleting an article: the form works
// without a script.
func (s *Server) deleteArticlePage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.editedArticle(w, r)
	if !ok {
		return
	}
	v := s.page(r, "Delete "+a.Title, a)
	v.Path = "/help"
	s.render(w, http.StatusOK, "help_delete", v)
}

// deleteArticle deletes an article.
func (s *Server) deleteArticle(w http.ResponseWriter, r *http.Request) {
	a, ok := s.editedArticle(w, r)
	if !ok {
		return
	}
	if err := s.support.DeleteArticle(r.Context(), a.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/help/edit", "The article "+a.Title+" was deleted; its link leads nowhere now.")
}
