package report_test

import (
	"fmt"
	"testing"
	"time"

	"allot"
	"allot/report"
	"allot/storetest"
	"allot/world"
)

// TestPipeline checks the renewal pipeline of each partner and of the
// vendor on a world where pools end within 90 days at every stage of
// their renewal.
func TestPipeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.NewWith(t, b, world.Options{Seats: 10})
		w.Clock.Advance(time.Hour) // the world's own orders were requested before the pools below started
		pool := func(c world.Customer, seats, days, learners int) allot.Pool {
			t.Helper()
			p := w.Assigned(allot.NewOrder{CompanyID: c.Company.ID, Quantity: seats, TermDays: days})
			for range learners {
				w.NewLearner(t, c) // from the pool that ends first: this one
			}
			return w.Reload(p)
		}
		acme := pool(w.Acme, 4, 30, 4)
		beta := pool(w.Beta, 2, 60, 2)
		globex := pool(w.Globex, 1, 10, 1)
		solo := pool(w.Solo, 1, 80, 0)
		w.Clock.Advance(time.Hour)
		renewal := world.Must(w.Svc.RequestOrder(w.Ctx(t, "pm"), allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "premium", Quantity: 3}))(t)
		w.Assigned(allot.NewOrder{CompanyID: w.Beta.Company.ID, Quantity: 5})
		cancelled := world.Must(w.Svc.RequestOrder(w.Ctx(t, "pm2"), allot.NewOrder{CompanyID: w.Globex.Company.ID, ProductCode: "premium", Quantity: 1}))(t)
		world.Must(w.Svc.CancelOrder(w.Ctx(t, "pm2"), cancelled.ID))(t)
		world.Must(w.Svc.RequestOrder(w.Ctx(t, "pm2"), allot.NewOrder{CompanyID: w.Globex.Company.ID, ProductCode: "coaching", Quantity: 1}))(t)

		// Each line: pool, requested, assigned, order to assign, stage, at risk.
		line := func(p allot.Pool, requested, assigned int, order int64, stage string, risk int) string {
			return fmt.Sprintf("pool %d: requested %d, assigned %d, order %d, %s, %d at risk", p.ID, requested, assigned, order, stage, risk)
		}
		acmeLine := line(acme, 3, 0, renewal.ID, "requested", 1)
		betaLine := line(beta, 0, 5, 0, "assigned", 0)
		globexLine := line(globex, 0, 0, 0, "none", 1)
		soloLine := line(solo, 0, 0, 0, "none", 0)
		cases := []struct {
			who    string
			f      report.PipelineFilter
			want   []string
			atRisk int
		}{
			{"pm", report.PipelineFilter{}, []string{acmeLine, betaLine}, 1},
			{"pm", report.PipelineFilter{PartnerID: w.Partner.ID}, []string{acmeLine, betaLine}, 1},
			{"pm2", report.PipelineFilter{}, []string{globexLine}, 1},
			{"admin", report.PipelineFilter{}, []string{globexLine, acmeLine, betaLine, soloLine}, 2},
			{"am", report.PipelineFilter{PartnerID: w.Partner.ID}, []string{acmeLine, betaLine}, 1},
			{"admin", report.PipelineFilter{Direct: true}, []string{soloLine}, 0},
			{"admin", report.PipelineFilter{Limit: 2, Offset: 1}, []string{acmeLine, betaLine}, 1},
		}
		for _, c := range cases {
			pl := world.Must(w.Reports.Pipeline(w.Ctx(t, c.who), c.f))(t)
			var got []string
			for _, l := range pl.Lines {
				got = append(got, line(l.Pool, l.Requested, l.Assigned, l.OrderID, l.Stage(), l.AtRisk()))
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) || pl.AtRisk != c.atRisk {
				t.Errorf("%s %+v:\n got %q, %d at risk\nwant %q, %d at risk", c.who, c.f, got, pl.AtRisk, c.want, c.atRisk)
			}
			if total := map[string]int{"pm": 2, "pm2": 1, "am": 2}[c.who]; c.who != "admin" && pl.Total != total {
				t.Errorf("%s: total %d, want %d", c.who, pl.Total, total)
			}
		}
		if pl := world.Must(w.Reports.Pipeline(w.Ctx(t, "admin"), report.PipelineFilter{Limit: 1}))(t); pl.Total != 4 || len(pl.Lines) != 1 {
			t.Errorf("a page of one: %d lines of %d, want 1 of 4", len(pl.Lines), pl.Total)
		}
		if l := world.Must(w.Reports.Pipeline(w.Ctx(t, "pm"), report.PipelineFilter{}))(t).Lines[0]; l.Company != "Acme" || l.Partner != "Channel One" || l.ProductCode != "premium" {
			t.Errorf("Acme's line names %q of %q, product %q", l.Company, l.Partner, l.ProductCode)
		}

		// Another partner's id reads as a missing one; companies have no pipeline.
		for _, who := range []string{"pm", "pm2"} {
			for _, id := range []int64{w.Partner2.ID, w.Partner.ID, 9999} {
				if id == w.Who[who].PartnerID {
					continue
				}
				_, err := w.Reports.Pipeline(w.Ctx(t, who), report.PipelineFilter{PartnerID: id})
				world.WantError(t, err, allot.ENOTFOUND, "")
			}
		}
		_, err := w.Reports.Pipeline(w.Ctx(t, "admin"), report.PipelineFilter{PartnerID: 9999})
		world.WantError(t, err, allot.ENOTFOUND, "")
		for _, who := range []string{"acme cm", "acme learner", "pm@acme"} {
			_, err := w.Reports.Pipeline(w.Ctx(t, who), report.PipelineFilter{})
			world.WantError(t, err, allot.EFORBIDDEN, "")
		}

		// Past the pools' ends, nothing is left to renew.
		w.Clock.Advance(81 * 24 * time.Hour)
		if pl := world.Must(w.Reports.Pipeline(w.Ctx(t, "admin"), report.PipelineFilter{}))(t); len(pl.Lines) != 0 {
			t.Errorf("after every pool ended, the pipeline holds %d lines", len(pl.Lines))
		}
	})
}
