package report

import "fmt"

// renewals is the report of the learners given a new seat after theirs
// expired, month by month up to now.
func (u run) renewals() error {
	m := monthsBack(u.r.At, u.r.Filter.Months)
	at, err := u.tx.ReportRenewals(PeriodParams{Where: u.sc.Where, From: m.first, To: u.r.At})
	if err != nil {
		return err
	}
	count := make([]int, m.n)
	total := 0
	for _, t := range at {
		if i := m.index(t); i >= 0 {
			count[i]++
			total++
		}
	}
	u.r.Table.Columns = []Column{monthColumn, {Key: "renewed", Label: "Learners renewed", Numeric: true}}
	c := Chart{Title: "Learners renewed each month", Labels: m.labels(), Series: []Series{{Name: "Renewed", Values: count}}}
	for i := range m.n {
		u.r.Table.Rows = append(u.r.Table.Rows, []Cell{Text(m.label(i)), Num(count[i])})
	}
	u.r.Chart = c
	u.r.Summary = fmt.Sprintf("%s renewed in the last %d months.", plural(total, "learner"), m.n)
	return nil
}
