package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"allot"
)

// bulkData is a bulk action on the people chosen on the users list: asked
// to be confirmed, or done, person by person.
type bulkData struct {
	Company  allot.Company
	Product  allot.Product
	Action   string // seat, release or remove
	Question string // what the confirmation asks, naming the count
	Button   string
	People   []bulkPerson
	Back     string
	Reasons  []string
	Result   bool // the action is done: People say how it went for each
	Done     int
	Failed   int
}

// bulkPerson is one person chosen: why the action leaves them out, before
// it runs, or what it did to them or why it failed, after.
type bulkPerson struct {
	allot.Member
	Skip   string // before: why the action leaves them out
	Done   string // after: what it did
	Failed string // after: why it did not
}

// bulkActions are the actions the users list does on the people chosen.
var bulkActions = []string{"seat", "release", "remove"}

// maxBulk is the most people one bulk action takes: a few pages.
const maxBulk = 500

// bulkUsers asks to confirm a bulk action on the people chosen on the
// users list, naming how many it concerns; confirmed, it does it to each
// and says how it went, keeping what was done when some fail.
func (s *Server) bulkUsers(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	d := bulkData{Company: c, Action: r.PostForm.Get("action"), Back: usersBack(r), Reasons: allot.ReleaseReasons}
	ids, err := bulkIDs(r.PostForm["ids"])
	if err == nil && !slices.Contains(bulkActions, d.Action) {
		err = allot.Invalid("action", "choose what to do: give a seat, release or remove")
	}
	if err == nil {
		d.Product, err = s.listProduct(r, c, r.PostForm.Get("product"))
		if err == nil && d.Product.ID == 0 {
			err = allot.Invalid("product", "no product %q", r.PostForm.Get("product"))
		}
	}
	var members []allot.Member
	if err == nil {
		members, err = s.svc.Members(r.Context(), c.ID, allot.MemberFilter{ProductCode: d.Product.Code,
			UserFilter: allot.UserFilter{IDs: ids, Limit: len(ids)}})
		if err == nil && len(members) != len(ids) {
			err = allot.NotFound("user") // someone of another company, or removed
		}
	}
	if err != nil {
		s.rowFailed(w, r, "bulk", err)
		return
	}
	p, _ := allot.PrincipalFrom(r.Context())
	now := s.svc.Clock.Now()
	n := 0
	for _, m := range members {
		bp := bulkPerson{Member: m, Skip: bulkSkip(d.Action, m, p, now)}
		if bp.Skip == "" {
			n++
		}
		d.People = append(d.People, bp)
	}
	if n == 0 {
		s.rowFailed(w, r, "bulk", allot.Invalid("ids", "%s: %s", plural(len(members), "person chosen", "people chosen"), bulkNone[d.Action]))
		return
	}
	d.Question, d.Button = bulkQuestion(d, n)
	if r.PostForm.Get("confirm") != "1" {
		s.render(w, http.StatusOK, "company_users_confirm", s.page(r, d.Button, d))
		return
	}
	s.runBulk(w, r, d, n)
}

// runBulk does the confirmed action to each person it does not leave out,
// each on its own, so that one failing keeps what was done to the others.
func (s *Server) runBulk(w http.ResponseWriter, r *http.Request, d bulkData, n int) {
	ctx := r.Context()
	for i, bp := range d.People {
		if bp.Skip != "" {
			d.People[i].Failed = bp.Skip
			d.Failed++
			continue
		}
		var err error
		switch d.Action {
		case "seat":
			var seat allot.Seat
			if seat, err = s.svc.Allocate(ctx, bp.ID, d.Product.Code, 0); err == nil {
				d.People[i].Done = "given a seat until " + seat.EndsAt.In(zone(r)).Format("2 Jan 2006")
			}
		case "release":
			if _, err = s.svc.Release(ctx, bp.Seat.ID, r.PostForm.Get("reason")); err == nil {
				d.People[i].Done = "seat released"
			}
		case "remove":
			if _, err = s.svc.RemoveUser(ctx, bp.ID); err == nil {
				d.People[i].Done = "removed"
			}
		}
		switch code := allot.ErrorCode(err); {
		case err == nil:
			d.Done++
		case code == allot.EINTERNAL || code == allot.EUNAUTHORIZED:
			s.fail(w, r, err)
			return
		default:
			d.People[i].Failed = allot.ErrorMessage(err)
			d.Failed++
		}
	}
	if d.Failed == 0 {
		s.done(w, r, d.Back, bulkDoneText(d))
		return
	}
	d.Result = true
	status := http.StatusOK
	if d.Done == 0 {
		status = http.StatusConflict
	}
	s.render(w, status, "company_users_confirm", s.page(r, "Done for "+plural(d.Done, "person", "people")+" of "+strconv.Itoa(n), d))
}

// bulkIDs reads the people chosen: at least one, at most maxBulk.
func bulkIDs(values []string) ([]int64, error) {
	if len(values) == 0 {
		return nil, allot.Invalid("ids", "choose the people first: tick the box of each")
	}
	if len(values) > maxBulk {
		return nil, allot.Invalid("ids", "choose at most %d people at once", maxBulk)
	}
	var ids []int64
	for _, v := range values {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return nil, allot.Invalid("ids", "choose the people from the list")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// bulkSkip says why action leaves member m out, or "" when it does not.
func bulkSkip(action string, m allot.Member, p allot.Principal, now time.Time) string {
	live := m.Seat != nil && m.Seat.Live(now)
	switch {
	case action == "seat" && live:
		return "already holds a seat until " + m.Seat.EndsAt.Format("2 Jan 2006")
	case action == "release" && !live:
		return "holds no seat to release"
	case action == "remove" && m.ID == p.UserID:
		return "you cannot remove yourself"
	}
	return ""
}

// bulkNone says why an action leaves out everyone chosen.
var bulkNone = map[string]string{
	"seat":    "each holds a seat of this product already",
	"release": "none holds a seat of this product to release",
	"remove":  "you cannot remove yourself",
}

// bulkQuestion returns what the confirmation of d asks, for the n people it
// does not leave out, and its button.
func bulkQuestion(d bulkData, n int) (string, string) {
	switch d.Action {
	case "seat":
		return fmt.Sprintf("Give a seat of %s to %s?", d.Product.Name, plural(n, "person", "people")),
			"Give " + plural(n, "seat", "seats")
	case "release":
		return fmt.Sprintf("Release %s of %s?", plural(n, "seat", "seats"), d.Product.Name),
			"Release " + plural(n, "seat", "seats")
	}
	return fmt.Sprintf("Remove %s from %s? Their seats go back to the pools.", plural(n, "person", "people"), d.Company.Name),
		"Remove " + plural(n, "person", "people")
}

// bulkDoneText says what a bulk action did when it did it to everyone.
func bulkDoneText(d bulkData) string {
	switch d.Action {
	case "seat":
		return fmt.Sprintf("%s of %s given.", plural(d.Done, "seat", "seats"), d.Product.Name)
	case "release":
		return fmt.Sprintf("%s of %s released: free again.", plural(d.Done, "seat", "seats"), d.Product.Name)
	}
	return fmt.Sprintf("%s removed from %s; their seats went back to the pools.", plural(d.Done, "person", "people"), d.Company.Name)
}
