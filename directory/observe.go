package directory

import (
	"errors"

	"allot"
)

// observeImport tells ObserveImport how a step of an import that was
// from ended: failed with err, else previewed or applied. A run that
// another took over ended nothing: the other run is observed.
func (s *Service) observeImport(from ImportStatus, err error) {
	if s.ObserveImport == nil || errors.Is(err, allot.ErrTakenOver) {
		return
	}
	switch {
	case err != nil:
		s.ObserveImport(string(ImportFailed))
	case from == ImportPreviewing:
		s.ObserveImport(string(ImportPreviewed))
	default:
		s.ObserveImport(string(ImportApplied))
	}
}

// observeSync tells ObserveSync how run r ended: failed with err, else as
// its status says. A run refused before it started (a connection not
// found, or not the principal's to run) is none.
func (s *Service) observeSync(r SyncRun, err error) {
	if s.ObserveSync == nil || r.Status == "" {
		return
	}
	if err != nil {
		r.Status = SyncFailed
	}
	s.ObserveSync(string(r.Status))
}
