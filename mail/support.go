package mail

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The kinds of mail of the support desk. The requester's side is written
// to about its request; the desk about the requests it works.
const (
	// KindSupportReceived tells a requester that their request reached
	// the desk, and when the first answer is due.
	KindSupportReceived Kind = "support_received"
	// KindSupportReply carries the desk's answer to the requester and to
	// those copied.
	KindSupportReply Kind = "support_reply"
	// KindSupportUpdate tells the one of the desk a request is assigned to
	// that the customer wrote.
	KindSupportUpdate Kind = "support_update"
	// KindSupportCopied tells a success manager they were copied on a
	// request.
	KindSupportCopied Kind = "support_copied"
	// KindSupportEscalated tells a success manager that Support handed
	// them a request, with the note that says why.
	KindSupportEscalated Kind = "support_escalated"
	// KindSupportWarning tells the desk that most of a request's target
	// has passed.
	KindSupportWarning Kind = "support_warning"
	// KindSupportBreach tells the desk that a request's target passed
	// unmet.
	KindSupportBreach Kind = "support_breach"
)

// supportKinds lists the kinds of the support desk.
var supportKinds = []Kind{KindSupportReceived, KindSupportReply, KindSupportUpdate, KindSupportCopied,
	KindSupportEscalated, KindSupportWarning, KindSupportBreach}

// aboutSupport reports whether a mail of kind k is about a support
// request.
func (k Kind) aboutSupport() bool { return slices.Contains(supportKinds, k) }

// toRequester reports whether a mail of kind k goes to the requester's
// side, who may answer it: its link is the request's page, and a reply to
// it joins the request.
func (k Kind) toRequester() bool { return k == KindSupportReceived || k == KindSupportReply }

// SupportRequest is the support request a mail of the desk is about.
type SupportRequest struct {
	ID      int64
	Subject string // one line
	// Body is the message the mail carries: the desk's reply, the
	// customer's message, the note saying why it was escalated; several
	// lines, none for a receipt, a copy, a warning or a breach.
	Body     string
	Priority string // low, normal, high or urgent
	// Target is, for a warning or a breach, the target it is about:
	// first_response, next_response or resolution.
	Target string
	// DueAt is when the first answer is due (a receipt), or the target
	// (a warning or a breach).
	DueAt time.Time
}

// Priorities and targets a support mail may name.
var (
	supportPriorities = []string{"low", "normal", "high", "urgent"}
	supportTargets    = []string{"first_response", "next_response", "resolution"}
)

// Limits of a support request's text, in bytes: the desk counts them in
// characters (200 for a subject, 20,000 for a message), of up to four
// bytes each.
const (
	maxSupportSubject = 4 * 200
	maxSupportBody    = 4 * 20000
)

// checkSupport checks what a mail about a support request tells: the
// request, its subject on one line, its priority, the message of the kinds
// that carry one, the due time and target of those that name them.
func (m Message) checkSupport() error {
	r := m.Request
	if r.ID < 1 {
		return invalid("the request's ID is missing")
	}
	if strings.TrimSpace(r.Subject) == "" || len(r.Subject) > maxSupportSubject || hasControl(r.Subject) {
		return invalid("the request's subject is missing, longer than %d bytes, or holds a control character", maxSupportSubject)
	}
	if !slices.Contains(supportPriorities, r.Priority) {
		return invalid("the priority %q is not one of %v", r.Priority, supportPriorities)
	}
	carries := m.Kind == KindSupportReply || m.Kind == KindSupportUpdate || m.Kind == KindSupportEscalated
	if carries && strings.TrimSpace(r.Body) == "" {
		return invalid("the message is missing")
	}
	if len(r.Body) > maxSupportBody || !utf8.ValidString(r.Body) || strings.ContainsFunc(r.Body, badInBody) {
		return invalid("the message is longer than %d bytes or holds a control character", maxSupportBody)
	}
	timed := m.Kind == KindSupportReceived || m.Kind == KindSupportWarning || m.Kind == KindSupportBreach
	if timed && r.DueAt.IsZero() {
		return invalid("the due time is missing")
	}
	if (m.Kind == KindSupportWarning || m.Kind == KindSupportBreach) && !slices.Contains(supportTargets, r.Target) {
		return invalid("the target %q is not one of %v", r.Target, supportTargets)
	}
	return nil
}

// badInBody reports whether r may not stand in a message's text: a control
// character other than a line end or a tab.
func badInBody(r rune) bool {
	return r != '\n' && r != '\r' && r != '\t' && (r < ' ' || r == 0x7f)
}

// supportView fills in what the wording of a support mail says of its
// request, in language l and zone loc (named zone).
func supportView(l *compiled, v *view, m Message, loc *time.Location, zone string) error {
	r := m.Request
	v.RequestID, v.Request, v.ByMail = r.ID, strings.Join(strings.Fields(r.Subject), " "), m.ReplyTo != ""
	if !r.DueAt.IsZero() {
		v.Due = l.at(r.DueAt.In(loc)) + " (" + zone + ")"
	}
	var err error
	if v.Ref, err = l.say("ref", v); err != nil {
		return err
	}
	if v.Priority, err = l.say("priority."+r.Priority, v); err != nil {
		return err
	}
	if r.Target != "" {
		v.Target, err = l.say("target."+r.Target, v)
	}
	return err
}

// supportPage writes the parts of a support mail's page that differ from
// the other kinds': the message it carries, its facts and its footer.
func (s *sayer) supportPage(p *page, m Message) {
	p.Quote = quoteOf(m.Request.Body)
	p.Facts = []fact{{s.say("label.request"), s.v.Request + " (" + s.v.Ref + ")"}}
	if s.v.Company != "" && !m.Kind.toRequester() {
		p.Facts = append(p.Facts, fact{s.say("label.company"), s.v.Company})
	}
	p.Facts = append(p.Facts, fact{s.say("label.priority"), s.v.Priority})
	switch m.Kind {
	case KindSupportReceived:
		p.Facts = append(p.Facts, fact{s.say("label.answer"), s.v.Due})
	case KindSupportWarning, KindSupportBreach:
		p.Facts = append(p.Facts, fact{s.say("label.due"), s.v.Due})
	}
	if m.Kind.toRequester() {
		p.Footer = s.say("support.footer")
	} else {
		p.Footer = s.say("desk.footer")
	}
}

// quoteOf returns a message's text as a mail shows it: its lines as
// written, with LF ends, without blank lines around it.
func quoteOf(body string) string {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(strings.Trim(body, "\n"), "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRight(line, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// SupportPage is the path of the page where the reader of a support mail
// of kind k about request id acts on it: the request's own page for its
// requester's side, the desk's otherwise.
func SupportPage(k Kind, id int64) string {
	if k.toRequester() {
		return "/support/requests/" + strconv.FormatInt(id, 10)
	}
	return "/desk/requests/" + strconv.FormatInt(id, 10)
}
