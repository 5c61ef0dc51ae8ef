package report

import (
	"fmt"
	"time"
)

// months is a run of calendar months in UTC, each a row of a monthly
// report.
type months struct {
	first time.Time // the first instant of the first month
	n     int
}

// monthsAhead returns the n months starting with now's.
func monthsAhead(now time.Time, n int) months {
	return months{first: monthOf(now), n: n}
}

// monthsBack returns the n months ending with now's.
func monthsBack(now time.Time, n int) months {
	return months{first: monthOf(now).AddDate(0, 1-n, 0), n: n}
}

// monthOf returns the first instant of t's month in UTC.
func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// end returns the first instant after the months.
func (m months) end() time.Time { return m.first.AddDate(0, m.n, 0) }

// index returns the place of t's month among m, or -1 when it is not one of
// them.
func (m months) index(t time.Time) int {
	t = t.UTC()
	i := (t.Year()-m.first.Year())*12 + int(t.Month()) - int(m.first.Month())
	if i < 0 || i >= m.n {
		return -1
	}
	return i
}

// label returns the name of month i, as 2026-05.
func (m months) label(i int) string { return m.first.AddDate(0, i, 0).Format("2006-01") }

// labels returns the names of the months.
func (m months) labels() []string {
	out := make([]string, m.n)
	for i := range out {
		out[i] = m.label(i)
	}
	return out
}

// monthColumn is the first column of a monthly report.
var monthColumn = Column{Key: "month", Label: "Month"}

// plural returns n and the noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
