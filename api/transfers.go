package api

import (
	"context"

	"allot"
)

type transferInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The pool whose free seats move."`
	Body struct {
		ToCompanyID int64 `json:"to_company_id" minimum:"1" example:"14" doc:"The customer who gets the seats: of the same partner as the pool's, or direct like it."`
		Count       int   `json:"count" minimum:"1" maximum:"1000000" example:"5" doc:"How many free seats move; at most the pool's free seats."`
	}
}

func (s *Server) transferSeats(ctx context.Context, in *transferInput) (*body[pool], error) {
	p, err := s.svc.TransferSeats(ctx, allot.SeatTransfer{PoolID: in.ID, ToCompanyID: in.Body.ToCompanyID, Count: in.Body.Count})
	return one(p, err, toPool(s.svc.Clock.Now()))
}

type fillResult struct {
	Given   int `json:"given" example:"3" doc:"Seats given to learners who waited."`
	Waiting int `json:"waiting" example:"2" doc:"Learners who still wait, once for each product they wait for."`
}

func (s *Server) fillWaiting(ctx context.Context, in *idInput) (*body[fillResult], error) {
	r, err := s.svc.FillWaiting(ctx, in.ID)
	return one(r, err, func(r allot.FillResult) fillResult { return fillResult{Given: r.Given, Waiting: r.Waiting} })
}

type fillSetting struct {
	On bool `json:"on" doc:"Whether a seat freed in the company goes at once to the learner who has waited longest for one."`
}

type fillSettingInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body fillSetting
}

func (s *Server) setFillWaiting(ctx context.Context, in *fillSettingInput) (*body[fillSetting], error) {
	c, err := s.svc.SetFillWaiting(ctx, in.ID, in.Body.On)
	return one(c, err, func(c allot.Company) fillSetting { return fillSetting{On: c.FillsWaiting()} })
}
