package support

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
)

// Status is where a request stands.
type Status string

// The statuses of a request.
const (
	StatusNew     Status = "new"     // nobody of the desk has answered yet
	StatusOpen    Status = "open"    // the desk works on it
	StatusWaiting Status = "waiting" // waiting on the customer: the resolution clock stops
	StatusSolved  Status = "solved"  // answered; a message from the requester opens it again
	StatusClosed  Status = "closed"  // done for good: a new question is a new request
)

// Statuses lists the statuses in the order a request goes through them.
var Statuses = []Status{StatusNew, StatusOpen, StatusWaiting, StatusSolved, StatusClosed}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Request is a question to the desk, with its service-level clocks.
type Request struct {
	ID          int64
	CompanyID   int64 // the requester's company; 0 for a partner manager's own request
	Company     string
	PartnerID   int64 // the company's partner, or the requesting partner manager's; 0 for a direct customer
	RequesterID int64
	Requester   string // their e-mail
	Subject     string
	Category    string
	Team        Team
	Priority    Priority
	Status      Status
	AssigneeID  int64 // 0 while nobody of the desk has taken it
	Assignee    string
	PolicyID    int64
	DueAt       time.Time // the soonest due of its running targets: the queue's order; zero when none runs
	WarnAt      time.Time // the soonest warning of its running targets; zero when none runs
	Breached    bool      // a target of it was breached
	Escalated   time.Time // when Support handed it to Customer Success; zero when never
	Token       string    `json:"-"` // names it in the address its mail is answered to
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Targets     []TargetState // its targets, running and past, by start; filled when read alone
	Copies      []int64       // the people copied on it, besides the requester
}

// Company returns the company r belongs to, as the permission table and the
// audit log see it.
func (r Request) company() allot.Company {
	return allot.Company{ID: r.CompanyID, PartnerID: r.PartnerID, Name: r.Company}
}

// requestTx keeps the support requests, their conversation and clocks.
type requestTx interface {
	// Routes returns the stored routing table, in order; empty while it
	// was never edited.
	Routes() ([]Route, error)
	// SetRoutes replaces the stored routing table.
	SetRoutes(rs []Route) error

	// Policies returns every policy, the default first.
	Policies() ([]Policy, error)
	// Policy returns policy id.
	Policy(id int64) (Policy, error)
	// SavePolicy stores p, new when its ID is 0; ECONFLICT when its name
	// is taken. When p is the default, no other is any more.
	SavePolicy(p *Policy) error
	// Account returns the support account of a company (companyID) or of a
	// partner (partnerID, companyID 0); ENOTFOUND when it has none.
	Account(companyID, partnerID int64) (Account, error)
	// SetAccount stores a, replacing the one of its company or partner.
	SetAccount(a Account) error

	// CreateRequest stores r with its first message m and targets ts,
	// setting their IDs.
	CreateRequest(r *Request, m *Message, ts []TargetState) error
	// Request returns request id with its targets and copies.
	Request(id int64) (Request, error)
	// RequestByToken returns the request whose reply token is token.
	RequestByToken(token string) (Request, error)
	// Requests returns those f selects, in f's order, and how many there
	// are in all.
	Requests(f RequestFilter) ([]Request, int, error)
	// UpdateRequest saves r's status, team, priority, assignee, due time,
	// breach and escalation, and its targets that changed (ts).
	UpdateRequest(r Request, ts []TargetState) error
	// AddCopy copies user id on request id; no change when already copied.
	AddCopy(requestID, userID int64) error

	// AddMessage stores m with its attachments, setting their IDs.
	AddMessage(m *Message) error
	// Messages returns request id's messages by time; internal notes only
	// when notes.
	Messages(requestID int64, notes bool) ([]Message, error)
	// Attachment returns attachment id with its bytes.
	Attachment(id int64) (Attachment, error)

	// DueTargets returns up to limit targets, with their requests, that
	// are running and past their warning (warn) or their due time, and
	// have not been warned of, or breached, yet.
	DueTargets(now time.Time, warn bool, limit int) ([]TargetState, error)
	// MarkTarget records, once, that target id was warned of (warn) or
	// breached at at: false when it was already, or met meanwhile.
	MarkTarget(id int64, warn bool, at time.Time) (bool, error)
}

// NewRequest is what opening a request takes.
type NewRequest struct {
	CompanyID   int64 // the requester's company by default; vendor staff name the company they open it for
	Subject     string
	Body        string
	Category    string
	Priority    Priority // normal when empty
	CopySuccess bool     // copy the company's customer success contact
	Attachments []Upload
}

// Limits of a request's text.
const (
	MaxSubject = 200
	MaxMessage = 20000
)

// Open opens a request (ActAskSupport) from the principal, of their company
// or, for a partner manager, of their partner; vendor staff open it on
// behalf of the company they name. The category routes it; the first
// response is due as the company's policy says.
func (s *Service) Open(ctx context.Context, in NewRequest) (Request, error) {
	var r Request
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := requesterCompany(tx, p, in.CompanyID)
		if err != nil {
			return err
		}
		now := s.Ledger.Clock.Now()
		r, err = s.open(tx, p, c, in, now)
		return err
	})
	return r, err
}

// requesterCompany returns where a request of p belongs: the company it
// names, or p's own; for a partner manager naming none, their partner. A
// learner, who sees no company, may ask in their own.
func requesterCompany(tx Tx, p allot.Principal, companyID int64) (allot.Company, error) {
	switch {
	case companyID == 0 && p.Role == allot.RolePartnerManager:
		c := p.Home()
		return c, p.Must(allot.ActAskSupport, c)
	case companyID == 0 && p.CompanyID == 0:
		return allot.Company{}, allot.Invalid("company_id", "name the company the request is for")
	case companyID == 0 || companyID == p.CompanyID:
		c, err := tx.Company(p.CompanyID)
		if err != nil {
			return allot.Company{}, err
		}
		return c, p.Must(allot.ActAskSupport, c)
	}
	return allot.CompanyFor(tx, p, companyID, allot.ActAskSupport)
}

// open checks in and stores the request, its first message and clocks.
func (s *Service) open(tx Tx, p allot.Principal, c allot.Company, in NewRequest, now time.Time) (Request, error) {
	in.Subject, in.Body = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Body)
	if in.Priority == "" {
		in.Priority = Normal
	}
	if err := checkNew(in); err != nil {
		return Request{}, err
	}
	rt, err := route(tx, in.Category)
	if err != nil {
		return Request{}, err
	}
	files, err := checkUploads(in.Attachments)
	if err != nil {
		return Request{}, err
	}
	pol, err := policyFor(tx, c)
	if err != nil {
		return Request{}, err
	}
	r := Request{CompanyID: c.ID, Company: c.Name, PartnerID: c.PartnerID, RequesterID: p.UserID, Requester: p.Email,
		Subject: in.Subject, Category: rt.Category, Team: rt.Team, Priority: in.Priority, Status: StatusNew,
		PolicyID: pol.ID, Token: newToken(), CreatedAt: now, UpdatedAt: now}
	ts := []TargetState{
		startTarget(pol, r.Priority, KindFirstResponse, now),
		startTarget(pol, r.Priority, KindResolution, now),
	}
	r.DueAt, r.WarnAt = soonest(ts, dueOf), soonest(ts, warnOf)
	m := Message{Kind: MessageCustomer, AuthorID: p.UserID, Author: p.Email, Body: in.Body, Via: ViaWeb, CreatedAt: now, Attachments: files}
	if err := tx.CreateRequest(&r, &m, ts); err != nil {
		return Request{}, fmt.Errorf("create request: %w", err)
	}
	r.Targets = ts
	if in.CopySuccess {
		if err := s.copySuccess(tx, p, &r, now); err != nil {
			return Request{}, err
		}
	}
	if err := s.Ledger.Record(tx, p, c, "request.open", "request", r.ID, nil, r); err != nil {
		return Request{}, err
	}
	return r, tellOpened(tx, r, m, now)
}

// checkNew checks a new request's fields, naming the first at fault.
func checkNew(in NewRequest) error {
	switch {
	case in.Subject == "":
		return allot.Invalid("subject", "say in a few words what the request is about")
	case len([]rune(in.Subject)) > MaxSubject:
		return allot.Invalid("subject", "a subject has at most %d characters", MaxSubject)
	case strings.ContainsAny(in.Subject, "\r\n"):
		return allot.Invalid("subject", "a subject is one line")
	case in.Body == "":
		return allot.Invalid("body", "describe what happened and what you expected")
	case len([]rune(in.Body)) > MaxMessage:
		return allot.Invalid("body", "a message has at most %d characters", MaxMessage)
	case !in.Priority.Valid():
		return allot.Invalid("priority", "the priority is one of %v", Priorities)
	}
	return nil
}

// newToken returns a fresh reply token: 20 random bytes, as lower-case
// base32 that survives in the local part of an address.
func newToken() string {
	b := make([]byte, 20)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
