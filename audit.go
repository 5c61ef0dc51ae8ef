package allot

import "time"

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
	ActorID   int64
	BeforeID  int64 // paging: events with an ID smaller than this
	Limit     int
}
