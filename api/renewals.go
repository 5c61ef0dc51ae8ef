package api

import (
	"context"
	"time"

	"allot/report"
)

type renewalsInput struct {
	PartnerID int64 `query:"partner_id" minimum:"1" doc:"Only this partner's customers; for the vendor's staff, a partner manager sees their own alone."`
	Direct    bool  `query:"direct" doc:"Only the vendor's direct customers; for the vendor's staff."`
	Limit     int   `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset    int   `query:"offset" minimum:"0" default:"0" doc:"How many lines of the pipeline to skip."`
}

// renewalLine is a customer's live pool that ends within 90 days, with the
// orders that renew it: other orders of the same company and product,
// placed after the pool started, still requested or assigned.
type renewalLine struct {
	PoolID    int64     `json:"pool_id"`
	CompanyID int64     `json:"company_id"`
	Company   string    `json:"company"`
	PartnerID int64     `json:"partner_id,omitempty" doc:"Absent for a direct customer."`
	Partner   string    `json:"partner,omitempty"`
	Product   string    `json:"product" example:"premium"`
	Quantity  int       `json:"quantity"`
	Used      int       `json:"used"`
	EndsAt    time.Time `json:"ends_at"`
	Stage     string    `json:"stage" enum:"assigned,requested,none" doc:"How far its renewal went: a renewing order assigned, one requested, or none."`
	Requested int       `json:"requested" doc:"Seats of renewing orders still requested."`
	Assigned  int       `json:"assigned" doc:"Seats of renewing orders assigned."`
	OrderID   int64     `json:"order_id,omitempty" doc:"The oldest renewing order still requested, to assign."`
	AtRisk    int       `json:"at_risk" doc:"The pool's used seats the renewing orders do not cover."`
}

type renewalsOutput struct {
	Body struct {
		Items  []renewalLine `json:"items"`
		Total  int           `json:"total" doc:"How many pools the pipeline holds in all."`
		AtRisk int           `json:"at_risk" doc:"The seats at risk of this page's pools."`
	}
}

// renewals returns the renewal pipeline of the caller's customers, soonest
// end first.
func (s *Server) renewals(ctx context.Context, in *renewalsInput) (*renewalsOutput, error) {
	pl, err := s.reports.Pipeline(ctx, report.PipelineFilter{PartnerID: in.PartnerID, Direct: in.Direct, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, err
	}
	out := &renewalsOutput{}
	out.Body.Total, out.Body.AtRisk = pl.Total, pl.AtRisk
	out.Body.Items = mapSlice(pl.Lines, func(l report.PipelineLine) renewalLine {
		return renewalLine{PoolID: l.ID, CompanyID: l.CompanyID, Company: l.Company, PartnerID: l.PartnerID, Partner: l.Partner,
			Product: l.ProductCode, Quantity: l.Quantity, Used: l.Used, EndsAt: l.EndsAt, Stage: l.Stage(),
			Requested: l.Requested, Assigned: l.Assigned, OrderID: l.OrderID, AtRisk: l.AtRisk()}
	})
	return out, nil
}
