package allot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Kinds of mail allot sends.
const (
	MailAssigned = "assigned" // licences are ready to allocate
	MailReminder = "reminder" // licences expire soon, or today
	MailExpired  = "expired"  // licences expired
	MailWelcome  = "welcome"  // a new person is asked to choose a password
	MailReset    = "reset"    // a person who forgot their password may choose another

	MailRequested = "requested" // an order waits for those who may assign it
	MailRejected  = "rejected"  // an order was rejected, with the reason: to its requester
	MailCancelled = "cancelled" // an order was cancelled by another than its requester: to its requester

	MailSeatGiven    = "seat_given"    // a learner has a seat: the product, until when
	MailSeatRenewed  = "seat_renewed"  // a learner's expired seat was renewed
	MailSeatReleased = "seat_released" // a learner's seat was released: their access ended

	MailInvitation = "invitation" // a person is invited to a programme, with a way to sign in

	MailSupportReceived  = "support_received"  // a support request was opened: to its requester, with when an answer is due
	MailSupportReply     = "support_reply"     // the desk answered a request: to its requester and those copied
	MailSupportUpdate    = "support_update"    // the customer wrote on a request: to the one of the desk it is assigned to
	MailSupportCopied    = "support_copied"    // a success manager was copied on a request
	MailSupportEscalated = "support_escalated" // Support handed a request to the company's success manager, saying why
	MailSupportWarning   = "support_warning"   // most of a request's target has passed: to its assignee, or its team
	MailSupportBreach    = "support_breach"    // a request's target passed unmet: to its assignee, or its team

	MailReclaimWarning = "reclaim_warning" // a learner's idle seat goes back to its pool unless they use the product by a date
	MailReclaimed      = "reclaimed"       // a reclaim rule's run released idle seats: to the company's managers

	MailWebhookDisabled = "webhook_disabled" // a failing webhook endpoint was disabled: to its owner's managers
)

// MailKinds lists every kind of mail, in the order the outbox offers them.
var MailKinds = []string{MailAssigned, MailReminder, MailExpired, MailWelcome, MailReset,
	MailRequested, MailRejected, MailCancelled, MailSeatGiven, MailSeatRenewed, MailSeatReleased, MailInvitation,
	MailSupportReceived, MailSupportReply, MailSupportUpdate, MailSupportCopied, MailSupportEscalated,
	MailSupportWarning, MailSupportBreach, MailReclaimWarning, MailReclaimed, MailWebhookDisabled}

// Kinds of job of the domain: delivering one Mail, and the Sweep.
const (
	JobMail  = "mail"
	JobSweep = "sweep"
)

// Mail is a notification owed to one person, queued as a job in the same
// transaction as the change that owes it. Its job key names the pool, the
// kind, the due time and the recipient, so nobody is owed the same mail
// twice.
type Mail struct {
	Kind      string        `json:"kind"`
	PoolID    int64         `json:"pool_id"`
	CompanyID int64         `json:"company_id"`
	Company   string        `json:"company"`
	UserID    int64         `json:"user_id"`
	Email     string        `json:"email"`
	Name      string        `json:"name"`
	Lang      string        `json:"lang"`
	Zone      string        `json:"zone"`
	Product   string        `json:"product"`
	Seats     int           `json:"seats"`
	Free      int           `json:"free"`
	EndsAt    time.Time     `json:"ends_at"`
	Offset    time.Duration `json:"offset,omitempty"` // reminders: how long before the end
	DueAt     time.Time     `json:"due_at"`
	Reader    string        `json:"reader,omitempty"`   // how the recipient reads it: ReaderCompany when empty
	OrderID   int64         `json:"order_id,omitempty"` // mail about an order
	SeatID    int64         `json:"seat_id,omitempty"`  // mail about a seat
	By        string        `json:"by,omitempty"`       // who requested, rejected or cancelled the order
	Reason    string        `json:"reason,omitempty"`   // why the order was rejected

	// An invitation's mail is queued with its ID and due time alone; the
	// rest is read as it goes out, so that an edit made meanwhile counts.
	InvitationID int64     `json:"invitation_id,omitempty"`
	Programme    string    `json:"programme,omitempty"`
	StartsAt     time.Time `json:"starts_at,omitzero"` // when the access it brings begins
	SignIn       bool      `json:"sign_in,omitempty"`  // the person has a way in already: the link is the sign-in page
	Again        bool      `json:"again,omitempty"`    // sent again, or a reminder: not the invitation's first mail

	// A support request's mail carries the message it tells of, and the
	// token its replies are addressed with.
	RequestID int64     `json:"request_id,omitempty"`
	MessageID int64     `json:"message_id,omitempty"`
	TargetID  int64     `json:"target_id,omitempty"` // warnings and breaches: the target
	Target    string    `json:"target,omitempty"`    // its kind: first_response, next_response or resolution
	Subject   string    `json:"subject,omitempty"`   // the request's subject
	Body      string    `json:"body,omitempty"`      // the message, or the escalation's reason
	Token     string    `json:"token,omitempty"`     // names the request in the address replies go to
	Priority  string    `json:"priority,omitempty"`
	AnswerBy  time.Time `json:"answer_by,omitzero"` // when the desk's answer, or the target, is due

	// A reclaim rule's mail names the rule: a warning is owed once per
	// seat and idle period, a summary once per run.
	RuleID int64 `json:"rule_id,omitempty"`

	// A webhook endpoint's mail names it, and its address; Reason says why
	// it was disabled, and EndsAt when.
	WebhookID int64  `json:"webhook_id,omitempty"`
	Endpoint  string `json:"endpoint,omitempty"`
}

// How a recipient reads a mail about a company, which decides the page its
// link opens and how it speaks of the company's learners.
const (
	// ReaderCompany is one of the company's own managers, who sees it on
	// the company's pages.
	ReaderCompany = "company"
	// ReaderPartner is a manager of the company's partner, or the vendor's
	// staff, who find the company among their customers and manage it from
	// there.
	ReaderPartner = "partner"
	// ReaderLearner is the learner whose seat a mail is about, who sees
	// their access on their own page.
	ReaderLearner = "learner"
)

// MailReader returns how u reads mail about the licences of a company that
// u manages or serves.
func MailReader(u User) string {
	switch u.Role {
	case RoleCompanyManager:
		return ReaderCompany
	case RoleLearner:
		return ReaderLearner
	}
	return ReaderPartner
}

// Key is the mail's unique job key: a mail about a seat or an order names
// it, as each is given, released, requested or decided once; a mail about a
// pool names the pool and when it is due.
func (m Mail) Key() string {
	switch {
	case m.WebhookID != 0:
		return fmt.Sprintf("mail/%s/webhook:%d/at:%s/user:%d", m.Kind, m.WebhookID, m.DueAt.UTC().Format(time.RFC3339Nano), m.UserID)
	case m.RuleID != 0:
		return fmt.Sprintf("mail/%s/rule:%d/seat:%d/due:%s/user:%d", m.Kind, m.RuleID, m.SeatID, m.DueAt.UTC().Format(time.RFC3339Nano), m.UserID)
	case m.SeatID != 0:
		return fmt.Sprintf("mail/%s/seat:%d/user:%d", m.Kind, m.SeatID, m.UserID)
	case m.OrderID != 0:
		return fmt.Sprintf("mail/%s/order:%d/user:%d", m.Kind, m.OrderID, m.UserID)
	case m.RequestID != 0:
		return fmt.Sprintf("mail/%s/request:%d/message:%d/target:%d/user:%d", m.Kind, m.RequestID, m.MessageID, m.TargetID, m.UserID)
	case m.InvitationID != 0 && m.Again:
		return fmt.Sprintf("mail/%s/invitation:%d/again:%s", m.Kind, m.InvitationID, m.DueAt.UTC().Format(time.RFC3339Nano))
	case m.InvitationID != 0:
		return fmt.Sprintf("mail/%s/invitation:%d/due:%s", m.Kind, m.InvitationID, m.DueAt.UTC().Format(time.RFC3339Nano))
	}
	return fmt.Sprintf("mail/%s/pool:%d/due:%s/user:%d", m.Kind, m.PoolID, m.DueAt.UTC().Format(time.RFC3339), m.UserID)
}

// queueMails queues a mail of kind about pool p, of product pr, to each
// recipient, due at due, in the caller's transaction; none when company c
// turned the kind off, as the other queue functions.
func queueMails(tx Tx, kind string, c Company, p Pool, pr Product, recipients []User, offset time.Duration, due, now time.Time) error {
	if !c.Tells(kind) {
		return nil
	}
	m := Mail{Kind: kind, PoolID: p.ID, CompanyID: c.ID, Company: c.Name, Product: pr.Name, Seats: p.Quantity, Free: p.Free(),
		EndsAt: p.EndsAt, Offset: offset, DueAt: due}
	for _, u := range recipients {
		if err := enqueueMail(tx, m.To(u), now); err != nil {
			return err
		}
	}
	return nil
}

// To returns mail m addressed to u, as u reads it.
func (m Mail) To(u User) Mail {
	m.UserID, m.Email, m.Name, m.Lang, m.Zone, m.Reader = u.ID, u.Email, u.Name(), u.Lang, u.Zone, MailReader(u)
	return m
}

// queueOrderMail queues a mail of kind about order o of company c, of
// product pr, to each recipient, due now, in the caller's transaction. by
// is who requested or decided it.
func queueOrderMail(tx Tx, kind string, c Company, o Order, pr Product, by string, recipients []User, now time.Time) error {
	if !c.Tells(kind) {
		return nil
	}
	m := Mail{Kind: kind, OrderID: o.ID, CompanyID: c.ID, Company: c.Name, Product: pr.Name, Seats: o.Quantity,
		By: by, Reason: o.Reason, DueAt: now}
	for _, u := range recipients {
		if err := enqueueMail(tx, m.To(u), now); err != nil {
			return err
		}
	}
	return nil
}

// queueSeatMails queues a mail of kind about each seat to its learner, due
// now, in the caller's transaction: until when they have access, or since
// when they have none. The seats are of one product, as a grant's are; their
// learners are read at once.
func queueSeatMails(tx Tx, kind string, c Company, seats []Seat, now time.Time) error {
	if !c.Tells(kind) || len(seats) == 0 {
		return nil
	}
	pr, err := tx.Product(seats[0].ProductID)
	if err != nil {
		return fmt.Errorf("queue %s mail: %w", kind, err)
	}
	ids := make([]int64, len(seats))
	for i, seat := range seats {
		ids[i] = seat.UserID
	}
	users, err := tx.Users(UserFilter{IDs: ids})
	if err != nil {
		return fmt.Errorf("queue %s mail: %w", kind, err)
	}
	byID := make(map[int64]User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	for _, seat := range seats {
		u, ok := byID[seat.UserID]
		if !ok {
			continue // removed meanwhile: nobody to tell
		}
		m := Mail{Kind: kind, SeatID: seat.ID, PoolID: seat.PoolID, CompanyID: c.ID, Company: c.Name, Product: pr.Name,
			EndsAt: seat.EndsAt, DueAt: now}
		if !seat.ReleasedAt.IsZero() {
			m.EndsAt = seat.ReleasedAt
		}
		if err := enqueueMail(tx, m.To(u), now); err != nil {
			return err
		}
	}
	return nil
}

// nameOf returns the name of the person p, for a mail that says who did
// something.
func nameOf(tx Tx, p Principal) string {
	if u, err := tx.User(p.UserID); err == nil {
		return u.Name()
	}
	return p.Email
}

// QueueMail queues m as a mail job due at m.DueAt, in the caller's
// transaction: for another package's kind of mail, such as an invitation.
func QueueMail(tx Tx, m Mail, now time.Time) error { return enqueueMail(tx, m, now) }

// enqueueMail queues m as a mail job due at m.DueAt.
func enqueueMail(tx Tx, m Mail, now time.Time) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	j := Job{Kind: JobMail, Key: m.Key(), Payload: string(payload), CompanyID: m.CompanyID, RunAt: m.DueAt, CreatedAt: now}
	if _, err := tx.Enqueue(&j); err != nil {
		return fmt.Errorf("queue %s mail: %w", m.Kind, err)
	}
	return nil
}

// QueueLinkMail queues a welcome or a reset mail (MailWelcome, MailReset)
// to u, due now, in the caller's transaction. Its one-time link is made
// when it goes out, so that the link's secret is only ever in the mail.
func QueueLinkMail(tx Tx, kind string, u User, now time.Time) error {
	tenant, err := TenantName(tx, u.CompanyID, u.PartnerID)
	if err != nil {
		return fmt.Errorf("queue %s mail: %w", kind, err)
	}
	m := Mail{Kind: kind, CompanyID: u.CompanyID, Company: tenant, DueAt: now}
	return enqueueMail(tx, m.To(u), now)
}

// TenantName is the name of company companyID, or else of partner
// partnerID, whose person or connection something is; "" for neither (the
// vendor's).
func TenantName(tx Tx, companyID, partnerID int64) (string, error) {
	switch {
	case companyID != 0:
		c, err := tx.Company(companyID)
		return c.Name, err
	case partnerID != 0:
		pt, err := tx.Partner(partnerID)
		return pt.Name, err
	}
	return "", nil
}

// SentMail is a mail as it went out, or as it was kept when no SMTP server
// is configured: what a company's notifications page and the vendor's
// "Sent mail" show.
type SentMail struct {
	ID        int64
	JobKey    string // the mail job's key: a mail is recorded once
	CompanyID int64
	Kind      string
	To        string
	Subject   string
	Text      string
	// HTML is the mail's HTML part, recorded as it went out rather than
	// written again when shown: a mail's words come from the job's payload,
	// the language files and the link made as it went out, none of which
	// the record keeps, and the wording may change after it was sent.
	HTML   string
	Status string // MailSent or MailKept
	At     time.Time
}

// ShowsBody reports whether those who see mail m's company may read what
// it says, beside its subject: a mail about the company's licences and
// learners (CompanyMails) does, unless it is an invitation kept here, which
// still holds its one-time sign-in link. A welcome or a reset is its
// recipient's alone, and the support desk's mail the desk's and the
// requester's; the vendor admin reads every mail in the outbox.
func (m SentMail) ShowsBody() bool {
	return slices.Contains(CompanyMails, m.Kind) && !(m.Kind == MailInvitation && m.Status == MailKept)
}

// What became of a mail.
const (
	MailSent = "sent" // handed to the SMTP server
	MailKept = "kept" // kept here: no SMTP server is configured
)

// MailFilter selects recorded mails, newest first. A zero field selects
// every mail.
type MailFilter struct {
	ID        int64
	CompanyID int64
	JobKey    string
	Kind      string // one kind of mail, such as MailReminder
	To        string // part of the recipient's address, in any case
	BeforeID  int64
	Limit     int
}

// Outbox returns the mail allot recorded, newest first, and the jobs that
// are pending or failed: what went out and what is stuck (ActSeeOutbox).
func (s *Service) Outbox(ctx context.Context, f MailFilter) ([]SentMail, []Job, error) {
	var (
		mails []SentMail
		jobs  []Job
	)
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if err := p.Must(ActSeeOutbox, Company{}); err != nil {
			return err
		}
		f.Limit = ClampLimit(f.Limit)
		var err error
		if mails, err = tx.Mails(f); err != nil {
			return err
		}
		jobs, err = tx.Jobs(JobFilter{Statuses: []JobStatus{JobPending, JobFailed}, Limit: MaxLimit})
		return err
	})
	return mails, jobs, err
}

// SentMails returns the recorded mails f selects, newest first, and how
// many it selects in all. The mail of every company is the vendor admin's
// (ActSeeOutbox); that of company f.CompanyID is shown to those who see the
// company, with the body only of the mails that show it (ShowsBody). A
// kind not of MailKinds is EINVALID.
func (s *Service) SentMails(ctx context.Context, f MailFilter) ([]SentMail, int, error) {
	var (
		mails []SentMail
		total int
	)
	if f.Kind != "" && !slices.Contains(MailKinds, f.Kind) {
		return nil, 0, Invalid("kind", "%q is not a kind of mail allot sends", f.Kind)
	}
	err := s.read(ctx, func(tx Tx, p Principal) error {
		outbox, err := mailScope(tx, p, f.CompanyID)
		if err != nil {
			return err
		}
		f.Limit = ClampLimit(f.Limit)
		if mails, err = tx.Mails(f); err != nil {
			return err
		}
		for i := range mails {
			if !outbox && !mails[i].ShowsBody() {
				mails[i].Text, mails[i].HTML = "", ""
			}
		}
		total, err = tx.CountMails(f)
		return err
	})
	return mails, total, err
}

// SentMail returns recorded mail id with its body: of any company to the
// vendor admin when companyID is 0, of company companyID to those who see
// it when the mail shows its body (ShowsBody). ENOTFOUND otherwise.
func (s *Service) SentMail(ctx context.Context, companyID, id int64) (SentMail, error) {
	var m SentMail
	err := s.read(ctx, func(tx Tx, p Principal) error {
		outbox, err := mailScope(tx, p, companyID)
		if err != nil {
			return err
		}
		mails, err := tx.Mails(MailFilter{ID: id, CompanyID: companyID, Limit: 1})
		if err != nil {
			return err
		}
		if len(mails) == 0 || !outbox && !mails[0].ShowsBody() {
			return NotFound("mail")
		}
		m = mails[0]
		return nil
	})
	return m, err
}

// mailScope checks that p may read the recorded mail of company companyID,
// or of every company when it is 0, and reports whether p reads it as the
// outbox's reader, every body included.
func mailScope(tx Tx, p Principal, companyID int64) (outbox bool, err error) {
	if companyID == 0 || p.May(ActSeeOutbox, Company{}) {
		return true, p.Must(ActSeeOutbox, Company{})
	}
	_, err = VisibleCompany(tx, p, companyID)
	return false, err
}
