package report

import "strconv"

// Table is a report's data: what its page lists, its CSV and XLSX files
// hold and its API returns, so that every form of it carries the same
// figures.
type Table struct {
	Columns []Column
	Rows    [][]Cell
}

// Column is a table's column: Key names it in the API, Label heads it on
// the page and in the files.
type Column struct {
	Key     string
	Label   string
	Numeric bool // its cells are whole numbers
}

// Cell is one value of a table: a number or a text.
type Cell struct {
	Text    string // the text, or the number written out
	Number  int64
	Numeric bool
}

// Num returns a cell holding n.
func Num(n int) Cell { return Cell{Text: strconv.Itoa(n), Number: int64(n), Numeric: true} }

// Text returns a cell holding s.
func Text(s string) Cell { return Cell{Text: s} }

// Value returns the cell's value as the API gives it: a number or a text.
func (c Cell) Value() any {
	if c.Numeric {
		return c.Number
	}
	return c.Text
}

// Records returns the table as records of text, the header first: the rows
// of its CSV file.
func (t Table) Records() [][]string {
	out := make([][]string, 0, len(t.Rows)+1)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Label
	}
	out = append(out, head)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = c.Text
		}
		out = append(out, rec)
	}
	return out
}

// Chart is what a report's chart draws: a bar for each label, of one value
// per series, side by side or stacked into one bar.
type Chart struct {
	Title   string
	Labels  []string
	Series  []Series
	Stacked bool
	// Note says what the chart leaves out, when the table holds more.
	Note string
}

// Series is one measure of a chart: a value for each of its labels.
type Series struct {
	Name   string
	Values []int
}

// Max returns the largest bar of the chart: its longest stack, or its
// largest value.
func (c Chart) Max() int {
	best := 0
	for i := range c.Labels {
		sum := 0
		for _, s := range c.Series {
			if i >= len(s.Values) {
				continue
			}
			if c.Stacked {
				sum += s.Values[i]
			} else {
				sum = max(sum, s.Values[i])
			}
		}
		best = max(best, sum)
	}
	return best
}
