package api

import (
	"context"
	"strings"
	"time"

	"allot"
)

type ordersInput struct {
	Status      string    `query:"status" doc:"One status or several, comma-separated: requested, assigned, cancelled, rejected." example:"cancelled,rejected"`
	CompanyID   int64     `query:"company_id" minimum:"1"`
	Product     string    `query:"product" maxLength:"40" doc:"The product's code."`
	PORef       string    `query:"po_ref" maxLength:"100" doc:"The exact purchase-order reference."`
	RequestedBy int64     `query:"requested_by" minimum:"1" doc:"The requester's user ID."`
	From        time.Time `query:"from" doc:"Requested at or after this instant (RFC 3339)."`
	To          time.Time `query:"to" doc:"Requested before this instant (RFC 3339)."`
	Q           string    `query:"q" maxLength:"200" doc:"Text in the PO reference, the note or the company's name."`
	Sort        string    `query:"sort" enum:"newest,oldest" default:"newest"`
	Cursor      string    `query:"cursor" doc:"The next value of the previous page."`
	Limit       int       `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) orders(ctx context.Context, in *ordersInput) (*listOutput[order], error) {
	after, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	f := allot.OrderFilter{CompanyID: in.CompanyID, PORef: in.PORef, RequestedBy: in.RequestedBy,
		From: in.From, To: in.To, Text: in.Q, AfterID: after, Limit: in.Limit, Oldest: in.Sort == "oldest"}
	for _, st := range strings.Split(in.Status, ",") {
		switch st := allot.OrderStatus(strings.TrimSpace(st)); st {
		case "":
		case allot.OrderRequested, allot.OrderAssigned, allot.OrderCancelled, allot.OrderRejected:
			f.Statuses = append(f.Statuses, st)
		default:
			return nil, &allot.Error{Code: allot.EINVALID, Field: "status", Message: "a status is requested, assigned, cancelled or rejected"}
		}
	}
	if in.Product != "" {
		if f.ProductID, err = s.productID(ctx, in.Product); err != nil {
			return nil, err
		}
	}
	os, err := s.svc.Orders(ctx, f)
	return paged(os, err, in.Limit, func(o allot.Order) int64 { return o.ID }, toOrder)
}

// productID finds a product's ID by its code, for filters.
func (s *Server) productID(ctx context.Context, code string) (int64, error) {
	ps, err := s.svc.Products(ctx)
	for _, p := range ps {
		if p.Code == code {
			return p.ID, nil
		}
	}
	if err != nil {
		return 0, err
	}
	return 0, &allot.Error{Code: allot.EINVALID, Field: "product", Message: "no product " + code}
}

type requestOrderInput struct {
	Body struct {
		CompanyID int64 `json:"company_id" minimum:"1" example:"12"`
		OrderFields
	}
}

func (s *Server) requestOrder(ctx context.Context, in *requestOrderInput) (*body[order], error) {
	o, err := s.svc.RequestOrder(ctx, in.Body.order(in.Body.CompanyID))
	return one(o, err, toOrder)
}

func (s *Server) order(ctx context.Context, in *idInput) (*body[order], error) {
	o, err := s.svc.Order(ctx, in.ID)
	return one(o, err, toOrder)
}

type assignOutput struct {
	Body struct {
		Order order `json:"order"`
		Pool  pool  `json:"pool"`
	}
}

func (s *Server) assignOrder(ctx context.Context, in *idInput) (*assignOutput, error) {
	o, p, err := s.svc.AssignOrder(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &assignOutput{}
	out.Body.Order, out.Body.Pool = toOrder(o), toPool(s.svc.Clock.Now())(p)
	return out, nil
}

func (s *Server) cancelOrder(ctx context.Context, in *idInput) (*body[order], error) {
	o, err := s.svc.CancelOrder(ctx, in.ID)
	return one(o, err, toOrder)
}

type rejectInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Reason string `json:"reason" minLength:"1" maxLength:"2000" example:"More seats than the contract allows"`
	}
}

func (s *Server) rejectOrder(ctx context.Context, in *rejectInput) (*body[order], error) {
	o, err := s.svc.RejectOrder(ctx, in.ID, in.Body.Reason)
	return one(o, err, toOrder)
}
