package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	msg := d.message(j.Key, m, d.Clock.Now())
	r, err := Render(msg)
	if err != nil {
		return jobs.Permanent(err)
	}
	status := allot.MailKept
	if d.Sender != nil {
		if err := d.Sender.Send(ctx, msg); err != nil {
			if Temporary(err) {
				return err
			}
			return jobs.Permanent(err)
		}
		status = allot.MailSent
	}
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
	page := "/company/expired"
	if m.Kind == allot.MailAssigned {
		page = "/company/licences"
	}
	sum := sha256.Sum256([]byte(key))
	return Message{Kind: Kind(m.Kind), To: Recipient{Name: m.Name, Email: m.Email, Lang: m.Lang, Zone: m.Zone},
		Company: m.Company, Product: m.Product, Seats: m.Seats, Free: m.Free, EndsAt: m.EndsAt, Offset: m.Offset,
		Link: strings.TrimSuffix(d.BaseURL, "/") + page, MessageID: hex.EncodeToString(sum[:16])}
}
