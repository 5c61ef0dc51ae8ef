package api

import (
	"context"
	"time"

	"allot/report"
)

// homePage is what needs the caller's attention first: each part counted,
// then its first lines. A part the caller has nothing to do with is
// absent.
type homePage struct {
	CompanyID int64         `json:"company_id,omitempty" doc:"The company the page is about, for its managers and in manage-company mode."`
	PartnerID int64         `json:"partner_id,omitempty" doc:"The partner whose customers the page is about, for its managers."`
	Expiring  *homeExpiring `json:"expiring,omitempty"`
	Orders    *homeOrders   `json:"orders,omitempty" doc:"For a company its own orders, requested or lately rejected; for a partner its customers' orders to assign; for the vendor its direct customers'."`
	Use       *homeUse      `json:"use,omitempty" doc:"For a partner or the vendor: the customers' products most and least used."`
	Waiting   *homeTally    `json:"waiting,omitempty" doc:"Learners waiting for a seat, by company and product."`
	Expired   *homeTally    `json:"expired,omitempty" doc:"Learners whose seat expired and who were not renewed, by company and product."`
	Desk      *homeDesk     `json:"desk,omitempty" doc:"For those who work the support desk: its requests near a breach or breached."`
}

type homeExpiring struct {
	In30  int        `json:"in_30_days" doc:"Live pools that end within 30 days."`
	In7   int        `json:"in_7_days" doc:"Live pools that end within 7 days."`
	Pools []homePool `json:"pools" doc:"The first ten, soonest first."`
}

type homePool struct {
	ID        int64     `json:"id"`
	CompanyID int64     `json:"company_id"`
	Company   string    `json:"company"`
	Product   string    `json:"product" example:"premium"`
	Quantity  int       `json:"quantity"`
	Used      int       `json:"used"`
	EndsAt    time.Time `json:"ends_at"`
}

type homeOrders struct {
	Requested int         `json:"requested"`
	Rejected  int         `json:"rejected" doc:"A company's orders rejected within 30 days."`
	Orders    []homeOrder `json:"orders" doc:"The first ten, oldest first."`
}

type homeOrder struct {
	ID          int64     `json:"id"`
	CompanyID   int64     `json:"company_id"`
	Company     string    `json:"company"`
	Product     string    `json:"product" example:"Premium"`
	Quantity    int       `json:"quantity"`
	Status      string    `json:"status" enum:"requested,rejected"`
	Reason      string    `json:"reason,omitempty"`
	RequestedAt time.Time `json:"requested_at"`
}

type homeUse struct {
	High      int           `json:"high" doc:"Customers' products with 90 % of their live seats used or more."`
	Low       int           `json:"low" doc:"Customers' products with 30 % of their live seats used or less."`
	HighLines []homeUseLine `json:"high_lines" doc:"The first ten, most used first."`
	LowLines  []homeUseLine `json:"low_lines" doc:"The first ten, least used first."`
}

type homeUseLine struct {
	CompanyID int64  `json:"company_id"`
	Company   string `json:"company"`
	Product   string `json:"product" example:"premium"`
	Quantity  int    `json:"quantity"`
	Used      int    `json:"used"`
	Percent   int    `json:"percent"`
}

type homeTally struct {
	Learners int             `json:"learners"`
	Lines    []homeTallyLine `json:"lines" doc:"The first ten, those with the most learners first."`
}

type homeTallyLine struct {
	CompanyID int64  `json:"company_id"`
	Company   string `json:"company"`
	Product   string `json:"product" example:"premium"`
	Learners  int    `json:"learners"`
}

type homeDesk struct {
	Breached int               `json:"breached"`
	Near     int               `json:"near" doc:"Past the warning of a target, not breached."`
	Requests []homeDeskRequest `json:"requests" doc:"The first ten, in the queue's order."`
}

type homeDeskRequest struct {
	ID      int64  `json:"id"`
	Subject string `json:"subject"`
	Company string `json:"company,omitempty"`
	Late    bool   `json:"late" doc:"A target of it is breached."`
}

type homeOutput struct {
	Body homePage
}

// home returns the caller's home page: a company's, a partner's customers'
// or the deployment's, with the desk's requests for those who work it.
func (s *Server) home(ctx context.Context, _ *struct{}) (*homeOutput, error) {
	var queue report.Queue
	if s.support != nil {
		queue = s.support
	}
	h, err := s.reports.Home(ctx, queue)
	if err != nil {
		return nil, err
	}
	out := &homeOutput{Body: homePage{CompanyID: h.Scope.CompanyID}}
	if h.Scope.CompanyID == 0 {
		out.Body.PartnerID = h.Scope.PartnerID
	}
	b := &out.Body
	if e := h.Expiring; e != nil {
		b.Expiring = &homeExpiring{In30: e.In30, In7: e.In7, Pools: mapSlice(e.Pools, func(l report.PoolLine) homePool {
			return homePool{ID: l.ID, CompanyID: l.CompanyID, Company: l.Company, Product: l.ProductCode, Quantity: l.Quantity, Used: l.Used, EndsAt: l.EndsAt}
		})}
	}
	if o := h.Orders; o != nil {
		b.Orders = &homeOrders{Requested: o.Requested, Rejected: o.Rejected, Orders: mapSlice(o.Lines, func(l report.OrderLine) homeOrder {
			return homeOrder{ID: l.ID, CompanyID: l.CompanyID, Company: l.Company, Product: l.Product, Quantity: l.Quantity,
				Status: string(l.Status), Reason: l.Reason, RequestedAt: l.RequestedAt}
		})}
	}
	if u := h.Use; u != nil {
		b.Use = &homeUse{High: u.High, Low: u.Low, HighLines: mapSlice(u.HighLines, toHomeUse), LowLines: mapSlice(u.LowLines, toHomeUse)}
	}
	b.Waiting, b.Expired = toHomeTally(h.Waiting), toHomeTally(h.Expired)
	if d := h.Desk; d != nil {
		b.Desk = &homeDesk{Breached: d.Breached, Near: d.Near, Requests: mapSlice(d.Requests, func(l report.DeskLine) homeDeskRequest {
			return homeDeskRequest{ID: l.ID, Subject: l.Subject, Company: l.Company, Late: l.Late}
		})}
	}
	return out, nil
}

func toHomeUse(l report.UseLine) homeUseLine {
	return homeUseLine{CompanyID: l.CompanyID, Company: l.Company, Product: l.ProductCode, Quantity: l.Quantity, Used: l.Used, Percent: l.Percent()}
}

func toHomeTally(t *report.Tally) *homeTally {
	if t == nil {
		return nil
	}
	return &homeTally{Learners: t.Learners, Lines: mapSlice(t.Lines, func(l report.TallyLine) homeTallyLine {
		return homeTallyLine{CompanyID: l.CompanyID, Company: l.Company, Product: l.ProductCode, Learners: l.Learners}
	})}
}
