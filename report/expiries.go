package report

import "fmt"

// expiries is the report of the pools ending in each coming month, with
// the seats bought and the seats at risk: held by learners who lose access
// when their pool ends.
func (u run) expiries() error {
	m := monthsAhead(u.r.At, u.r.Filter.Months)
	pools, err := u.tx.ReportPools(PoolParams{Where: u.sc.Where, EndsFrom: u.r.At, EndsBefore: m.end()})
	if err != nil {
		return err
	}
	count, bought, risk := make([]int, m.n), make([]int, m.n), make([]int, m.n)
	for _, p := range pools {
		if i := m.index(p.EndsAt); i >= 0 {
			count[i]++
			bought[i] += p.Quantity
			risk[i] += p.Used
		}
	}
	u.r.Table.Columns = []Column{monthColumn, {Key: "pools", Label: "Pools ending", Numeric: true},
		{Key: "bought", Label: "Seats bought", Numeric: true}, {Key: "at_risk", Label: "Seats at risk", Numeric: true}}
	c := Chart{Title: "Seats ending each month", Stacked: true, Labels: m.labels(),
		Series: []Series{{Name: "At risk"}, {Name: "Free"}}}
	total, pooled := 0, 0
	for i := range m.n {
		u.r.Table.Rows = append(u.r.Table.Rows, []Cell{Text(m.label(i)), Num(count[i]), Num(bought[i]), Num(risk[i])})
		c.Series[0].Values = append(c.Series[0].Values, risk[i])
		c.Series[1].Values = append(c.Series[1].Values, bought[i]-risk[i])
		total += risk[i]
		pooled += count[i]
	}
	u.r.Chart = c
	u.r.Summary = fmt.Sprintf("%s end in the next %d months, with %s at risk.", plural(pooled, "pool"), m.n,
		plural(total, "seat"))
	return nil
}
