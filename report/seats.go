package report

import (
	"fmt"
	"time"
)

// livePools reads the pools of the run's scope live now, with the logins
// of their learners counted from each of since, and ever when ever is set.
func (u run) livePools(ever bool, since ...time.Time) ([]PoolUse, error) {
	return u.tx.ReportPools(PoolParams{Where: u.sc.Where, LiveAt: u.r.At, Since: since, Ever: ever})
}

// seats is the report of the seats bought, allocated (held by a learner)
// and active (held by a learner who logged in within the window) of the
// live pools.
func (u run) seats() error {
	days := u.r.Filter.Days
	pools, err := u.livePools(false, u.inactiveSince(days))
	if err != nil {
		return err
	}
	gs := groups(u.sc.level, pools, 1, true)
	active := fmt.Sprintf("Active (%d days)", days)
	u.r.Table.Columns = []Column{u.sc.level.groupColumn(), {Key: "bought", Label: "Bought", Numeric: true},
		{Key: "allocated", Label: "Allocated", Numeric: true}, {Key: "free", Label: "Free", Numeric: true},
		{Key: "active", Label: active, Numeric: true}}
	for _, g := range gs {
		u.r.Table.Rows = append(u.r.Table.Rows, []Cell{Text(g.label), Num(g.quantity), Num(g.used),
			Num(g.quantity - g.used), Num(g.since[0])})
	}
	rows := gs[:len(gs)-1]
	idx, note := largest(rows, chartLimit, func(g group) int { return g.quantity })
	c := Chart{Title: "Seats bought, allocated and active", Note: note,
		Series: []Series{{Name: "Bought"}, {Name: "Allocated"}, {Name: active}}}
	for _, i := range idx {
		c.Labels = append(c.Labels, rows[i].label)
		c.Series[0].Values = append(c.Series[0].Values, rows[i].quantity)
		c.Series[1].Values = append(c.Series[1].Values, rows[i].used)
		c.Series[2].Values = append(c.Series[2].Values, rows[i].since[0])
	}
	u.r.Chart = c
	t := gs[len(gs)-1]
	u.r.Summary = fmt.Sprintf("%d seats bought in live pools, %d allocated, %d active in the last %d days.",
		t.quantity, t.used, t.since[0], days)
	return nil
}

// activityWindows are the windows of the activity report, in days.
var activityWindows = []int{7, 30, 90}

// activity is the report of the learners holding a seat of a live pool by
// when they last logged in.
func (u run) activity() error {
	since := make([]time.Time, len(activityWindows))
	for i, d := range activityWindows {
		since[i] = u.inactiveSince(d)
	}
	pools, err := u.livePools(true, since...)
	if err != nil {
		return err
	}
	gs := groups(u.sc.level, pools, len(since), true)
	u.r.Table.Columns = []Column{u.sc.level.groupColumn(), {Key: "held", Label: "Seats held", Numeric: true},
		{Key: "active_7", Label: "Active (7 days)", Numeric: true}, {Key: "active_30", Label: "Active (30 days)", Numeric: true},
		{Key: "active_90", Label: "Active (90 days)", Numeric: true},
		{Key: "inactive_90", Label: "Inactive over 90 days", Numeric: true},
		{Key: "never", Label: "Never logged in", Numeric: true}}
	for _, g := range gs {
		u.r.Table.Rows = append(u.r.Table.Rows, []Cell{Text(g.label), Num(g.used), Num(g.since[0]), Num(g.since[1]),
			Num(g.since[2]), Num(g.loggedIn - g.since[2]), Num(g.used - g.loggedIn)})
	}
	rows := gs[:len(gs)-1]
	idx, note := largest(rows, chartLimit, func(g group) int { return g.used })
	c := Chart{Title: "Learners by their last login", Stacked: true, Note: note, Series: []Series{
		{Name: "Within 7 days"}, {Name: "8 to 30 days"}, {Name: "31 to 90 days"}, {Name: "Over 90 days"}, {Name: "Never"}}}
	for _, i := range idx {
		g := rows[i]
		c.Labels = append(c.Labels, g.label)
		for j, v := range []int{g.since[0], g.since[1] - g.since[0], g.since[2] - g.since[1], g.loggedIn - g.since[2], g.used - g.loggedIn} {
			c.Series[j].Values = append(c.Series[j].Values, v)
		}
	}
	u.r.Chart = c
	t := gs[len(gs)-1]
	u.r.Summary = fmt.Sprintf("Of %d seats held, %d learners logged in within 30 days and %d never did.",
		t.used, t.since[1], t.used-t.loggedIn)
	return nil
}
