package report

import (
	"context"
	"time"

	"allot"
	"allot/support"
)

// The bounds of a home page: how far ahead it looks for pools that end,
// which share of a product's seats in use is high or low, how long a
// rejected order stays in view, and how many lines each part lists.
const (
	ExpiringSoon  = 7 * 24 * time.Hour
	ExpiringLater = 30 * 24 * time.Hour
	HighUse       = 90 // percent of the seats of a company's live pools of a product, or more
	LowUse        = 30 // percent, or less
	RejectedFor   = 30 * 24 * time.Hour
	HomeLines     = 10
	// DeskLook is how many of the desk's queue, in its order, the home
	// page reads for requests near a breach or breached.
	DeskLook = 500
)

// Home is what needs a person's attention first, each part counted and
// then listed, the first HomeLines lines of it. A part a person has
// nothing to do with is nil.
type Home struct {
	Scope    allot.Scope // what the home page covers: one company, a partner's customers, or everything
	Company  string      // the company's name, for a company's home page
	Expiring *Expiring
	Orders   *Orders
	Use      *Use
	Waiting  *Tally // learners waiting for a seat
	Expired  *Tally // learners whose seat expired and who were not renewed
	Desk     *Desk
	// Direct says that Waiting and Expired are the direct customers'
	// alone: on the vendor's home page, since a partner's customers'
	// learners are the partner's to deal with.
	Direct bool
}

// Expiring is the live pools that end within ExpiringLater, soonest first.
type Expiring struct {
	In30, In7 int // pools ending within ExpiringLater and ExpiringSoon
	Pools     []PoolLine
}

// PoolLine is a pool with the names its line shows.
type PoolLine struct {
	allot.Pool
	Company     string
	Product     string
	ProductCode string
}

// Orders is the orders waiting for the person: to assign, for a partner
// (its customers' requested orders) and the vendor (its direct customers'),
// or to follow, for a company (its requested orders, and those rejected
// within RejectedFor). Oldest first.
type Orders struct {
	Requested int
	Rejected  int
	Lines     []OrderLine
}

// OrderLine is an order with the names its line shows.
type OrderLine struct {
	allot.Order
	Company string
	Product string
}

// Use is the customers' products whose live pools are in use for HighUse
// percent of their seats or more, or LowUse percent or less: most used
// first, and least used first.
type Use struct {
	High, Low           int
	HighLines, LowLines []UseLine
}

// UseLine is the seats of a company's live pools of one product.
type UseLine struct {
	CompanyID   int64
	Company     string
	ProductID   int64
	Product     string
	ProductCode string
	Quantity    int
	Used        int
}

// Percent returns the share of the seats in use, rounded down.
func (l UseLine) Percent() int {
	if l.Quantity == 0 {
		return 0
	}
	return l.Used * 100 / l.Quantity
}

// Tally is a number of learners, counted by company and product, the
// companies and products with the most first.
type Tally struct {
	Learners int
	Lines    []TallyLine
}

// TallyLine is the learners of a company and product.
type TallyLine struct {
	CompanyID   int64
	Company     string
	ProductID   int64
	Product     string
	ProductCode string
	Learners    int
}

// Desk is the support requests of the desk's queue past their warning or
// breached, in the queue's order.
type Desk struct {
	Breached, Near int
	Requests       []DeskLine
}

// DeskLine is a request of the queue and how late it is.
type DeskLine struct {
	support.Request
	Late bool // a target of it is breached, recorded or not yet
}

// HomeQuery names what a home page covers at Now: company CompanyID, or
// partner PartnerID's customers, or the direct customers (Direct), or
// everything.
type HomeQuery struct {
	CompanyID int64
	PartnerID int64
	Direct    bool
	Now       time.Time
	Limit     int
}

// OrdersQuery names the orders waiting: the requested orders of a
// company, a partner's customers, or direct customers (Direct); for a
// company also those rejected since RejectedSince.
type OrdersQuery struct {
	CompanyID     int64
	PartnerID     int64
	Direct        bool
	RejectedSince time.Time
	Limit         int
}

// homeTx reads what the home pages and the renewal pipeline show, each
// part in one query.
type homeTx interface {
	// HomeExpiring returns the pools of q's scope live at q.Now and ending
	// within ExpiringLater of it.
	HomeExpiring(q HomeQuery) (Expiring, error)
	// HomeOrders returns the orders q names, oldest first.
	HomeOrders(q OrdersQuery) (Orders, error)
	// HomeUse returns the use of q's scope's live pools by company and
	// product, high at HighUse percent and low at LowUse.
	HomeUse(q HomeQuery) (Use, error)
	// HomeWaiting returns the learners of q's scope waiting for a seat.
	HomeWaiting(q HomeQuery) (Tally, error)
	// HomeExpired returns the learners of q's scope whose newest seat of a
	// product ended by q.Now without being released: as the expired
	// licences page lists them (allot.Tx.ExpiredLearners), for every
	// product at once.
	HomeExpired(q HomeQuery) (Tally, error)
	// RenewalPipeline returns the pipeline's lines f selects, and how many
	// it selects in all.
	RenewalPipeline(f PipelineQuery) ([]PipelineLine, int, error)
}

// Queue reads the support desk's queue: support.Service.
type Queue interface {
	Requests(ctx context.Context, f support.RequestFilter) ([]support.Request, int, error)
}

// Home returns the principal's home page: a company's for its managers and
// in manage-company mode, a partner's customers' for a partner manager,
// the deployment's for the vendor's staff, with the desk's queue (read
// from queue, when not nil) for those who work it. A learner has none.
func (s *Service) Home(ctx context.Context, queue Queue) (Home, error) {
	var h Home
	now := s.Ledger.Clock.Now()
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if p.Role == allot.RoleLearner {
			return allot.Errorf(allot.EFORBIDDEN, "the home page is for managers: your access is on your own page")
		}
		sc, err := allot.ListScope(tx, p, p.ActingCompanyID, allot.ActSeeCompany)
		if err != nil {
			return err
		}
		h.Scope = sc
		q := HomeQuery{CompanyID: sc.CompanyID, Now: now, Limit: HomeLines}
		if sc.CompanyID == 0 {
			q.PartnerID = sc.PartnerID
		} else {
			c, err := tx.Company(sc.CompanyID)
			if err != nil {
				return err
			}
			h.Company = c.Name
		}
		return home(tx, p, q, &h)
	})
	if err != nil || queue == nil {
		return h, err
	}
	p, _ := allot.PrincipalFrom(ctx)
	if p.ActingCompanyID == 0 && p.May(allot.ActWorkSupport, p.Home()) {
		d, err := desk(ctx, queue, now)
		if err != nil {
			return h, err
		}
		h.Desk = &d
	}
	return h, nil
}

// home reads the parts of h for p over q, one query each.
func home(tx Tx, p allot.Principal, q HomeQuery, h *Home) error {
	var err error
	h.Expiring, err = part(err, func() (Expiring, error) { return tx.HomeExpiring(q) })
	if oq, ok := ordersFor(p, q); ok {
		h.Orders, err = part(err, func() (Orders, error) { return tx.HomeOrders(oq) })
	}
	if q.CompanyID == 0 {
		h.Use, err = part(err, func() (Use, error) { return tx.HomeUse(q) })
	}
	learners := q
	learners.Direct = q.CompanyID == 0 && q.PartnerID == 0
	h.Direct = learners.Direct
	h.Waiting, err = part(err, func() (Tally, error) { return tx.HomeWaiting(learners) })
	h.Expired, err = part(err, func() (Tally, error) { return tx.HomeExpired(learners) })
	return err
}

// part runs read unless err is set, and returns what it read.
func part[T any](err error, read func() (T, error)) (*T, error) {
	if err != nil {
		return nil, err
	}
	v, err := read()
	return &v, err
}

// ordersFor returns the orders waiting for p on the home page of q: a
// company's own, requested or lately rejected; those p may assign, of a
// partner's customers or, for the vendor, of its direct customers. False
// when none waits for p.
func ordersFor(p allot.Principal, q HomeQuery) (OrdersQuery, bool) {
	switch {
	case q.CompanyID != 0:
		return OrdersQuery{CompanyID: q.CompanyID, RejectedSince: q.Now.Add(-RejectedFor), Limit: q.Limit}, true
	case q.PartnerID != 0:
		return OrdersQuery{PartnerID: q.PartnerID, Limit: q.Limit}, p.May(allot.ActAssignOrder, allot.Company{PartnerID: q.PartnerID})
	default:
		return OrdersQuery{Direct: true, Limit: q.Limit}, p.May(allot.ActAssignOrder, allot.Company{})
	}
}

// desk reads the first DeskLook requests of the active queue and keeps
// those past their warning or their due time.
func desk(ctx context.Context, queue Queue, now time.Time) (Desk, error) {
	list, _, err := queue.Requests(ctx, support.RequestFilter{Active: true, Queue: true, Limit: DeskLook})
	var d Desk
	for _, r := range list {
		late := r.Breached || !r.DueAt.IsZero() && !now.Before(r.DueAt)
		switch {
		case late:
			d.Breached++
		case !r.WarnAt.IsZero() && !now.Before(r.WarnAt):
			d.Near++
		default:
			continue
		}
		if len(d.Requests) < HomeLines {
			d.Requests = append(d.Requests, DeskLine{Request: r, Late: late})
		}
	}
	return d, err
}
