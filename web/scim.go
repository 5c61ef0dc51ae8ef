package web

import (
	"net/http"

	"allot"
	"allot/scim"
)

// scimData is the page of a company's SCIM connection: the tenant URL and
// token its identity provider is given. Secret is the token just made,
// shown this once.
type scimData struct {
	Company   allot.Company
	URL       string
	Connected bool
	Token     scim.Token // without its secret
	Secret    string
}

// companySCIM shows the managed company's SCIM connection.
func (s *Server) companySCIM(w http.ResponseWriter, r *http.Request) {
	s.renderSCIM(w, r, "")
}

// renderSCIM renders the page, with the token's secret when it was just
// made: in the answer to the request that made it, never in a link or a
// later page.
func (s *Server) renderSCIM(w http.ResponseWriter, r *http.Request, secret string) {
	c, ok := s.scimCompany(w, r)
	if !ok {
		return
	}
	t, err := s.scim.Token(r.Context(), c.ID)
	if err != nil && allot.ErrorCode(err) != allot.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	data := scimData{Company: c, URL: s.baseURL(r) + scim.Prefix, Connected: err == nil, Token: t, Secret: secret}
	v := s.page(r, "SCIM provisioning", data)
	s.render(w, http.StatusOK, "scim", v)
}

// newSCIMToken makes the managed company's SCIM token, or a new one that
// replaces the old at once, and shows it once.
func (s *Server) newSCIMToken(w http.ResponseWriter, r *http.Request) {
	c, ok := s.scimCompany(w, r)
	if !ok {
		return
	}
	_, secret, err := s.scim.NewToken(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.renderSCIM(w, r, secret)
}

// revokeSCIMToken revokes the managed company's SCIM token.
func (s *Server) revokeSCIMToken(w http.ResponseWriter, r *http.Request) {
	c, ok := s.scimCompany(w, r)
	if !ok {
		return
	}
	if err := s.scim.RevokeToken(r.Context(), c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/company/scim", "The SCIM token is revoked: "+c.Name+"'s identity provider is refused until you give it a new one.")
}

// scimCompany returns the managed company, when this server serves SCIM.
func (s *Server) scimCompany(w http.ResponseWriter, r *http.Request) (allot.Company, bool) {
	c, ok := s.managed(w, r)
	if ok && s.scim == nil {
		s.fail(w, r, allot.NotFound("scim"))
		return c, false
	}
	return c, ok
}
