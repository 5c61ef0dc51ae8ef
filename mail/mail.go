// Package mail writes and sends allot's e-mails: licences assigned to a
// company, the reminders before its licences expire, the notice that they
// have expired; an order requested, rejected or cancelled; a learner's seat
// given, renewed or released; the welcome and password-reset mails whose
// one-time link lets a person choose their password; and the support desk's
// mail, whose replies come back through Inbound to join their request.
//
// Render turns a Message into a subject, a plain-text body and an HTML body in
// the recipient's language and time zone. SMTP sends rendered messages through
// the server a Config names, on github.com/wneessen/go-mail. Which messages to
// send, when, and what to do when sending fails belong to the caller: every
// error returned by a Sender says, through Temporary, whether sending the same
// message again later may succeed.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Kind is what a mail is about.
type Kind string

// The kinds of mail allot sends.
const (
	// KindAssigned tells a company's managers that an order was assigned and
	// its licences are ready to allocate.
	KindAssigned Kind = "assigned"
	// KindReminder warns that a pool of licences is about to expire.
	KindReminder Kind = "reminder"
	// KindExpired tells that a pool of licences has expired.
	KindExpired Kind = "expired"
	// KindWelcome asks a person just added to choose their password.
	KindWelcome Kind = "welcome"
	// KindReset lets a person who forgot their password choose another.
	KindReset Kind = "reset"
	// KindRequested tells those who may assign an order that it waits.
	KindRequested Kind = "requested"
	// KindRejected tells an order's requester that it was rejected, and why.
	KindRejected Kind = "rejected"
	// KindCancelled tells an order's requester that another cancelled it.
	KindCancelled Kind = "cancelled"
	// KindSeatGiven tells a learner they have a seat of a product, until when.
	KindSeatGiven Kind = "seat_given"
	// KindSeatRenewed tells a learner their expired seat was renewed.
	KindSeatRenewed Kind = "seat_renewed"
	// KindSeatReleased tells a learner their seat was released.
	KindSeatReleased Kind = "seat_released"
	// KindInvitation invites a person to a company's programme: the access
	// it brings, and the way to sign in.
	KindInvitation Kind = "invitation"
)

// Kinds lists every kind of mail.
var Kinds = []Kind{KindAssigned, KindReminder, KindExpired, KindWelcome, KindReset,
	KindRequested, KindRejected, KindCancelled, KindSeatGiven, KindSeatRenewed, KindSeatReleased, KindInvitation,
	KindSupportReceived, KindSupportReply, KindSupportUpdate, KindSupportCopied, KindSupportEscalated,
	KindSupportWarning, KindSupportBreach, KindReclaimWarning, KindReclaimed, KindWebhookDisabled}

// aboutLink reports whether a mail of kind k carries a one-time sign-in
// link rather than news of a pool.
func (k Kind) aboutLink() bool { return k == KindWelcome || k == KindReset }

// aboutOrder reports whether a mail of kind k is about an order.
func (k Kind) aboutOrder() bool { return k == KindRequested || k == KindRejected || k == KindCancelled }

// aboutSeat reports whether a mail of kind k is about a learner's seat.
func (k Kind) aboutSeat() bool {
	return k == KindSeatGiven || k == KindSeatRenewed || k == KindSeatReleased || k == KindInvitation || k == KindReclaimWarning
}

// Reader is how the recipient stands to the company a mail is about.
type Reader string

// The readers of a mail about a company's licences.
const (
	// ReaderCompany is one of the company's managers: the mail speaks of
	// their learners. It is the reader of a Message that names none.
	ReaderCompany Reader = "company"
	// ReaderPartner manages the company for its partner, or the vendor: the
	// mail speaks of their customer's learners.
	ReaderPartner Reader = "partner"
	// ReaderLearner is the learner a mail about a seat is about.
	ReaderLearner Reader = "learner"
)

// Recipient is the person a mail is written for.
type Recipient struct {
	Name  string // display name; may be empty
	Email string // a bare address such as ana@example.com, without a name
	Lang  string // a language tag such as "fr" or "fr-CA"; English when unknown
	Zone  string // an IANA time zone such as "Europe/Paris"; UTC when empty or unknown
}

// Message is one mail to one recipient, with the numbers it reports.
type Message struct {
	Kind    Kind
	To      Recipient
	Reader  Reader    // how the recipient stands to Company; ReaderCompany when empty
	Company string    // the customer company whose licences these are; for a link, the person's company or partner, if any
	Product string    // the product's name; none for a link
	Seats   int       // the pool's number of licences, at least 1; none for a link
	Free    int       // how many of them are not allocated, from 0 to Seats
	EndsAt  time.Time // when the pool expires, or the link; a seat's access, or when it was released; none for an order
	By      string    // who requested an order, or rejected or cancelled it
	Reason  string    // why an order was rejected
	// Offset is, for a reminder, how long before EndsAt it is sent: 72 hours
	// is written "in 3 days", 0 is written "today".
	Offset time.Duration
	// Link is the absolute http or https address where the recipient
	// allocates or renews the licences, or chooses their password.
	Link string
	// SignOn is, for a welcome or an invitation, the company or partner at
	// whose identity provider the person signs in: they have no password to
	// choose, and Link is the sign-in page.
	SignOn string
	// Programme, StartsAt and LinkEnds are an invitation's: the programme,
	// when the access it brings starts (EndsAt is when it ends), and when
	// its one-time link expires, zero when Link is the sign-in page.
	Programme string
	StartsAt  time.Time
	LinkEnds  time.Time
	// Request is, for a mail of the support desk, the request it is
	// about.
	Request SupportRequest
	// ReplyTo is the address replies go to, in the Reply-To header: for a
	// support request's requester, the request's own address, and the mail
	// says to answer it; empty for none, and a support mail says to answer
	// on the request's page.
	ReplyTo string
	// MessageID is the Message-ID header without its angle brackets. The
	// caller derives it from the mail's unique key, so that sending the same
	// mail again carries the same Message-ID and receivers can drop the
	// duplicate. Without an "@", the domain of the sender's address is added.
	MessageID string
	// Endpoint is, for a mail about a webhook endpoint, its address.
	Endpoint string
}

// Sender sends one message. Implementations are safe for concurrent use.
type Sender interface {
	// Send renders m and hands it to the mail server. A returned error is an
	// *Error: an invalid message (ErrInvalid) is never temporary; a server
	// that cannot be reached or answers 4xx is temporary; a 5xx answer is
	// permanent.
	Send(ctx context.Context, m Message) error
}

// ErrInvalid is wrapped by every error about a message or configuration that
// can never be sent as it is: a bad address, a line break where a header
// goes, a missing field.
var ErrInvalid = errors.New("invalid")

// Limits of a message's fields.
const (
	maxName = 200 // names, companies, products
	maxLink = 2000
	maxID   = 250
	// maxReason is the longest reason of a rejection, as an order keeps it.
	maxReason = 2000
)

// Check reports whether m can be rendered and sent: a known kind, a valid
// recipient address, names without control characters (so no line break can
// reach a header), for a pool counts that add up, an end, an http(s) link
// and a Message-ID. The error wraps ErrInvalid.
func (m Message) Check() error {
	if !slices.Contains(Kinds, m.Kind) {
		return invalid("unknown kind %q", m.Kind)
	}
	switch m.Reader {
	case "", ReaderCompany, ReaderPartner, ReaderLearner:
	default:
		return invalid("unknown reader %q", m.Reader)
	}
	if err := checkAddress("recipient e-mail", m.To.Email); err != nil {
		return err
	}
	if err := checkText("recipient name", m.To.Name, false); err != nil {
		return err
	}
	if err := checkText("company", m.Company, !m.Kind.aboutLink() && !m.Kind.aboutSupport() && m.Kind != KindWebhookDisabled); err != nil {
		return err
	}
	if m.ReplyTo != "" {
		if err := checkAddress("reply-to address", m.ReplyTo); err != nil {
			return err
		}
	}
	switch {
	case m.Kind == KindWebhookDisabled:
		if err := m.checkWebhook(); err != nil {
			return err
		}
	case m.Kind.aboutSupport():
		if err := m.checkSupport(); err != nil {
			return err
		}
	case m.Kind.aboutOrder():
		if err := m.checkOrder(); err != nil {
			return err
		}
	case m.Kind.aboutSeat():
		if err := checkText("product", m.Product, true); err != nil {
			return err
		}
	case !m.Kind.aboutLink():
		if err := m.checkPool(); err != nil {
			return err
		}
	}
	if err := checkText("identity provider", m.SignOn, false); err != nil {
		return err
	}
	if err := checkText("programme", m.Programme, m.Kind == KindInvitation); err != nil {
		return err
	}
	if m.EndsAt.IsZero() && !m.Kind.aboutOrder() && !m.Kind.aboutSupport() && m.SignOn == "" {
		return invalid("the end is missing")
	}
	if err := checkLink(m.Link); err != nil {
		return err
	}
	return checkMessageID(m.MessageID)
}

// checkPool checks what a mail about a pool reports.
func (m Message) checkPool() error {
	if err := checkText("product", m.Product, true); err != nil {
		return err
	}
	if m.Seats < 1 {
		return invalid("seats must be at least 1, not %d", m.Seats)
	}
	if m.Free < 0 || m.Free > m.Seats {
		return invalid("free seats must be between 0 and %d, not %d", m.Seats, m.Free)
	}
	if m.Offset < 0 {
		return invalid("the reminder offset must not be negative, not %s", m.Offset)
	}
	return nil
}

// checkOrder checks what a mail about an order reports: the product, the
// number of licences, who requested or decided it, and for a rejection why.
func (m Message) checkOrder() error {
	if err := checkText("product", m.Product, true); err != nil {
		return err
	}
	if m.Seats < 1 {
		return invalid("seats must be at least 1, not %d", m.Seats)
	}
	if err := checkText("name of who requested or decided", m.By, true); err != nil {
		return err
	}
	reason := strings.Join(strings.Fields(m.Reason), " ")
	if m.Kind == KindRejected && reason == "" {
		return invalid("the reason is missing")
	}
	if len(reason) > maxReason || hasControl(reason) {
		return invalid("the reason is longer than %d bytes or holds a control character", maxReason)
	}
	return nil
}

// invalid returns an error wrapping ErrInvalid.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w message: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// checkText refuses control characters (CR and LF among them) and overlong
// values; required values must not be blank.
func checkText(field, s string, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return invalid("the %s is missing", field)
	}
	if len(s) > maxName {
		return invalid("the %s is longer than %d bytes", field, maxName)
	}
	if hasControl(s) {
		return invalid("the %s contains a line break or another control character", field)
	}
	return nil
}

// hasControl reports whether s holds a control character or a Unicode line
// or paragraph separator, or is not valid UTF-8.
func hasControl(s string) bool {
	for _, r := range s {
		if r == unicode.ReplacementChar || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// checkLink accepts an absolute http or https URL without spaces or control
// characters.
func checkLink(s string) error {
	if s == "" {
		return invalid("the link is missing")
	}
	if len(s) > maxLink || hasControl(s) || strings.ContainsAny(s, " <>\"") {
		return invalid("the link %q is not a plain URL", s)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return invalid("the link %q is not an absolute http or https URL", s)
	}
	return nil
}

// checkMessageID accepts "left" or "left@right" where each side is a
// dot-atom (RFC 5322 section 3.6.4).
func checkMessageID(id string) error {
	if id == "" {
		return invalid("the Message-ID is missing")
	}
	if len(id) > maxID {
		return invalid("the Message-ID is longer than %d bytes", maxID)
	}
	left, right, hasAt := strings.Cut(id, "@")
	if !dotAtom(left) || (hasAt && !dotAtom(right)) {
		return invalid("the Message-ID %q is not of the form left@right with letters, digits and .-_+=", id)
	}
	return nil
}

// dotAtom reports whether s is a non-empty run of atext characters separated
// by single dots.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", rune(c)) {
			return false
		}
	}
	return true
}
