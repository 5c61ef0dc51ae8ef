package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"unicode/utf8"

	"allot/report"
)

// The chart's geometry. Heights are in pixels; widths are shares of the
// chart's box, so that a chart takes the width it is given and its texts
// keep their size, on a phone as on a laptop.
const (
	chartLabelH = 18  // the line of a label, above its bars
	chartBar    = 10  // the thickness of one bar of bars side by side
	chartStack  = 16  // the thickness of a stacked bar
	chartGap    = 12  // between one label's bars and the next label
	chartSpan   = 84. // the share of the width the longest bar takes, in %, leaving room for its figure
	chartSeries = 5   // the colours of the series, s0 to s4, again from s0 after
	chartChars  = 44  // the longest label that fits a phone's width; each bar's title holds it whole
)

// chartView is a chart laid out: its bars placed, its texts written.
type chartView struct {
	ID     string
	Title  string
	Desc   string
	Height int
	Legend []legendItem
	Rows   []chartRow
}

// legendItem is one series in the legend.
type legendItem struct {
	Class string
	Name  string
}

// chartRow is one label and its bars.
type chartRow struct {
	TextY  int
	Label  string
	Bars   []chartBarView
	Figure string // the label's value, or its stack's total
	FigX   string // where the figure starts, after the longest bar
	FigY   int
}

// chartBarView is one bar, or one part of a stack: its place across in %.
type chartBarView struct {
	X, W  string
	Y, H  int
	Class string
	Title string
}

// chartSVG returns chart c as a legend and an SVG image with a title and a
// description for screen readers and a <title> on each bar, for a page to
// show beside the table that holds its figures. id tells two charts of a
// page apart.
func chartSVG(c report.Chart, id string) template.HTML {
	var b bytes.Buffer
	if err := chartTemplate.Execute(&b, layoutChart(c, id)); err != nil {
		return template.HTML(template.HTMLEscapeString(err.Error()))
	}
	return template.HTML(b.String())
}

// layoutChart places the bars of c, each label on its own line above its
// bars.
func layoutChart(c report.Chart, id string) chartView {
	v := chartView{ID: id, Title: c.Title, Desc: chartDesc(c)}
	for i, s := range c.Series {
		v.Legend = append(v.Legend, legendItem{Class: seriesClass(i), Name: s.Name})
	}
	scale := chartSpan / float64(max(c.Max(), 1))
	y := 0
	for i, label := range c.Labels {
		row := chartRow{TextY: y + 13, Label: shorten(label, chartChars)}
		y += chartLabelH
		top, x, end, total := y, 0.0, 0.0, 0
		for j, s := range c.Series {
			n := value(s, i)
			w := float64(n) * scale
			bar := chartBarView{X: pct(x), W: pct(w), Y: y, H: chartBar, Class: seriesClass(j),
				Title: fmt.Sprintf("%s, %s: %d", label, s.Name, n)}
			if c.Stacked {
				bar.H = chartStack
				x += w
				end, total = x, total+n
			} else {
				y += chartBar
				end, total = max(end, w), max(total, n)
			}
			row.Bars = append(row.Bars, bar)
		}
		if c.Stacked {
			y += chartStack
		}
		row.Figure, row.FigX, row.FigY = strconv.Itoa(total), pct(end+1), (top+y)/2+4
		v.Rows = append(v.Rows, row)
		y += chartGap
	}
	v.Height = max(y, chartLabelH)
	return v
}

// pct writes a share of the chart's width.
func pct(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) + "%" }

// chartDesc describes chart c in words for those who cannot see it.
func chartDesc(c report.Chart) string {
	kind := "Bars side by side"
	if c.Stacked {
		kind = "Stacked bars"
	}
	d := fmt.Sprintf("%s, one for each of %d rows, of %d measures; the table beside it holds the figures.", kind,
		len(c.Labels), len(c.Series))
	if c.Note != "" {
		d += " " + c.Note
	}
	return d
}

// value returns the value of series s at label i, 0 when it has none.
func value(s report.Series, i int) int {
	if i < len(s.Values) {
		return max(s.Values[i], 0)
	}
	return 0
}

// seriesClass returns the class giving series i its colour.
func seriesClass(i int) string { return "s" + strconv.Itoa(i%chartSeries) }

// shorten returns s cut to n characters, with an ellipsis when it was
// longer.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// chartTemplate draws a chartView: the legend in HTML, which wraps as the
// width asks, then the bars.
var chartTemplate = template.Must(template.New("chart").Parse(`<div class="chart-box">
<ul class="chart-legend" aria-hidden="true">{{range .Legend}}<li><span class="swatch {{.Class}}"></span>{{.Name}}</li>{{end}}</ul>
<svg class="chart" width="100%" height="{{.Height}}" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{range .Rows}}<g class="row"><text class="label" x="0" y="{{.TextY}}">{{.Label}}</text>
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" class="{{.Class}}"><title>{{.Title}}</title></rect>{{end}}
<text class="figure" x="{{.FigX}}" y="{{.FigY}}">{{.Figure}}</text></g>
{{end}}</svg>
</div>`))
