package support

import (
	"context"
	"slices"
	"strings"
	"time"

	"allot"
)

// Licences is the licence context beside a request, so that the desk
// answers a question about access without asking: the company's pools,
// the requester's seats and their latest licence events.
type Licences struct {
	Requester allot.User
	Company   allot.Company
	Pools     []PoolLine
	Seats     []SeatLine
	Events    []allot.Event // the latest about the requester and their seats, newest first
	Now       time.Time
}

// PoolLine is one of the company's pools, with its product's name.
type PoolLine struct {
	allot.Pool
	Product string
	Status  allot.Status
}

// SeatLine is one of the requester's seats, with its product's name.
type SeatLine struct {
	allot.Seat
	Product string
	Status  allot.Status
}

// contextEvents bounds the events read and shown.
const (
	contextEventsRead = 500
	contextEventsShow = 10
)

// Licences returns the licence context of request id, to the desk
// (ActWorkSupport).
func (s *Service) Licences(ctx context.Context, id int64) (Licences, error) {
	var l Licences
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		r, err := visible(tx, p, id)
		if err != nil {
			return err
		}
		if err := mustDesk(p); err != nil {
			return err
		}
		l, err = licences(tx, r, s.Ledger.Clock.Now())
		return err
	})
	return l, err
}

// licences reads the licence context of r at now.
func licences(tx Tx, r Request, now time.Time) (Licences, error) {
	l := Licences{Now: now}
	var err error
	if l.Requester, err = tx.User(r.RequesterID); err != nil {
		return l, err
	}
	if r.CompanyID == 0 {
		return l, nil // a partner's own request: no company, no seats
	}
	if l.Company, err = tx.Company(r.CompanyID); err != nil {
		return l, err
	}
	names, err := productNames(tx)
	if err != nil {
		return l, err
	}
	pools, err := tx.Pools(allot.PoolFilter{CompanyID: r.CompanyID})
	if err != nil {
		return l, err
	}
	for _, p := range pools {
		l.Pools = append(l.Pools, PoolLine{Pool: p, Product: names[p.ProductID], Status: p.Status(now)})
	}
	seats, err := tx.Seats(allot.SeatFilter{CompanyID: r.CompanyID, UserID: r.RequesterID})
	if err != nil {
		return l, err
	}
	ids := []int64{}
	for _, s := range seats {
		l.Seats = append(l.Seats, SeatLine{Seat: s, Product: names[s.ProductID], Status: s.Status(now)})
		ids = append(ids, s.ID)
	}
	l.Events, err = requesterEvents(tx, r, ids)
	return l, err
}

// requesterEvents returns the latest licence events of the company about
// the requester or one of their seats.
func requesterEvents(tx Tx, r Request, seatIDs []int64) ([]allot.Event, error) {
	es, err := tx.Events(allot.EventFilter{CompanyID: r.CompanyID, Limit: contextEventsRead})
	if err != nil {
		return nil, err
	}
	var out []allot.Event
	for _, e := range es {
		mine := (e.SubjectType == "user" && e.SubjectID == r.RequesterID) ||
			(e.SubjectType == "seat" && slices.Contains(seatIDs, e.SubjectID))
		if mine && !strings.HasPrefix(e.Action, "request.") && len(out) < contextEventsShow {
			out = append(out, e)
		}
	}
	return out, nil
}

// productNames returns every product's name by ID.
func productNames(tx Tx) (map[int64]string, error) {
	ps, err := tx.Products()
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(ps))
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	return names, nil
}
