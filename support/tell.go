package support

import (
	"fmt"
	"slices"
	"time"

	"allot"
)

// The mails of the desk. Each is queued in the transaction of the change
// that owes it, under a key naming the request, the message or target and
// the recipient: nobody is told the same thing twice.

// mailOf returns the mail of kind about r and message m, due now.
func mailOf(kind string, r Request, m Message, now time.Time) allot.Mail {
	return allot.Mail{Kind: kind, CompanyID: r.CompanyID, Company: r.Company, RequestID: r.ID, MessageID: m.ID,
		Subject: r.Subject, Body: m.Body, Token: r.Token, Priority: string(r.Priority), DueAt: now}
}

// queue queues mail m to each of the users ids, skipping those removed
// and the one who caused it.
func queue(tx Tx, m allot.Mail, ids []int64, except int64, now time.Time) error {
	seen := map[int64]bool{except: true}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		u, err := tx.User(id)
		if err != nil {
			return fmt.Errorf("recipient %d: %w", id, err)
		}
		if !u.RemovedAt.IsZero() {
			continue
		}
		if err := allot.QueueMail(tx, m.To(u), now); err != nil {
			return err
		}
	}
	return nil
}

// tellOpened sends the requester a receipt saying when the first answer is
// due.
func tellOpened(tx Tx, r Request, m Message, now time.Time) error {
	mail := mailOf(allot.MailSupportReceived, r, m, now)
	mail.AnswerBy = r.DueAt
	return queue(tx, mail, []int64{r.RequesterID}, 0, now)
}

// tellReply sends the desk's reply to the requester and those copied.
func tellReply(tx Tx, r Request, m Message, now time.Time) error {
	return queue(tx, mailOf(allot.MailSupportReply, r, m, now), append([]int64{r.RequesterID}, r.Copies...), m.AuthorID, now)
}

// tellDesk tells the assignee that the customer wrote; nobody while the
// request waits in its team's queue, where it shows.
func tellDesk(tx Tx, r Request, m Message, now time.Time) error {
	if r.AssigneeID == 0 {
		return nil
	}
	return queue(tx, mailOf(allot.MailSupportUpdate, r, m, now), []int64{r.AssigneeID}, m.AuthorID, now)
}

// tellCopied tells success manager id that they were copied on r.
func tellCopied(tx Tx, r Request, id int64, now time.Time) error {
	return queue(tx, mailOf(allot.MailSupportCopied, r, Message{}, now), []int64{id}, 0, now)
}

// tellEscalated tells success manager id that r was escalated to them,
// with the note that says why.
func tellEscalated(tx Tx, r Request, id int64, note Message, now time.Time) error {
	return queue(tx, mailOf(allot.MailSupportEscalated, r, note, now), []int64{id}, 0, now)
}

// tellTarget tells the assignee of t's request, or its whole team while
// nobody has it, that t is near its end (warn) or passed it.
func tellTarget(tx Tx, t TargetState, warn bool, now time.Time) error {
	kind := allot.MailSupportBreach
	if warn {
		kind = allot.MailSupportWarning
	}
	m := mailOf(kind, t.Request, Message{}, now)
	m.TargetID, m.Target, m.AnswerBy = t.ID, string(t.Kind), t.Due
	ids := []int64{t.Request.AssigneeID}
	if t.Request.AssigneeID == 0 {
		team, err := tx.Users(allot.UserFilter{Roles: []allot.Role{t.Request.Team.Role()}, Limit: allot.MaxLimit})
		if err != nil {
			return fmt.Errorf("team %s: %w", t.Request.Team, err)
		}
		ids = ids[:0]
		for _, u := range team {
			ids = append(ids, u.ID)
		}
	}
	return queue(tx, m, slices.Compact(ids), 0, now)
}
