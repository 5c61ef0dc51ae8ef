package report

import "fmt"

// The states the invitations report counts an invitation in.
const (
	invAccepted = iota
	invWaiting
	invScheduled
	invCancelled
)

// state returns where invitation f stands: cancelled before it went out,
// scheduled, sent and accepted (the member logged in or signed in since),
// or sent and waiting.
func (f InvitationFact) state() int {
	switch {
	case !f.CancelledAt.IsZero():
		return invCancelled
	case f.SentAt.IsZero():
		return invScheduled
	case !f.SeenAt.Before(f.SentAt):
		return invAccepted
	}
	return invWaiting
}

// invitations is the report of the programme invitations made each month:
// how many were sent, accepted, waiting, scheduled and cancelled.
func (u run) invitations() error {
	m := monthsBack(u.r.At, u.r.Filter.Months)
	facts, err := u.tx.ReportInvitations(PeriodParams{Where: u.sc.Where, From: m.first, To: u.r.At})
	if err != nil {
		return err
	}
	counts := make([][4]int, m.n)
	var total [4]int
	for _, f := range facts {
		if i := m.index(f.CreatedAt); i >= 0 {
			counts[i][f.state()]++
			total[f.state()]++
		}
	}
	u.r.Table.Columns = []Column{monthColumn, {Key: "sent", Label: "Sent", Numeric: true},
		{Key: "accepted", Label: "Accepted", Numeric: true}, {Key: "waiting", Label: "Waiting", Numeric: true},
		{Key: "scheduled", Label: "Scheduled", Numeric: true}, {Key: "cancelled", Label: "Cancelled", Numeric: true}}
	c := Chart{Title: "Invitations made each month", Stacked: true, Labels: m.labels(),
		Series: []Series{{Name: "Accepted"}, {Name: "Waiting"}, {Name: "Scheduled"}}}
	for i, n := range counts {
		u.r.Table.Rows = append(u.r.Table.Rows, []Cell{Text(m.label(i)), Num(n[invAccepted] + n[invWaiting]),
			Num(n[invAccepted]), Num(n[invWaiting]), Num(n[invScheduled]), Num(n[invCancelled])})
		for j := range c.Series {
			c.Series[j].Values = append(c.Series[j].Values, n[j])
		}
	}
	u.r.Chart = c
	u.r.Summary = fmt.Sprintf("%s sent in the last %d months: %d accepted, %d waiting; %d scheduled.",
		plural(total[invAccepted]+total[invWaiting], "invitation"), m.n, total[invAccepted], total[invWaiting],
		total[invScheduled])
	return nil
}
