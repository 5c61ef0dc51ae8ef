package api

import (
	"context"
	"time"

	"allot"
)

func (s *Server) pools(ctx context.Context, in *idInput) (*listOutput[pool], error) {
	ps, err := s.svc.Pools(ctx, in.ID)
	return list(ps, err, toPool(s.svc.Clock.Now()))
}

type seatsInput struct {
	CompanyID int64  `query:"company_id" minimum:"1" doc:"Required except for vendor staff and learners (who see their own)."`
	UserID    int64  `query:"user_id" minimum:"1"`
	PoolID    int64  `query:"pool_id" minimum:"1"`
	Product   string `query:"product" maxLength:"40"`
	Held      bool   `query:"held" doc:"Only seats not released."`
	Cursor    string `query:"cursor"`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) seats(ctx context.Context, in *seatsInput) (*listOutput[seat], error) {
	after, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	f := allot.SeatFilter{CompanyID: in.CompanyID, UserID: in.UserID, PoolID: in.PoolID, HeldOnly: in.Held, AfterID: after, Limit: in.Limit}
	if in.Product != "" {
		if f.ProductID, err = s.productID(ctx, in.Product); err != nil {
			return nil, err
		}
	}
	ss, err := s.svc.Seats(ctx, f)
	return paged(ss, err, in.Limit, func(st allot.Seat) int64 { return st.ID }, toSeat(s.svc.Clock.Now()))
}

type allocateInput struct {
	Body struct {
		UserID  int64  `json:"user_id" minimum:"1" example:"204"`
		Product string `json:"product" minLength:"1" maxLength:"40" example:"premium"`
		PoolID  int64  `json:"pool_id,omitempty" doc:"The pool to draw from; the live pool that expires first when absent."`
	}
}

func (s *Server) allocate(ctx context.Context, in *allocateInput) (*body[seat], error) {
	st, err := s.svc.Allocate(ctx, in.Body.UserID, in.Body.Product, in.Body.PoolID)
	return one(st, err, toSeat(s.svc.Clock.Now()))
}

type releaseInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Reason string `json:"reason" enum:"left_company,never_logged_in,other"`
	}
}

func (s *Server) release(ctx context.Context, in *releaseInput) (*body[seat], error) {
	st, err := s.svc.Release(ctx, in.ID, in.Body.Reason)
	return one(st, err, toSeat(s.svc.Clock.Now()))
}

type reallocateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		UserID int64 `json:"user_id" minimum:"1" doc:"The learner who gets the seat."`
	}
}

func (s *Server) reallocate(ctx context.Context, in *reallocateInput) (*body[seat], error) {
	st, err := s.svc.Reallocate(ctx, in.ID, in.Body.UserID)
	return one(st, err, toSeat(s.svc.Clock.Now()))
}

type expiredInput struct {
	ID      int64  `path:"id" minimum:"1"`
	Product string `query:"product" required:"true" maxLength:"40" example:"premium"`
}

func (s *Server) expired(ctx context.Context, in *expiredInput) (*listOutput[user], error) {
	us, err := s.svc.ExpiredLearners(ctx, in.ID, in.Product)
	return list(us, err, toUser)
}

type renewInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Product string  `json:"product" minLength:"1" maxLength:"40" example:"premium"`
		UserIDs []int64 `json:"user_ids,omitempty" maxItems:"10000" doc:"The expired learners to renew."`
		All     bool    `json:"all,omitempty" doc:"Renew every expired learner instead."`
		PoolID  int64   `json:"pool_id,omitempty" doc:"The pool to draw from; the pools that expire first when absent."`
	}
}

func (s *Server) renew(ctx context.Context, in *renewInput) (*listOutput[seat], error) {
	ss, err := s.svc.Renew(ctx, allot.Renewal{CompanyID: in.ID, ProductCode: in.Body.Product, UserIDs: in.Body.UserIDs,
		All: in.Body.All, PoolID: in.Body.PoolID})
	return list(ss, err, toSeat(s.svc.Clock.Now()))
}

type eventsInput struct {
	CompanyID int64     `query:"company_id" minimum:"1"`
	ActorID   int64     `query:"actor_id" minimum:"1" doc:"The person who acted."`
	Action    string    `query:"action" maxLength:"60" pattern:"^[a-z_]+\\.[a-z_]+$" doc:"One action, such as seat.release." example:"order.assign"`
	From      time.Time `query:"from" doc:"Recorded at or after this instant (RFC 3339)."`
	To        time.Time `query:"to" doc:"Recorded before this instant (RFC 3339)."`
	Cursor    string    `query:"cursor"`
	Limit     int       `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) events(ctx context.Context, in *eventsInput) (*listOutput[event], error) {
	before, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	es, err := s.svc.Events(ctx, allot.EventFilter{CompanyID: in.CompanyID, ActorID: in.ActorID, Action: in.Action,
		From: in.From, To: in.To, BeforeID: before, Limit: in.Limit})
	return paged(es, err, in.Limit, func(e allot.Event) int64 { return e.ID }, toEvent)
}
