package mail

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/jobs"
)

// Deliverer delivers the mail the domain queues as jobs of kind
// allot.JobMail: it writes each mail, sends it when a Sender is set, and
// records it. Without a Sender the mail is kept: recorded for the vendor
// admin to read, never dropped.
type Deliverer struct {
	Store   allot.Store
	Clock   allot.Clock
	Sender  Sender // nil keeps mail instead of sending it
	BaseURL string // where links in mail point, e.g. https://allot.example.com
	Links   Links  // makes the links of welcome, reset and invitation mails
	// Invitations writes an invitation's mail as it goes out, and says
	// whether it is still owed.
	Invitations Invitations
	// ReplyTo is the support desk's reply address: the mail of a request
	// to its requester's side is answered to the request's own address
	// beside it. The zero value has it answered on the request's page.
	ReplyTo ReplyAddress
	// Observe, when set, is told how each mail went: allot.MailSent,
	// allot.MailKept, or MailFailed when the SMTP server refused it.
	Observe func(outcome string)
}

// Invitations is asked as the mail of an invitation goes out: whether it is
// still owed (the invitation may have been cancelled or moved since it was
// queued), and what it says. Marking the invitation sent is its business.
type Invitations interface {
	Sending(ctx context.Context, m allot.Mail) (allot.Mail, bool, error)
}

// Links makes the one-time sign-in link of a welcome or reset mail as it
// goes out, so that the link's token is only ever in the mail. It returns
// the token and when it expires; ENOTFOUND when the person is gone.
type Links interface {
	IssueLink(ctx context.Context, userID int64, purpose string) (string, time.Time, error)
	// SignsOnAt returns the name of the company or partner at whose
	// identity provider the person must sign in, or "" when they choose a
	// password.
	SignsOnAt(ctx context.Context, userID int64) (string, error)
}

// Handle is the jobs.Handler of mail jobs. A temporary failure is returned
// for the job to be tried again; a permanent one fails the job at once.
func (d *Deliverer) Handle(ctx context.Context, j allot.Job) error {
	var m allot.Mail
	if err := json.Unmarshal([]byte(j.Payload), &m); err != nil {
		return jobs.Permanent(fmt.Errorf("mail job %s: %w", j.Key, err))
	}
	// A mail recorded already went out; its job ran before but could not
	// record its own end.
	var sent []allot.SentMail
	if err := d.Store.Read(ctx, func(tx allot.Tx) error {
		var err error
		sent, err = tx.Mails(allot.MailFilter{JobKey: j.Key, Limit: 1})
		return err
	}); err != nil {
		return err
	}
	if len(sent) > 0 {
		return nil
	}
	if m.Kind == allot.MailInvitation {
		if d.Invitations == nil {
			return jobs.Permanent(fmt.Errorf("mail: nothing writes invitation mail"))
		}
		var owed bool
		var err error
		if m, owed, err = d.Invitations.Sending(ctx, m); err != nil || !owed {
			return err
		}
	}
	msg := d.message(j.Key, m, d.Clock.Now())
	var token string
	if msg.Kind.aboutLink() || (msg.Kind == KindInvitation && !m.SignIn) {
		var (
			send bool
			err  error
		)
		if token, send, err = d.link(ctx, &msg, m); err != nil || !send {
			return err
		}
	}
	r, err := Render(msg)
	if err != nil {
		return jobs.Permanent(err)
	}
	status := allot.MailKept
	if d.Sender != nil {
		if err := d.Sender.Send(ctx, msg); err != nil {
			d.observe(MailFailed)
			if Temporary(err) {
				return err
			}
			return jobs.Permanent(err)
		}
		status = allot.MailSent
		// What was sent is recorded without the link's token: it is the
		// recipient's alone. Kept mail keeps it, as nobody else delivers it.
		if token != "" {
			r.Text = strings.ReplaceAll(r.Text, token, "…")
			r.HTML = strings.ReplaceAll(r.HTML, token, "…")
		}
	}
	d.observe(status)
	return d.Store.Write(ctx, func(tx allot.Tx) error {
		_, err := tx.RecordMail(&allot.SentMail{JobKey: j.Key, CompanyID: m.CompanyID, Kind: m.Kind, To: m.Email,
			Subject: r.Subject, Text: r.Text, HTML: r.HTML, Status: status, At: d.Clock.Now()})
		return err
	})
}

// message is the Message of mail m, whose job has key: the same Message-ID
// whenever the same mail is sent again. A reminder that goes out late says
// how long is really left.
func (d *Deliverer) message(key string, m allot.Mail, now time.Time) Message {
	if left := m.EndsAt.Sub(now).Truncate(time.Hour); m.Kind == allot.MailReminder && left < m.Offset {
		m.Offset = max(left, 0)
	}
	sum := sha256.Sum256([]byte(key))
	msg := Message{Kind: Kind(m.Kind), To: Recipient{Name: m.Name, Email: m.Email, Lang: m.Lang, Zone: m.Zone},
		Reader:  Reader(cmp.Or(m.Reader, allot.ReaderCompany)),
		Company: m.Company, Product: m.Product, Seats: m.Seats, Free: m.Free, EndsAt: m.EndsAt, Offset: m.Offset,
		By: m.By, Reason: m.Reason, Programme: m.Programme, StartsAt: m.StartsAt,
		Link: strings.TrimSuffix(d.BaseURL, "/") + pageOf(m), MessageID: hex.EncodeToString(sum[:16]), Endpoint: m.Endpoint}
	if msg.Kind.aboutSupport() {
		d.supportMessage(&msg, m)
	}
	return msg
}

// supportMessage puts into msg what mail m tells of its support request:
// the request, its page, and for its requester's side the address a reply
// goes to, when the desk has one; only they may answer a request by mail.
func (d *Deliverer) supportMessage(msg *Message, m allot.Mail) {
	msg.Request = SupportRequest{ID: m.RequestID, Subject: m.Subject, Body: m.Body, Priority: m.Priority,
		Target: m.Target, DueAt: m.AnswerBy}
	msg.Link = strings.TrimSuffix(d.BaseURL, "/") + SupportPage(msg.Kind, m.RequestID)
	if msg.Kind.toRequester() && m.Token != "" && !d.ReplyTo.IsZero() {
		msg.ReplyTo = d.ReplyTo.For(m.Token)
	}
}

// pageOf is the dashboard's page where the reader of mail m acts on it. A
// learner sees their access. About an order: its company's manager sees the
// company's orders; its partner's managers and the vendor's staff the
// company's orders among all, of the order's status. About a pool: a
// company's manager sees the company's licences, or its expired learners;
// its partner's managers and the vendor's staff the company's row among
// their customers, from where managing it leads to the same page.
func pageOf(m allot.Mail) string {
	company := strconv.FormatInt(m.CompanyID, 10)
	orders := map[string]string{allot.MailRequested: "requested", allot.MailRejected: "cancelled,rejected",
		allot.MailCancelled: "cancelled,rejected"}
	switch status, order := orders[m.Kind]; {
	case m.Kind == allot.MailWebhookDisabled:
		return "/webhooks"
	case m.Reader == allot.ReaderLearner:
		return "/me"
	case order && m.Reader == allot.ReaderPartner:
		return "/orders?" + url.Values{"status": {status}, "company": {company}}.Encode()
	case order:
		return "/company/orders"
	}
	page := "/company/expired"
	switch m.Kind {
	case allot.MailAssigned:
		page = "/company/licences"
	case allot.MailReclaimed:
		page = "/company/reclaim"
	}
	if m.Reader == allot.ReaderPartner {
		return "/customers?" + url.Values{"company": {company}, "then": {page}}.Encode()
	}
	return page
}

// link puts a new one-time link for m's person into msg, with its expiry,
// and a Message-ID of its own: a retry sends a new link, and must not be
// taken for a copy of a mail whose link is dead. A person who signs in at
// their company's identity provider is welcomed to the sign-in page
// instead, with no link to choose a password. It returns the link's token,
// and false when the person is gone and there is nothing to send.
func (d *Deliverer) link(ctx context.Context, msg *Message, m allot.Mail) (string, bool, error) {
	if d.Links == nil {
		return "", false, jobs.Permanent(fmt.Errorf("mail: nothing makes the links of %s mail", m.Kind))
	}
	base := strings.TrimSuffix(d.BaseURL, "/")
	if msg.Kind == KindWelcome || msg.Kind == KindInvitation {
		at, err := d.Links.SignsOnAt(ctx, m.UserID)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			return "", false, nil
		case err != nil:
			return "", false, err
		case at != "":
			msg.SignOn, msg.Link = at, base+"/login"
			return "", true, nil
		}
	}
	purpose := m.Kind
	if msg.Kind == KindInvitation {
		purpose = allot.MailWelcome // an invitation welcomes its person as an account's welcome does
	}
	token, expires, err := d.Links.IssueLink(ctx, m.UserID, purpose)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	sum := sha256.Sum256([]byte(msg.MessageID + token))
	msg.Link = base + "/link/" + token
	if msg.Kind == KindInvitation {
		msg.LinkEnds = expires
	} else {
		msg.EndsAt = expires
	}
	msg.MessageID = hex.EncodeToString(sum[:16])
	return token, true, nil
}

// Preview writes invitation or other mail m as it would go out at now,
// without sending it: a one-time link is shown as a link that works until
// linkEnds, without a token.
func (d *Deliverer) Preview(m allot.Mail, now, linkEnds time.Time) (Rendered, error) {
	msg := d.message("preview", m, now)
	if msg.Kind == KindInvitation && !m.SignIn {
		msg.Link, msg.LinkEnds = strings.TrimSuffix(d.BaseURL, "/")+"/link/…", linkEnds
	}
	return Render(msg)
}
