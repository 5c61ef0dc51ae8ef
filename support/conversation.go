package support

import (
	"context"
	"fmt"
	"strings"
	"time"

	"allot"
)

// sees reports whether p sees request r: the vendor's staff every request,
// a partner's managers their partner's, a company's managers their
// company's, anyone else only their own.
func sees(p allot.Principal, r Request) bool {
	switch {
	case p.Role.Vendor():
		return true
	case p.Role == allot.RolePartnerManager:
		return r.PartnerID != 0 && r.PartnerID == p.PartnerID
	case p.Role == allot.RoleCompanyManager:
		return r.CompanyID != 0 && r.CompanyID == p.CompanyID
	}
	return r.RequesterID == p.UserID
}

// desk reports whether p works the desk: answers, notes and moves requests.
func desk(p allot.Principal) bool { return p.May(allot.ActWorkSupport, p.Home()) }

// visible returns request id as p may see it: ENOTFOUND otherwise, as for
// an id of nothing.
func visible(tx Tx, p allot.Principal, id int64) (Request, error) {
	r, err := tx.Request(id)
	if err != nil {
		return Request{}, err
	}
	if !sees(p, r) {
		return Request{}, allot.NotFound("request")
	}
	return r, nil
}

// Thread is a request with its conversation, as its reader may see it.
type Thread struct {
	Request  Request
	Messages []Message // by time; the desk's notes only for the desk
	Desk     bool      // the reader works the desk: may reply, note, assign, escalate
}

// Get returns request id with its conversation.
func (s *Service) Get(ctx context.Context, id int64) (Thread, error) {
	var th Thread
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		r, err := visible(tx, p, id)
		if err != nil {
			return err
		}
		th = Thread{Request: r, Desk: desk(p)}
		th.Messages, err = tx.Messages(id, th.Desk)
		return err
	})
	return th, err
}

// Attachment returns attachment id of a message the principal may read.
func (s *Service) Attachment(ctx context.Context, id int64) (Attachment, error) {
	var a Attachment
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var err error
		if a, err = tx.Attachment(id); err != nil {
			return err
		}
		if _, err := visible(tx, p, a.RequestID); err != nil || (a.Note && !desk(p)) {
			return allot.NotFound("attachment")
		}
		return nil
	})
	return a, err
}

// change is one change to a request: who makes it, the request as it was
// read, its clocks under its policy, and the moment.
type change struct {
	p      allot.Principal
	r      Request
	before Request
	clocks *clocks
	now    time.Time
}

// change runs fn on request id as the principal sees it, then saves the
// request and its changed targets and records action: the one path every
// change to a request takes. ENOTFOUND when the principal does not see it.
func (s *Service) change(ctx context.Context, id int64, action string, fn func(tx Tx, c *change) error) (Request, error) {
	var r Request
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var err error
		r, err = s.changeTx(tx, p, id, action, fn)
		return err
	})
	return r, err
}

// changeTx is change in the caller's transaction.
func (s *Service) changeTx(tx Tx, p allot.Principal, id int64, action string, fn func(tx Tx, c *change) error) (Request, error) {
	r, err := visible(tx, p, id)
	if err != nil {
		return Request{}, err
	}
	pol, err := tx.Policy(r.PolicyID)
	if err != nil {
		return Request{}, fmt.Errorf("request %d's policy: %w", id, err)
	}
	now := s.Ledger.Clock.Now()
	c := &change{p: p, r: r, before: r, clocks: newClocks(r, pol, now), now: now}
	if err := fn(tx, c); err != nil {
		return Request{}, err
	}
	c.r.Targets, c.r.UpdatedAt = c.clocks.all, now
	c.r.DueAt, c.r.WarnAt = soonest(c.clocks.all, dueOf), soonest(c.clocks.all, warnOf)
	if err := tx.UpdateRequest(c.r, c.clocks.changed()); err != nil {
		return Request{}, fmt.Errorf("update request %d: %w", id, err)
	}
	return c.r, s.Ledger.Record(tx, p, c.r.company(), action, "request", id, strip(c.before), strip(c.r))
}

// strip returns r as the audit log keeps it: without its clocks.
func strip(r Request) Request {
	r.Targets, r.Token = nil, ""
	return r
}

// mustDesk refuses a change to a request by someone who does not work the
// desk.
func mustDesk(p allot.Principal) error { return p.Must(allot.ActWorkSupport, p.Home()) }

// Reply is the desk's answer to a request.
type Reply struct {
	Body        string
	Status      Status // what the request becomes: open, waiting or solved; open when empty
	Attachments []Upload
}

// Reply answers request id (ActWorkSupport): the first and the next
// response are met; waiting on the customer or solved stops the resolution
// clock. The requester and those copied are told by mail.
func (s *Service) Reply(ctx context.Context, id int64, in Reply) (Message, error) {
	var m Message
	_, err := s.change(ctx, id, "request.reply", func(tx Tx, c *change) error {
		if err := mustDesk(c.p); err != nil {
			return err
		}
		if in.Status == "" {
			in.Status = StatusOpen
		}
		if in.Status != StatusOpen && in.Status != StatusWaiting && in.Status != StatusSolved {
			return allot.Invalid("status", "a reply leaves the request open, waiting on the customer, or solved")
		}
		var err error
		if m, err = s.addMessage(tx, c, MessageReply, in.Body, ViaWeb, in.Attachments); err != nil {
			return err
		}
		c.clocks.meet(KindFirstResponse)
		c.clocks.meet(KindNextResponse)
		if c.r.AssigneeID == 0 {
			c.r.AssigneeID, c.r.Assignee = c.p.UserID, c.p.Email
		}
		c.setStatus(in.Status)
		return tellReply(tx, c.r, m, c.now)
	})
	return m, err
}

// Note adds the desk's internal note to request id (ActWorkSupport): the
// customer never sees it, and it answers nothing.
func (s *Service) Note(ctx context.Context, id int64, body string, ups []Upload) (Message, error) {
	var m Message
	_, err := s.change(ctx, id, "request.note", func(tx Tx, c *change) error {
		if err := mustDesk(c.p); err != nil {
			return err
		}
		var err error
		m, err = s.addMessage(tx, c, MessageNote, body, ViaWeb, ups)
		return err
	})
	return m, err
}

// Write adds a message of the customer's side to request id: the
// requester's, a manager's of their company or partner, or someone copied.
// A request waiting or solved opens again; the desk owes a next response.
// A closed request takes no more messages: ECONFLICT.
func (s *Service) Write(ctx context.Context, id int64, body string, ups []Upload) (Message, error) {
	var m Message
	_, err := s.change(ctx, id, "request.message", func(tx Tx, c *change) error {
		var err error
		m, err = s.write(tx, c, body, ViaWeb, ups)
		return err
	})
	return m, err
}

// write adds the customer's message to c's request.
func (s *Service) write(tx Tx, c *change, body, via string, ups []Upload) (Message, error) {
	if c.r.Status == StatusClosed {
		return Message{}, allot.Errorf(allot.ECONFLICT, "request %d is closed: open a new request", c.r.ID)
	}
	m, err := s.addMessage(tx, c, MessageCustomer, body, via, ups)
	if err != nil {
		return Message{}, err
	}
	if c.r.Status == StatusWaiting || c.r.Status == StatusSolved {
		c.setStatus(StatusOpen)
	}
	if c.clocks.running(KindFirstResponse) < 0 {
		c.clocks.start(KindNextResponse, c.r.Priority)
	}
	return m, tellDesk(tx, c.r, m, c.now)
}

// addMessage checks and stores a message of kind to c's request.
func (s *Service) addMessage(tx Tx, c *change, kind MessageKind, body, via string, ups []Upload) (Message, error) {
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return Message{}, allot.Invalid("body", "write a message")
	case len([]rune(body)) > MaxMessage:
		return Message{}, allot.Invalid("body", "a message has at most %d characters", MaxMessage)
	}
	files, err := checkUploads(ups)
	if err != nil {
		return Message{}, err
	}
	m := Message{RequestID: c.r.ID, Kind: kind, AuthorID: c.p.UserID, Author: c.p.Email, Body: body, Via: via, CreatedAt: c.now, Attachments: files}
	if err := tx.AddMessage(&m); err != nil {
		return Message{}, fmt.Errorf("add message: %w", err)
	}
	return m, nil
}

// setStatus moves c's request to st and its clocks with it: waiting and
// solved stop the resolution clock, open starts it again, closed meets
// every target.
func (c *change) setStatus(st Status) {
	c.r.Status = st
	switch st {
	case StatusWaiting, StatusSolved:
		c.clocks.pause(KindResolution)
	case StatusOpen:
		c.clocks.resume(KindResolution)
	case StatusClosed:
		for _, k := range []Kind{KindFirstResponse, KindNextResponse, KindResolution} {
			c.clocks.meet(k)
		}
	}
}
