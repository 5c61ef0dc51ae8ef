package report

import (
	"context"
	"time"

	"allot"
)

// PipelineAhead is how far ahead the renewal pipeline looks for pools that
// end.
const PipelineAhead = 90 * 24 * time.Hour

// PipelineLine is a live pool that ends within PipelineAhead, with the
// orders that renew it.
//
// The renewal rule, in one place: an order renews a pool when it is
// another order of the pool's company and product, requested after the
// pool started, and is requested (waiting to be assigned) or assigned. A
// renewal is a new order (the product's term starts at its assignment), so
// an order placed while the pool runs is taken as its renewal, more seats
// ordered mid-term included; an order counts for each pool it renews. The
// seats at risk are the pool's used seats that the renewing orders'
// seats do not cover: their learners lose access at the pool's end.
type PipelineLine struct {
	PoolLine
	PartnerID int64
	Partner   string // "" for a direct customer
	Requested int    // seats of renewing orders still requested
	Assigned  int    // seats of renewing orders assigned
	// OrderID is the oldest renewing order still requested, to assign;
	// 0 when none is.
	OrderID int64
}

// AtRisk returns the pool's used seats not covered by its renewing orders.
func (l PipelineLine) AtRisk() int { return max(0, l.Used-l.Requested-l.Assigned) }

// Stage says how far the pool's renewal went: "assigned" when a renewing
// order is assigned, "requested" when one waits, "none" otherwise.
func (l PipelineLine) Stage() string {
	switch {
	case l.Assigned > 0:
		return "assigned"
	case l.Requested > 0:
		return "requested"
	}
	return "none"
}

// PipelineFilter narrows the pipeline: to one partner's customers (vendor
// staff; a partner manager sees their own alone) or to direct customers,
// a page of Limit lines from Offset.
type PipelineFilter struct {
	PartnerID int64
	Direct    bool
	Offset    int
	Limit     int
}

// PipelineQuery is what the store reads: the pools of the scope (partner
// PartnerID's customers, direct customers, or every company) live at Now
// and ending by Until, soonest first.
type PipelineQuery struct {
	PartnerID int64
	Direct    bool
	Now       time.Time
	Until     time.Time
	Offset    int
	Limit     int
}

// Pipeline is a page of the renewal pipeline.
type Pipeline struct {
	Lines  []PipelineLine
	Total  int // lines in all, over every page
	AtRisk int // the seats at risk of the page's lines
	Now    time.Time
	Until  time.Time
}

// Pipeline returns the renewal pipeline of the principal's customers: a
// partner manager's partner's, or for the vendor's staff every partner's
// and direct customer's, narrowed by f. A partner f names that the
// principal may not see reads as not found; company managers and learners
// have no pipeline.
func (s *Service) Pipeline(ctx context.Context, f PipelineFilter) (Pipeline, error) {
	now := s.Ledger.Clock.Now()
	out := Pipeline{Now: now, Until: now.Add(PipelineAhead)}
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		q, err := pipelineScope(tx, p, f)
		if err != nil {
			return err
		}
		q.Now, q.Until, q.Offset, q.Limit = out.Now, out.Until, max(f.Offset, 0), allot.ClampLimit(f.Limit)
		out.Lines, out.Total, err = tx.RenewalPipeline(q)
		return err
	})
	for _, l := range out.Lines {
		out.AtRisk += l.AtRisk()
	}
	return out, err
}

// pipelineScope returns the query of f as p may read it.
func pipelineScope(tx Tx, p allot.Principal, f PipelineFilter) (PipelineQuery, error) {
	if p.ActingCompanyID != 0 {
		return PipelineQuery{}, allot.Errorf(allot.EFORBIDDEN, "the renewal pipeline is the partner's: leave manage-company mode to see it")
	}
	sc, err := allot.ListScope(tx, p, 0, allot.ActSeePartners)
	if err != nil {
		return PipelineQuery{}, err
	}
	switch {
	case sc.PartnerID != 0 && f.PartnerID != 0 && f.PartnerID != sc.PartnerID:
		return PipelineQuery{}, allot.NotFound("partner")
	case sc.PartnerID != 0:
		return PipelineQuery{PartnerID: sc.PartnerID}, nil
	case f.PartnerID != 0:
		if _, err := tx.Partner(f.PartnerID); err != nil {
			return PipelineQuery{}, err
		}
		return PipelineQuery{PartnerID: f.PartnerID}, nil
	}
	return PipelineQuery{Direct: f.Direct}, nil
}

// Table returns the page's lines as a table, for its CSV file.
func (p Pipeline) Table() Table {
	t := Table{Columns: []Column{{Key: "ends", Label: "Ends"}, {Key: "company", Label: "Company"}, {Key: "partner", Label: "Partner"},
		{Key: "product", Label: "Product"}, {Key: "seats", Label: "Seats", Numeric: true}, {Key: "used", Label: "Used", Numeric: true},
		{Key: "renewal", Label: "Renewal"}, {Key: "requested", Label: "Seats requested", Numeric: true},
		{Key: "assigned", Label: "Seats assigned", Numeric: true}, {Key: "at_risk", Label: "Seats at risk", Numeric: true}}}
	for _, l := range p.Lines {
		t.Rows = append(t.Rows, []Cell{Text(l.EndsAt.UTC().Format("2006-01-02")), Text(l.Company), Text(l.Partner), Text(l.Product),
			Num(l.Quantity), Num(l.Used), Text(l.Stage()), Num(l.Requested), Num(l.Assigned), Num(l.AtRisk())})
	}
	return t
}
