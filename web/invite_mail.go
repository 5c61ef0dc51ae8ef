package web

import (
	"net/http"
	"strings"

	"allot"
)

// mailPolicy is the Content-Security-Policy of a previewed mail's HTML.
// The mail styles itself inline, as mail must, so its styles are let in;
// nothing else is. It is sandboxed, an origin of its own without script,
// forms or the dashboard's cookies, and only the dashboard may frame it.
const mailPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
	"frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

// inviteMail serves the HTML of the mail the wizard's choices would send
// its first person, as its own document: the review frames it.
func (s *Server) inviteMail(w http.ResponseWriter, r *http.Request) {
	c, ok := s.inviting(w, r)
	if !ok {
		return
	}
	wz := readWizard(r.URL.Query())
	pg, err := s.programs.Get(r.Context(), wz.Programme)
	if err == nil && pg.CompanyID != c.ID {
		err = allot.NotFound("programme")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := wz.invite()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.programs.Preview(r.Context(), in, s.baseURL(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", mailPolicy)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(m.HTML))
}

// framesMail lets the page being written frame the mail it previews: the
// dashboard's policy frames nothing, and this page frames its own origin.
func framesMail(w http.ResponseWriter) {
	h := w.Header()
	if csp := h.Get("Content-Security-Policy"); csp != "" && !strings.Contains(csp, "frame-src") {
		h.Set("Content-Security-Policy", csp+"; frame-src 'self'")
	}
}
