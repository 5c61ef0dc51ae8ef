package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"allot"
)

// assignOrder assigns order {id}: its pool of seats starts now.
func (s *Server) assignOrder(w http.ResponseWriter, r *http.Request) {
	s.orderAction(w, r, func(id int64) (string, error) {
		o, pool, err := s.svc.AssignOrder(r.Context(), id)
		if err != nil {
			return "", err
		}
		company, product := s.orderNames(r, o)
		msg := fmt.Sprintf("Order %d for %s assigned: %d seats of %s until %s.",
			o.ID, company, o.Quantity, product, pool.EndsAt.In(zone(r)).Format("2 Jan 2006"))
		if pool.Used > 0 {
			msg += fmt.Sprintf(" %d learners waiting for a seat got one from it.", pool.Used)
		}
		return msg, nil
	})
}

// rejectOrder rejects order {id} with the reason given.
func (s *Server) rejectOrder(w http.ResponseWriter, r *http.Request) {
	s.orderAction(w, r, func(id int64) (string, error) {
		o, err := s.svc.RejectOrder(r.Context(), id, r.PostForm.Get("reason"))
		if err != nil {
			return "", err
		}
		company, _ := s.orderNames(r, o)
		return fmt.Sprintf("Order %d for %s rejected: %s", o.ID, company, o.Reason), nil
	})
}

// cancelOrder cancels order {id}.
func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request) {
	s.orderAction(w, r, func(id int64) (string, error) {
		o, err := s.svc.CancelOrder(r.Context(), id)
		if err != nil {
			return "", err
		}
		company, product := s.orderNames(r, o)
		return fmt.Sprintf("Order %d for %s cancelled: %d licences of %s will not be assigned.", o.ID, company, o.Quantity, product), nil
	})
}

// orderAction runs act on order {id}, then goes back to the list the form
// was sent from (its "back" field) with act's message. When act fails the
// list is shown again with the error; an order the viewer may not see is
// answered 404.
func (s *Server) orderAction(w http.ResponseWriter, r *http.Request, act func(id int64) (string, error)) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	def := "/orders?status=requested"
	if company(p) != 0 {
		def = "/company/orders"
	}
	back := localPath(r.PostForm.Get("back"), def)
	msg, err := act(id)
	switch allot.ErrorCode(err) {
	case "":
		s.done(w, r, back, msg)
		return
	case allot.EINVALID, allot.ECONFLICT, allot.EFORBIDDEN:
	default:
		s.fail(w, r, err)
		return
	}
	if u, perr := url.Parse(back); perr == nil && u.Path == "/orders" && company(p) == 0 {
		s.renderOrders(w, r, p, u.Query(), err, id)
		return
	}
	v := s.page(r, fmt.Sprintf("Order %d was not changed", id), nil)
	v.Errors[""] = allot.ErrorMessage(err)
	s.render(w, statusFor(err), "error", v)
}

// orderNames returns the names of an order's company and product, for
// messages.
func (s *Server) orderNames(r *http.Request, o allot.Order) (company, product string) {
	company, product = fmt.Sprintf("company %d", o.CompanyID), fmt.Sprintf("product %d", o.ProductID)
	if c, err := s.svc.Company(r.Context(), o.CompanyID); err == nil {
		company = c.Name
	}
	if list, err := s.svc.Products(r.Context()); err == nil {
		for _, pr := range list {
			if pr.ID == o.ProductID {
				product = pr.Name
			}
		}
	}
	return company, product
}
