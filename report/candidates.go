package report

import (
	"fmt"
	"time"
)

// CandidateLimit is how many candidates the candidates report lists; its
// summary and chart count them all.
const CandidateLimit = 500

// candidates is the report of the learners holding a seat of a live pool
// who never logged in or not for the chosen number of days: the seats that
// could go to someone else.
func (u run) candidates() error {
	days := u.r.Filter.Days
	before := u.inactiveSince(days)
	pools, err := u.livePools(true, before)
	if err != nil {
		return err
	}
	list, err := u.tx.ReportCandidates(CandidateParams{Where: u.sc.Where, Now: u.r.At, Before: before, Limit: CandidateLimit})
	if err != nil {
		return err
	}
	u.r.Table.Columns = []Column{{Key: "name", Label: "Person"}, {Key: "email", Label: "E-mail"},
		{Key: "company", Label: "Company"}, {Key: "product", Label: "Product"}, {Key: "pool", Label: "Pool", Numeric: true},
		{Key: "pool_ends", Label: "Pool ends"}, {Key: "seat_since", Label: "Seat since"}, {Key: "last_login", Label: "Last login"}}
	for _, c := range list {
		u.r.Table.Rows = append(u.r.Table.Rows, []Cell{Text(c.Name), Text(c.Email), Text(c.CompanyName),
			Text(c.ProductName), Num(int(c.PoolID)), Text(day(c.PoolEndsAt)), Text(day(c.SeatSince)), Text(lastLogin(c.LastLoginAt))})
	}
	gs := groups(u.sc.level, pools, 1, true)
	rows := gs[:len(gs)-1]
	idx, note := largest(rows, chartLimit, func(g group) int { return g.used - g.since[0] })
	inactive := fmt.Sprintf("Not for %d days", days)
	c := Chart{Title: "Candidates to reclaim", Stacked: true, Note: note,
		Series: []Series{{Name: "Never logged in"}, {Name: inactive}}}
	for _, i := range idx {
		g := rows[i]
		c.Labels = append(c.Labels, g.label)
		c.Series[0].Values = append(c.Series[0].Values, g.used-g.loggedIn)
		c.Series[1].Values = append(c.Series[1].Values, g.loggedIn-g.since[0])
	}
	u.r.Chart = c
	t := gs[len(gs)-1]
	n := t.used - t.since[0]
	u.r.Summary = fmt.Sprintf("%s: %d never logged in, %d not in the last %d days.", plural(n, "candidate"),
		t.used-t.loggedIn, t.loggedIn-t.since[0], days)
	if n > len(list) {
		u.r.Summary += fmt.Sprintf(" The table lists the first %d.", len(list))
	}
	return nil
}

// day returns t's date in UTC, as 2026-05-04.
func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// lastLogin returns the date of a last login, or "never".
func lastLogin(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return day(t)
}
