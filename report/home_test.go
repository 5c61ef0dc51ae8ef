package report_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"allot"
	"allot/report"
	"allot/storetest"
	"allot/support"
	"allot/world"
)

// homeWorld is a World of 10-seat pools with something in every part of a
// home page, at the clock's time:
//   - Acme (Channel One): premium full (100 %), two learners waiting, its
//     world order rejected and a new one requested; coaching unused.
//   - Beta (Channel One): premium 1 of 10 used, and a 5-day pool of 3 seats.
//   - Globex (Channel Two): a 20-day pool; its world order requested.
//   - Solo (direct): a learner whose seat of a 1-day pool expired, not
//     renewed; its world order requested.
func homeWorld(t *testing.T, b storetest.Backend) *world.World {
	t.Helper()
	w := world.NewWith(t, b, world.Options{Seats: 10})
	for range 9 {
		w.NewLearner(t, w.Acme)
	}
	w.NewLearner(t, w.Acme)
	w.NewLearner(t, w.Acme)
	world.Must(w.Svc.RejectOrder(w.Ctx(t, "pm"), w.Acme.Order.ID, "Ordered twice"))(t)
	w.NewOrder(t, w.Acme.Company)
	w.Assigned(allot.NewOrder{CompanyID: w.Solo.Company.ID, Quantity: 1, TermDays: 1})
	w.NewLearner(t, w.Solo) // draws from the 1-day pool, which ends first
	w.Clock.Advance(36 * time.Hour)
	w.Assigned(allot.NewOrder{CompanyID: w.Beta.Company.ID, Quantity: 3, TermDays: 5})
	w.Assigned(allot.NewOrder{CompanyID: w.Globex.Company.ID, Quantity: 2, TermDays: 20})
	return w
}

// figures is a home page's counts, as the home page gives them or as
// counted directly through the ledger's own service.
type figures struct {
	In30, In7            int
	Requested, Rejected  int
	High, Low            int
	Waiting, Expired     int
	Companies            string // every company a line names
	Orders, Use, Tallies bool   // the parts shown
}

// homeFigures reads the figures of h.
func homeFigures(h report.Home) figures {
	var (
		f   figures
		ids []int64
	)
	seen := func(id int64) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if h.Expiring != nil {
		f.In30, f.In7 = h.Expiring.In30, h.Expiring.In7
		for _, l := range h.Expiring.Pools {
			seen(l.CompanyID)
		}
	}
	if h.Orders != nil {
		f.Orders, f.Requested, f.Rejected = true, h.Orders.Requested, h.Orders.Rejected
		for _, l := range h.Orders.Lines {
			seen(l.CompanyID)
		}
	}
	if h.Use != nil {
		f.Use, f.High, f.Low = true, h.Use.High, h.Use.Low
		for _, l := range append(slices.Clone(h.Use.HighLines), h.Use.LowLines...) {
			seen(l.CompanyID)
		}
	}
	if h.Waiting != nil && h.Expired != nil {
		f.Tallies, f.Waiting, f.Expired = true, h.Waiting.Learners, h.Expired.Learners
		for _, l := range append(slices.Clone(h.Waiting.Lines), h.Expired.Lines...) {
			seen(l.CompanyID)
		}
	}
	slices.Sort(ids)
	f.Companies = fmt.Sprint(ids)
	return f
}

// directFigures counts the figures of the companies cs through the
// ledger's service, as the vendor sees them. Orders are counted as those
// waiting for whoever reads: a company's own (mine: requested, and
// rejected lately), or those to assign (of every company of cs, or of its
// direct ones when direct, whose learners alone are then counted); use
// only when shown (use).
func directFigures(t *testing.T, w *world.World, cs []world.Customer, mine, direct, use bool) figures {
	t.Helper()
	ctx := w.As(w.Admin)
	now := w.Clock.Now()
	f := figures{Orders: true, Use: use, Tallies: true}
	var ids []int64
	note := func(id int64) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, c := range cs {
		id := c.Company.ID
		byProduct := map[int64][2]int{}
		for _, p := range world.Must(w.Svc.Pools(ctx, id))(t) {
			if p.StartsAt.After(now) || !p.EndsAt.After(now) {
				continue
			}
			if !p.EndsAt.After(now.Add(report.ExpiringLater)) {
				f.In30++
				note(id)
			}
			if !p.EndsAt.After(now.Add(report.ExpiringSoon)) {
				f.In7++
			}
			u := byProduct[p.ProductID]
			byProduct[p.ProductID] = [2]int{u[0] + p.Used, u[1] + p.Quantity}
		}
		for _, u := range byProduct {
			switch {
			case !use:
			case u[0]*100 >= u[1]*report.HighUse:
				f.High++
				note(id)
			case u[0]*100 <= u[1]*report.LowUse:
				f.Low++
				note(id)
			}
		}
		for _, o := range world.Must(w.Svc.Orders(ctx, allot.OrderFilter{CompanyID: id, Limit: allot.MaxLimit}))(t) {
			switch {
			case o.Status == allot.OrderRequested && (!direct || c.Company.PartnerID == 0):
				f.Requested++
				note(id)
			case o.Status == allot.OrderRejected && mine && !o.DecidedAt.Before(now.Add(-report.RejectedFor)):
				f.Rejected++
				note(id)
			}
		}
		if direct && c.Company.PartnerID != 0 {
			continue // the vendor's home page counts its direct customers' learners alone
		}
		for _, pr := range world.Must(w.Svc.Products(ctx))(t) {
			waiting := world.Must(w.Svc.Members(ctx, id, allot.MemberFilter{ProductCode: pr.Code, Status: allot.StatusUnlicensed}))(t)
			expired := world.Must(w.Svc.ExpiredLearners(ctx, id, pr.Code))(t)
			f.Waiting, f.Expired = f.Waiting+len(waiting), f.Expired+len(expired)
			if len(waiting)+len(expired) > 0 {
				note(id)
			}
		}
	}
	slices.Sort(ids)
	f.Companies = fmt.Sprint(ids)
	return f
}

// TestHome checks each role's home page against a direct count of its
// scope, and that no part of it names a company outside that scope.
func TestHome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := homeWorld(t, b)
		home := func(who string) report.Home {
			t.Helper()
			return world.Must(w.Reports.Home(w.Ctx(t, who), nil))(t)
		}
		all := []world.Customer{w.Acme, w.Beta, w.Globex, w.Solo}
		cases := []struct {
			who  string
			want figures
		}{
			{"acme cm", directFigures(t, w, all[:1], true, false, false)},
			{"pm@acme", directFigures(t, w, all[:1], true, false, false)},
			{"solo cm", directFigures(t, w, all[3:], true, false, false)},
			{"pm", directFigures(t, w, all[:2], false, false, true)},
			{"pm2", directFigures(t, w, all[2:3], false, false, true)},
			{"admin", directFigures(t, w, all, false, true, true)},
		}
		for _, c := range cases {
			if got := homeFigures(home(c.who)); got != c.want {
				t.Errorf("%s: home figures\n got %+v\nwant %+v", c.who, got, c.want)
			}
		}

		// The figures the world was made for, lest both counts be wrong alike.
		pm := home("pm")
		if pm.Expiring.In7 != 1 || pm.Expiring.In30 != 1 || pm.Expiring.Pools[0].CompanyID != w.Beta.Company.ID {
			t.Errorf("Channel One's expiring pools: %+v, want Beta's 5-day pool", pm.Expiring)
		}
		if pm.Use.High != 1 || pm.Use.HighLines[0].CompanyID != w.Acme.Company.ID || pm.Use.HighLines[0].Percent() != 100 {
			t.Errorf("Channel One's high use: %+v, want Acme's premium at 100 %%", pm.Use)
		}
		if pm.Waiting.Learners != 2 || len(pm.Waiting.Lines) != 1 || pm.Waiting.Lines[0].ProductCode != "premium" {
			t.Errorf("Channel One's waiting learners: %+v, want Acme's two for premium", pm.Waiting)
		}
		acme := home("acme cm")
		if acme.Orders.Requested != 1 || acme.Orders.Rejected != 1 || acme.Company != "Acme" {
			t.Errorf("Acme's orders: %+v, want one requested and one rejected", acme.Orders)
		}
		if admin := home("admin"); admin.Expired.Learners != 1 || admin.Expired.Lines[0].CompanyID != w.Solo.Company.ID ||
			admin.Waiting.Learners != 0 || !admin.Direct {
			t.Errorf("the vendor's expired learners: %+v, waiting %+v; want Solo's one, and none of Acme's waiting", admin.Expired, admin.Waiting)
		}
		if agent := home("agent"); agent.Orders != nil || agent.Expiring == nil {
			t.Errorf("a support agent, who assigns no order, has orders %v", agent.Orders)
		}
		_, err := w.Reports.Home(w.Ctx(t, "acme learner"), nil)
		world.WantError(t, err, allot.EFORBIDDEN, "")

		// Renewing the expired learner takes them off the page.
		world.Must(w.Svc.Renew(w.As(world.Acting(w.Admin, w.Solo.Company)), allot.Renewal{CompanyID: w.Solo.Company.ID, ProductCode: "premium", All: true}))(t)
		if n := home("solo cm").Expired.Learners; n != 0 {
			t.Errorf("after the renewal, Solo has %d expired learners, want 0", n)
		}
	})
}

// TestHomeDesk checks the desk's part, read from the support desk's own
// queue: requests past their warning or their due time, for those who work
// the desk alone.
func TestHomeDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		open := func(subject string) {
			t.Helper()
			world.Must(w.Support.Open(w.Ctx(t, "acme learner"), support.NewRequest{Subject: subject, Body: "Please", Category: "technical"}))(t)
		}
		open("Breached") // its first response is due in 12 hours, with a warning at 9
		w.Clock.Advance(13 * time.Hour)
		open("Near")
		w.Clock.Advance(10 * time.Hour)
		open("Fresh")
		for who, want := range map[string]bool{"admin": true, "agent": true, "success": true, "am": false, "pm": false, "acme cm": false} {
			h := world.Must(w.Reports.Home(w.Ctx(t, who), w.Support))(t)
			switch {
			case !want && h.Desk != nil:
				t.Errorf("%s, who does not work the desk, sees it: %+v", who, h.Desk)
			case want && h.Desk == nil:
				t.Errorf("%s works the desk and does not see it", who)
			case want:
				var subjects []string
				for _, r := range h.Desk.Requests {
					subjects = append(subjects, r.Subject)
				}
				if h.Desk.Breached != 1 || h.Desk.Near != 1 || !slices.Equal(subjects, []string{"Breached", "Near"}) {
					t.Errorf("%s: %d breached, %d near, %v; want 1, 1, [Breached Near]", who, h.Desk.Breached, h.Desk.Near, subjects)
				}
			}
		}
	})
}
