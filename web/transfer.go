package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"allot"
)

// transferData is the page that moves free seats from one customer to
// another of the same partner: choose the customer seats leave, then its
// pool, the customer who gets them and how many; a preview says what will
// happen, and a second press does it.
type transferData struct {
	Customers []allot.Company // those whose seats the viewer may move
	From      *allot.Company  // the customer chosen, once chosen
	Pools     []transferPool  // its live pools with a free seat
	Targets   []allot.Company // the customers of its partner but itself
	Plan      *allot.TransferPlan
	Sentence  string // what the plan does, in words
	Keeps     string // the seats the pool keeps once the plan is done
}

// transferPool is a pool seats may leave, with its product's name.
type transferPool struct {
	allot.Pool
	Product string
}

// transferPage shows the form, for the customer ?from= names when it does.
func (s *Server) transferPage(w http.ResponseWriter, r *http.Request) {
	from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
	s.renderTransfer(w, r, from, nil, nil)
}

// transfer previews a transfer (go=preview) or makes it (go=confirm).
func (s *Server) transfer(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.me(w, r); !ok {
		return
	}
	r.ParseForm()
	from, _ := strconv.ParseInt(r.PostForm.Get("from"), 10, 64)
	in, err := transferForm(r)
	if err != nil {
		s.renderTransfer(w, r, from, nil, err)
		return
	}
	plan, err := s.svc.PlanTransfer(r.Context(), in)
	if err != nil {
		s.renderTransfer(w, r, from, nil, err)
		return
	}
	if r.PostForm.Get("go") != "confirm" {
		s.renderTransfer(w, r, plan.From.ID, &plan, nil)
		return
	}
	pool, err := s.svc.TransferSeats(r.Context(), in)
	if err != nil {
		s.renderTransfer(w, r, from, nil, err)
		return
	}
	msg := transferSentence(plan, zone(r), true) + "."
	if pool.Used > 0 {
		msg += fmt.Sprintf(" %s went at once to learners of %s who waited for one.", plural(pool.Used, "seat", "seats"), plan.To.Name)
	}
	s.done(w, r, "/transfer?from="+strconv.FormatInt(plan.From.ID, 10), msg)
}

// transferForm reads the transfer the form asks for.
func transferForm(r *http.Request) (allot.SeatTransfer, error) {
	var in allot.SeatTransfer
	var err error
	if in.PoolID, err = strconv.ParseInt(r.PostForm.Get("pool_id"), 10, 64); err != nil {
		return in, allot.Invalid("pool_id", "choose the pool whose seats move")
	}
	if in.ToCompanyID, err = strconv.ParseInt(r.PostForm.Get("to_company_id"), 10, 64); err != nil {
		return in, allot.Invalid("to_company_id", "choose the customer who gets the seats")
	}
	if in.Count, err = strconv.Atoi(strings.TrimSpace(r.PostForm.Get("count"))); err != nil {
		return in, allot.Invalid("count", "say how many seats move, as a whole number")
	}
	return in, nil
}

// renderTransfer renders the page for customer from (none when 0), with
// a plan to confirm or the error of the form.
func (s *Server) renderTransfer(w http.ResponseWriter, r *http.Request, from int64, plan *allot.TransferPlan, formErr error) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	companies, err := s.svc.Companies(ctx, allot.CompanyFilter{Limit: allot.MaxLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var data transferData
	for _, c := range companies {
		if p.May(allot.ActTransferSeats, c) {
			data.Customers = append(data.Customers, c)
		}
	}
	if len(data.Customers) == 0 {
		s.fail(w, r, p.Must(allot.ActTransferSeats, allot.Company{PartnerID: p.PartnerID, Name: "a customer"}))
		return
	}
	if from != 0 {
		if err := s.transferFrom(r, &data, from); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if plan != nil {
		data.Plan, data.Sentence = plan, transferSentence(*plan, zone(r), false)
		data.Keeps = plural(plan.Pool.Quantity-plan.Count, "seat", "seats")
	}
	s.renderForm(w, r, "transfer", s.page(r, "Transfer seats", data), formErr)
}

// transferFrom fills in data what customer id offers: its pools with free
// seats and the customers its seats may go to.
func (s *Server) transferFrom(r *http.Request, data *transferData, id int64) error {
	ctx := r.Context()
	c, err := s.svc.Company(ctx, id)
	if err != nil {
		return err
	}
	data.From = &c
	pools, err := s.svc.Pools(ctx, c.ID)
	if err != nil {
		return err
	}
	products, err := s.svc.Products(ctx)
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(products))
	for _, pr := range products {
		names[pr.ID] = pr.Name
	}
	now := s.svc.Clock.Now()
	for _, pool := range pools {
		if pool.Live(now) && pool.Free() > 0 {
			data.Pools = append(data.Pools, transferPool{Pool: pool, Product: names[pool.ProductID]})
		}
	}
	for _, t := range data.Customers {
		if t.ID != c.ID && t.PartnerID == c.PartnerID {
			data.Targets = append(data.Targets, t)
		}
	}
	return nil
}

// transferSentence says what plan does: "Move 5 seats of Premium (ends 3
// Mar 2027) from Acme to Globex", or "Moved …" once done.
func transferSentence(plan allot.TransferPlan, loc *time.Location, done bool) string {
	verb := "Move"
	if done {
		verb = "Moved"
	}
	return fmt.Sprintf("%s %s of %s (ends %s) from %s to %s", verb, plural(plan.Count, "seat", "seats"),
		plan.Product.Name, plan.Pool.EndsAt.In(loc).Format("2 Jan 2006"), plan.From.Name, plan.To.Name)
}
