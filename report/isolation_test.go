package report_test

import (
	"slices"
	"testing"

	"allot"
	"allot/report"
	"allot/storetest"
	"allot/world"
)

// TestIsolation checks that each principal's reports cover its own scope
// only, that a company, partner or pool it may not see reads as not found,
// and that a learner gets no report.
func TestIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		companies := func(who string, f report.Filter) []string {
			r := world.Must(w.Reports.Read(w.Ctx(t, who), report.Seats, f))(t)
			var out []string
			for _, row := range r.Table.Rows[:len(r.Table.Rows)-1] {
				out = append(out, row[0].Text)
			}
			return out
		}
		if got := companies("pm", report.Filter{}); !slices.Equal(got, []string{"Acme", "Beta"}) {
			t.Errorf("Channel One's report lists %v, want its customers Acme and Beta", got)
		}
		if got := companies("pm2", report.Filter{}); !slices.Equal(got, []string{"Globex"}) {
			t.Errorf("Channel Two's report lists %v, want Globex", got)
		}
		if got := companies("admin", report.Filter{}); !slices.Equal(got, []string{"Direct customers", "Channel One", "Channel Two"}) {
			t.Errorf("the vendor's report lists %v, want every partner and the direct customers", got)
		}
		if got := companies("acme cm", report.Filter{}); len(got) != 2 {
			t.Errorf("Acme's report lists %v, want its two pools", got)
		}
		cases := []struct {
			name string
			who  string
			f    report.Filter
			code string
		}{
			{"a partner, another's customer", "pm", report.Filter{CompanyID: w.Globex.Company.ID}, allot.ENOTFOUND},
			{"a partner, another partner", "pm", report.Filter{PartnerID: w.Partner2.ID}, allot.ENOTFOUND},
			{"a partner, another's pool", "pm", report.Filter{PoolID: w.Globex.Pool.ID}, allot.ENOTFOUND},
			{"a manager, another company", "acme cm", report.Filter{CompanyID: w.Beta.Company.ID}, allot.ENOTFOUND},
			{"a manager, its partner", "acme cm", report.Filter{PartnerID: w.Partner.ID}, allot.ENOTFOUND},
			{"a manager, another's pool", "acme cm", report.Filter{PoolID: w.Beta.Pool.ID}, allot.ENOTFOUND},
			{"a company of another partner", "admin", report.Filter{CompanyID: w.Globex.Company.ID, PartnerID: w.Partner.ID}, allot.ENOTFOUND},
			{"no such company", "admin", report.Filter{CompanyID: 99999}, allot.ENOTFOUND},
			{"no such pool", "admin", report.Filter{PoolID: 99999}, allot.ENOTFOUND},
			{"a learner", "acme learner", report.Filter{}, allot.EFORBIDDEN},
			{"no such product", "admin", report.Filter{Product: "nothing"}, allot.EINVALID},
			{"days out of bounds", "admin", report.Filter{Days: -1}, allot.EINVALID},
			{"own pool", "acme cm", report.Filter{PoolID: w.Acme.Pool.ID}, ""},
			{"own customer", "pm", report.Filter{CompanyID: w.Beta.Company.ID}, ""},
		}
		for _, c := range cases {
			for _, k := range report.Kinds {
				_, err := w.Reports.Read(w.Ctx(t, c.who), k.Name, c.f)
				if allot.ErrorCode(err) != c.code {
					t.Errorf("%s, %s: %v, want %q", c.name, k.Name, err, c.code)
				}
			}
		}
		if _, err := w.Reports.Read(w.Ctx(t, "admin"), "nothing", report.Filter{}); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a report of no name: %v, want not found", err)
		}
	})
}
