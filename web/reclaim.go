package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"allot"
	"allot/reclaim"
)

// reclaimShown is how many learners of each list of a rule's preview the
// page shows; it says how many more there are.
const reclaimShown = 50

// reclaimData is a company's reclaim rules, each with its preview, the
// form that sets one, and the seats they released.
type reclaimData struct {
	Company  allot.Company
	Rules    []rulePlan
	Products []allot.Product
	History  []reclaim.Reclaimed
	MaySet   bool
	// The form: the rule of the product chosen to change (?product=, the
	// company-wide one without it), or a new one.
	Product  string
	Days     string
	WarnDays string
	Changing bool
}

// rulePlan is a rule with what it would do now, its lists cut to
// reclaimShown.
type rulePlan struct {
	reclaim.Rule
	Reclaim, Warn, Warned          []reclaim.Entry
	ReclaimN, WarnN, WarnedN       int
	MoreReclaim, MoreWarn, MoreOld int
	Confirm                        string // what switching it on does now
}

// newRulePlan cuts plan pl's lists for the page.
func newRulePlan(pl reclaim.Plan) rulePlan {
	rp := rulePlan{Rule: pl.Rule, ReclaimN: len(pl.Reclaim), WarnN: len(pl.Warn), WarnedN: len(pl.Warned)}
	rp.Reclaim, rp.MoreReclaim = cutEntries(pl.Reclaim)
	rp.Warn, rp.MoreWarn = cutEntries(pl.Warn)
	rp.Warned, rp.MoreOld = cutEntries(pl.Warned)
	rp.Confirm = fmt.Sprintf("Switch on the rule of %s? It releases %s now", ruleProducts(pl.Rule), plural(rp.ReclaimN, "seat", "seats"))
	if pl.Rule.WarnDays > 0 {
		rp.Confirm += fmt.Sprintf(" and warns %s by e-mail", plural(rp.WarnN, "learner", "learners"))
	}
	rp.Confirm += "."
	return rp
}

// cutEntries returns the first reclaimShown entries and how many more there are.
func cutEntries(es []reclaim.Entry) ([]reclaim.Entry, int) {
	if len(es) <= reclaimShown {
		return es, 0
	}
	return es[:reclaimShown], len(es) - reclaimShown
}

// ruleProducts names what a rule acts on.
func ruleProducts(r reclaim.Rule) string {
	if r.ProductID == 0 {
		return "every product"
	}
	return r.Product
}

func (s *Server) reclaimPage(w http.ResponseWriter, r *http.Request) {
	s.renderReclaim(w, r, nil)
}

// renderReclaim shows the company's rules with their previews, and the
// form with formErr beside its field when there is one.
func (s *Server) renderReclaim(w http.ResponseWriter, r *http.Request, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	plans, err := s.reclaim.Preview(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := reclaimData{Company: c, Days: "90", WarnDays: "14", Product: r.URL.Query().Get("product")}
	for _, pl := range plans {
		data.Rules = append(data.Rules, newRulePlan(pl))
		if pl.Rule.ProductCode == data.Product {
			data.Days, data.WarnDays, data.Changing = strconv.Itoa(pl.Rule.Days), strconv.Itoa(pl.Rule.WarnDays), true
		}
	}
	if formErr != nil {
		data.Product, data.Days, data.WarnDays = r.PostForm.Get("product"), r.PostForm.Get("days"), r.PostForm.Get("warn_days")
	}
	if _, data.Products, err = s.products(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if data.History, err = s.reclaim.History(r.Context(), c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if p, err := allot.PrincipalFrom(r.Context()); err == nil {
		data.MaySet = p.May(allot.ActSetReclaim, c)
	}
	s.renderForm(w, r, "company_reclaim", s.page(r, "Reclaim rules", data), formErr)
}

// saveReclaimRule sets the rule of the product the form names. A rule
// saved is off, whatever it was: its preview shows what it would do, and
// switching it on is confirmed with its counts.
func (s *Server) saveReclaimRule(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	in := reclaim.RuleInput{ProductCode: r.PostForm.Get("product")}
	var err error
	if in.Days, err = strconv.Atoi(strings.TrimSpace(r.PostForm.Get("days"))); err != nil {
		s.renderReclaim(w, r, allot.Invalid("days", "give the days without a login as a whole number, from 1 to %d", reclaim.MaxDays))
		return
	}
	if warn := strings.TrimSpace(r.PostForm.Get("warn_days")); warn != "" {
		if in.WarnDays, err = strconv.Atoi(warn); err != nil {
			s.renderReclaim(w, r, allot.Invalid("warn_days", "give the days of warning as a whole number, 0 for none"))
			return
		}
	}
	rule, err := s.reclaim.SetRule(r.Context(), c.ID, in)
	if err != nil {
		s.renderReclaim(w, r, err)
		return
	}
	s.done(w, r, "/company/reclaim", fmt.Sprintf("The rule of %s is saved and off: its preview shows what it would do. Switch it on to run it.",
		ruleProducts(rule)))
}

// switchReclaimRule turns a rule on or off.
func (s *Server) switchReclaimRule(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.managed(w, r)
		if !ok {
			return
		}
		id := pathID(r)
		rule, err := s.reclaim.Switch(r.Context(), c.ID, id, on)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msg := fmt.Sprintf("The rule of %s is off: it releases no seat.", ruleProducts(rule))
		if on {
			msg = fmt.Sprintf("The rule of %s is on: it runs every hour.", ruleProducts(rule))
		}
		s.done(w, r, "/company/reclaim", msg)
	}
}

// deleteReclaimRule deletes a rule.
func (s *Server) deleteReclaimRule(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	id := pathID(r)
	if err := s.reclaim.DeleteRule(r.Context(), c.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/company/reclaim", "The rule is deleted.")
}
