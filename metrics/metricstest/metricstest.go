// Package metricstest reads the metrics allot exposes, as a Prometheus
// server would, for other packages' tests.
package metricstest

import (
	"io"
	"net/http"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Families are the metric families of one scrape, by name.
type Families map[string]*dto.MetricFamily

// Parse reads an exposition in the Prometheus text format.
func Parse(t testing.TB, r io.Reader) Families {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		t.Fatalf("the metrics are not in the Prometheus text format: %v", err)
	}
	return fams
}

// Scrape gets url, with header authorization when it is not empty, and
// reads the metrics it answers with; it fails the test unless they come
// with 200 in the text format.
func Scrape(t testing.TB, url, authorization string) Families {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/plain")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, want 200", url, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); expfmt.ResponseFormat(res.Header).FormatType() != expfmt.TypeTextPlain {
		t.Fatalf("GET %s: Content-Type %q, want the text format", url, ct)
	}
	return Parse(t, res.Body)
}

// Counter returns the value of counter name with the labels given as
// name, value pairs (the others any), summed over the series that match;
// 0 when none does.
func (f Families) Counter(name string, labels ...string) float64 {
	var sum float64
	for _, m := range f.series(name, labels) {
		sum += m.GetCounter().GetValue()
	}
	return sum
}

// Observations returns how many observations histogram name holds with
// the labels given as name, value pairs, summed over the series that match.
func (f Families) Observations(name string, labels ...string) uint64 {
	var n uint64
	for _, m := range f.series(name, labels) {
		n += m.GetHistogram().GetSampleCount()
	}
	return n
}

// Has says whether family name was exposed.
func (f Families) Has(name string) bool { return f[name] != nil }

func (f Families) series(name string, labels []string) []*dto.Metric {
	fam := f[name]
	if fam == nil {
		return nil
	}
	var out []*dto.Metric
	for _, m := range fam.GetMetric() {
		if matches(m, labels) {
			out = append(out, m)
		}
	}
	return out
}

// matches says whether m has every label of pairs with its value; a label
// m lacks has the value "".
func matches(m *dto.Metric, pairs []string) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		value := ""
		for _, l := range m.GetLabel() {
			if l.GetName() == pairs[i] {
				value = l.GetValue()
			}
		}
		if value != pairs[i+1] {
			return false
		}
	}
	return true
}
