package api

import (
	"context"

	"allot/support"
)

// The desk's own acts on a request: replies and notes, its status,
// priority and assignee, escalation, copying the success contact, and the
// licence context beside it.

type replyInput struct {
	ID   int64 `path:"id" minimum:"1" example:"318" doc:"The request."`
	Body struct {
		Body        string   `json:"body" maxLength:"20000"`
		Status      string   `json:"status,omitempty" enum:"open,waiting,solved" doc:"What the request becomes: waiting on the customer and solved stop its resolution clock; open when absent."`
		Attachments []fileIn `json:"attachments,omitempty" maxItems:"5"`
	}
}

// replyRequest answers a request: its first and next responses are met,
// and the requester and those copied are told by mail.
func (s *Server) replyRequest(ctx context.Context, in *replyInput) (*body[supportMessage], error) {
	files, err := uploads(in.Body.Attachments)
	if err != nil {
		return nil, err
	}
	m, err := s.support.Reply(ctx, in.ID, support.Reply{Body: in.Body.Body, Status: support.Status(in.Body.Status), Attachments: files})
	return one(m, err, toSupportMessage)
}

// noteRequest adds the desk's internal note, which the customer never
// sees.
func (s *Server) noteRequest(ctx context.Context, in *messageInput) (*body[supportMessage], error) {
	files, err := uploads(in.Body.Attachments)
	if err != nil {
		return nil, err
	}
	m, err := s.support.Note(ctx, in.ID, in.Body.Body, files)
	return one(m, err, toSupportMessage)
}

type requestChangeInput struct {
	ID   int64 `path:"id" minimum:"1" example:"318"`
	Body struct {
		Status     *string `json:"status,omitempty" enum:"open,waiting,solved,closed" doc:"waiting and solved stop the resolution clock; closed meets every target for good."`
		Priority   *string `json:"priority,omitempty" enum:"low,normal,high,urgent" doc:"The running targets take the new priority's lengths, counting the time they have run."`
		AssigneeID *int64  `json:"assignee_id,omitempty" minimum:"0" doc:"Someone of the support or customer success team; 0 gives it back to the team's queue."`
	}
}

func (s *Server) updateRequest(ctx context.Context, in *requestChangeInput) (*body[supportRequest], error) {
	var ch support.Change
	if in.Body.Status != nil {
		st := support.Status(*in.Body.Status)
		ch.Status = &st
	}
	if in.Body.Priority != nil {
		pr := support.Priority(*in.Body.Priority)
		ch.Priority = &pr
	}
	ch.AssigneeID = in.Body.AssigneeID
	r, err := s.support.Update(ctx, in.ID, ch)
	return one(r, err, toSupportRequest)
}

type escalateInput struct {
	ID   int64 `path:"id" minimum:"1" example:"318"`
	Body struct {
		Reason string `json:"reason" maxLength:"2000" example:"They want to plan the rollout to three more sites." doc:"Why Customer Success should take it: kept as an internal note."`
	}
}

// escalateRequest hands a request from Support to Customer Success: to the
// company's success contact when it has one.
func (s *Server) escalateRequest(ctx context.Context, in *escalateInput) (*body[supportRequest], error) {
	r, err := s.support.Escalate(ctx, in.ID, in.Body.Reason)
	return one(r, err, toSupportRequest)
}

func (s *Server) copySuccess(ctx context.Context, in *idInput) (*body[supportRequest], error) {
	r, err := s.support.CopySuccess(ctx, in.ID)
	return one(r, err, toSupportRequest)
}

// licenceContext is what the desk sees beside a request: the requester,
// their company's pools, their seats and their latest licence events.
type licenceContext struct {
	Requester user          `json:"requester"`
	Company   *company      `json:"company,omitempty" doc:"Absent for a partner manager's own request."`
	Pools     []licencePool `json:"pools" doc:"The company's pools."`
	Seats     []licenceSeat `json:"seats" doc:"The requester's seats in the company."`
	Events    []event       `json:"events" doc:"The latest events about the requester and their seats, newest first."`
}

type licencePool struct {
	Product string `json:"product" example:"Premium awareness training" doc:"The product's name."`
	Pool    pool   `json:"pool"`
}

type licenceSeat struct {
	Product string `json:"product" example:"Premium awareness training" doc:"The product's name."`
	Seat    seat   `json:"seat"`
}

func toLicenceContext(l support.Licences) licenceContext {
	out := licenceContext{Requester: toUser(l.Requester), Pools: []licencePool{}, Seats: []licenceSeat{}, Events: mapSlice(l.Events, toEvent)}
	if l.Company.ID != 0 {
		c := toCompany(l.Company)
		out.Company = &c
	}
	for _, p := range l.Pools {
		out.Pools = append(out.Pools, licencePool{Product: p.Product, Pool: toPool(l.Now)(p.Pool)})
	}
	for _, st := range l.Seats {
		out.Seats = append(out.Seats, licenceSeat{Product: st.Product, Seat: toSeat(l.Now)(st.Seat)})
	}
	return out
}

func (s *Server) requestLicences(ctx context.Context, in *idInput) (*body[licenceContext], error) {
	l, err := s.support.Licences(ctx, in.ID)
	return one(l, err, toLicenceContext)
}
