package allot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Event is one entry of the audit log: who did what to which subject, in
// which company, with the subject's state before and after (as JSON).
type Event struct {
	ID          int64
	At          time.Time
	ActorID     int64  // 0 for the system
	ActorEmail  string // kept so the log reads the same after the person is gone
	CompanyID   int64  // the company the action concerns; in manage-company mode, the one acted in
	PartnerID   int64  // that company's partner, for the partner's view of the log
	ManageMode  bool   // the actor acted in CompanyID through manage-company mode
	Action      string // e.g. order.assign, seat.release
	SubjectType string
	SubjectID   int64
	Before      string
	After       string
}

// EventFilter selects audit events, newest first. Zero fields do not filter.
type EventFilter struct {
	CompanyID int64
	PartnerID int64
	ActorID   int64     // the person who acted
	Action    string    // one action, such as seat.release
	From, To  time.Time // recorded in [From, To)
	BeforeID  int64     // paging: events with an ID smaller than this
	Limit     int
}

// Record writes an audit event for an action of p on a subject of company c,
// in the caller's transaction. before and after are stored as JSON; nil is
// stored as empty.
func (s *Service) Record(tx Tx, p Principal, c Company, action, subjectType string, subjectID int64, before, after any) error {
	e := s.AuditEvent(p, c, action)
	e.SubjectType, e.SubjectID, e.Before, e.After = subjectType, subjectID, AuditJSON(before), AuditJSON(after)
	if err := tx.AddEvent(&e); err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

// AuditEvent returns an audit event of an action of p in company c, now:
// what a store records for each of many subjects at once.
func (s *Service) AuditEvent(p Principal, c Company, action string) Event {
	return Event{
		At:         s.Clock.Now(),
		ActorID:    p.UserID,
		ActorEmail: p.Email,
		CompanyID:  c.ID,
		PartnerID:  c.PartnerID,
		ManageMode: p.ActingCompanyID != 0 && p.ActingCompanyID == c.ID,
		Action:     action,
	}
}

// AuditJSON returns v as an audit event keeps it, before or after: JSON,
// and empty for nil.
func AuditJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

// EventCount returns how many events of the audit log Events would list
// for f, paging aside.
func (s *Service) EventCount(ctx context.Context, f EventFilter) (int, error) {
	var n int
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, cmp.Or(f.CompanyID, p.ActingCompanyID), ActSeeAudit)
		if err != nil {
			return err
		}
		sc.narrow(&f.CompanyID, &f.PartnerID)
		f.BeforeID = 0
		n, err = tx.CountEvents(f)
		return err
	})
	return n, err
}

// Events returns the audit log of company f.CompanyID or, without it, of
// p's scope (ListScope; in manage-company mode, the company acted in),
// newest first.
func (s *Service) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	var out []Event
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, cmp.Or(f.CompanyID, p.ActingCompanyID), ActSeeAudit)
		if err != nil {
			return err
		}
		sc.narrow(&f.CompanyID, &f.PartnerID)
		f.Limit = ClampLimit(f.Limit)
		out, err = tx.Events(f)
		return err
	})
	return out, err
}
