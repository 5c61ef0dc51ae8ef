// Package api serves allot over HTTP. For now it answers the health and
// readiness probes of a process supervisor or load balancer.
package api

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"allot"
)

// Server is allot's HTTP handler.
type Server struct {
	svc *allot.Service
	log *slog.Logger
	mux *http.ServeMux
}

// New returns the HTTP handler of allot over svc.
func New(svc *allot.Service, log *slog.Logger) *Server {
	s := &Server{svc: svc, log: log, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.health)
	s.mux.HandleFunc("GET /readyz", s.ready)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// health answers while the process runs.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ready answers 200 while the database answers, 503 otherwise.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Store.Read(r.Context(), func(allot.Tx) error { return nil }); err != nil {
		s.log.Error("readiness: database unreachable", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
