package api

import "net/http"

// Pattern returns the pattern of the API's route that answers r, such as
// "GET /v1/companies/{id}", or "" when none does: what the operators'
// metrics count a request under, never its raw path.
func (s *Server) Pattern(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	return pattern
}
