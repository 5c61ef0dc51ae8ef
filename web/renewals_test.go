package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestRenewalsFiles downloads a partner's renewal pipeline as CSV and as
// XLSX: both hold the same lines, those the page shows.
func TestRenewalsFiles(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		s.shortLicences(t) // Beta's licences end in two days
		pm := s.signIn(t, "pm@channel.test")
		_, page := pm.get("/renewals")
		expect(t, "the pipeline", page, []string{"Beta", `href="/renewals.csv"`, `href="/renewals.xlsx"`}, nil)

		res, body := pm.get("/renewals.csv")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		want, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 2 || !strings.Contains(strings.Join(want[1], " "), "Beta") {
			t.Fatalf("the CSV holds no line of Beta's: %q", want)
		}

		res, body = pm.get("/renewals.xlsx")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "renewals.xlsx") {
			t.Fatalf("XLSX: %d %s", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		book, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		got, err := book.GetRows(book.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		// A spreadsheet row ends at its last cell that holds something.
		for i, row := range want {
			for len(row) > 0 && row[len(row)-1] == "" {
				row = row[:len(row)-1]
			}
			want[i] = row
		}
		if !slices.EqualFunc(want, got, slices.Equal) {
			t.Errorf("the XLSX differs from the CSV:\n csv  %q\n xlsx %q", want, got)
		}
	})
}
