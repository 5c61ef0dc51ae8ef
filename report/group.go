package report

import (
	"cmp"
	"fmt"
	"slices"
)

// group is one row of a report over pools: the pools of one partner, one
// company or the pool alone, their figures added up.
type group struct {
	label    string
	quantity int
	used     int
	loggedIn int
	since    []int
}

// groupColumn is the first column of a report over pools at level l.
func (l level) groupColumn() Column {
	switch l {
	case byPartner:
		return Column{Key: "partner", Label: "Partner"}
	case byCompany:
		return Column{Key: "company", Label: "Company"}
	}
	return Column{Key: "pool", Label: "Pool"}
}

// key returns the group pool u falls in at level l, and its label.
func (l level) key(u PoolUse) (int64, string) {
	switch l {
	case byPartner:
		if u.PartnerID == 0 {
			return 0, "Direct customers"
		}
		return u.PartnerID, u.PartnerName
	case byCompany:
		return u.CompanyID, u.CompanyName
	}
	return u.PoolID, fmt.Sprintf("%s, pool %d, ends %s", u.ProductName, u.PoolID, u.EndsAt.UTC().Format("2006-01-02"))
}

// groups adds the pools up by level l, in the order their groups first
// come, with a last group of every pool when total is set.
func groups(l level, pools []PoolUse, since int, total bool) []group {
	var out []group
	at := map[int64]int{}
	all := group{label: "Total", since: make([]int, since)}
	for _, u := range pools {
		id, label := l.key(u)
		i, ok := at[id]
		if !ok {
			i, at[id] = len(out), len(out)
			out = append(out, group{label: label, since: make([]int, since)})
		}
		out[i].add(u)
		all.add(u)
	}
	if total {
		out = append(out, all)
	}
	return out
}

// add adds pool u's figures to g.
func (g *group) add(u PoolUse) {
	g.quantity += u.Quantity
	g.used += u.Used
	g.loggedIn += u.LoggedIn
	for i := range g.since {
		if i < len(u.Since) {
			g.since[i] += u.Since[i]
		}
	}
}

// chartLimit is how many bars a chart draws at most; the table lists all.
const chartLimit = 12

// largest returns the indexes of the n groups of gs with the largest weight,
// in the order of gs, and a note saying what the chart leaves out.
func largest(gs []group, n int, weight func(group) int) ([]int, string) {
	idx := make([]int, len(gs))
	for i := range gs {
		idx[i] = i
	}
	if len(gs) <= n {
		return idx, ""
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(weight(gs[b]), weight(gs[a])) })
	idx = idx[:n]
	slices.Sort(idx)
	return idx, fmt.Sprintf("The chart shows the %d largest of %d rows; the table lists them all.", n, len(gs))
}
