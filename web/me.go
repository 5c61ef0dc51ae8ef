package web

import "net/http"

// learnerPage is My access: the signed-in person's products, each with
// until when, the days left and a link to use it, or why not; and, once
// access ends soon or has ended, whom to ask (allot.Service.MyAccess).
func (s *Server) learnerPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.me(w, r); !ok {
		return
	}
	list, err := s.svc.MyAccess(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "access", s.page(r, "My access", list))
}
