package report_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"allot/report"
	"allot/storetest"
)

// TestXLSXOpensAsCSV writes every report of the ledger, and a table of
// awkward texts, as XLSX, has LibreOffice convert each file to CSV, and
// compares what it wrote with the CSV export cell by cell: both files carry
// the same data.
func TestXLSXOpensAsCSV(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice is not on PATH: apt-get install libreoffice-calc-nogui to open the XLSX exports")
	}
	dir := t.TempDir()
	tables := map[string]report.Table{"awkward": {
		Columns: []report.Column{{Key: "name", Label: "Name, as written"}, {Key: "n", Label: "Seats", Numeric: true},
			{Key: "note", Label: "Note"}},
		Rows: [][]report.Cell{
			{report.Text("Zoë Müller-Łukasz"), report.Num(1234567), report.Text(`said "hello", then left`)},
			{report.Text("007"), report.Num(0), report.Text("2026-05")},
			{report.Text("=1+1"), report.Num(-3), report.Text("")},
		}}}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		if b.Name != "sqlite" {
			return // the files do not depend on the database
		}
		l := newLedger(t, b)
		for _, k := range report.Kinds {
			r, err := l.Reports.Read(l.Ctx(t, "admin"), k.Name, report.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			tables[k.Name] = r.Table
		}
	})
	var files []string
	want := map[string][]byte{}
	for name, table := range tables {
		var b bytes.Buffer
		if err := report.WriteCSV(&b, table); err != nil {
			t.Fatal(err)
		}
		want[name] = b.Bytes()
		path := filepath.Join(dir, name+".xlsx")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := report.WriteXLSX(f, name, table); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	if !bytes.Contains(want["awkward"], []byte("'=1+1")) || !bytes.HasPrefix(want["awkward"], []byte("\uFEFF\"Name, as written\"")) {
		t.Errorf("the CSV export neither starts with a byte-order mark and its header nor neutralises a formula:\n%s", want["awkward"])
	}
	out := filepath.Join(dir, "out")
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", out}, files...)
	if b, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, b)
	}
	for name := range tables {
		got, err := os.ReadFile(filepath.Join(out, name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		compareCSV(t, name, got, want[name])
	}
}

// compareCSV fails unless the CSV files got and want hold the same cells.
func compareCSV(t *testing.T, name string, got, want []byte) {
	t.Helper()
	read := func(b []byte) [][]string {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return recs
	}
	g, w := read(got), read(want)
	if len(g) != len(w) || len(w) < 2 {
		t.Fatalf("%s: LibreOffice read %d rows, the CSV export has %d", name, len(g), len(w))
	}
	for i := range w {
		if len(g[i]) != len(w[i]) {
			t.Errorf("%s row %d: LibreOffice read %q, the CSV export has %q", name, i+1, g[i], w[i])
			continue
		}
		for j := range w[i] {
			if g[i][j] != w[i][j] {
				t.Errorf("%s row %d column %d: LibreOffice read %q, the CSV export has %q", name, i+1, j+1, g[i][j], w[i][j])
			}
		}
	}
}
