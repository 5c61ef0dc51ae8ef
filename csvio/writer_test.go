package csvio_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"

	"allot/csvio"
)

// TestNeutralise checks that every cell a spreadsheet could read as a
// formula gets a leading quote, and no other cell changes.
func TestNeutralise(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, cell, want string
	}{
		{"equals", "=1+1", "'=1+1"},
		{"plus", "+1+1", "'+1+1"},
		{"minus", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"at", "@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"a negative number, the documented trade-off", "-5", "'-5"},
		{"a hyperlink formula", `=HYPERLINK("http://example.com","x")`, `'=HYPERLINK("http://example.com","x")`},
		{"empty", "", ""},
		{"plain", "Zoë Martin", "Zoë Martin"},
		{"equals later", "a=b", "a=b"},
		{"a leading space", " =1", " =1"},
		{"a leading quote", "'quoted", "'quoted"},
		{"an e-mail address", "ann@example.com", "ann@example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := csvio.Neutralise(tc.cell); got != tc.want {
				t.Errorf("Neutralise(%q) = %q, want %q", tc.cell, got, tc.want)
			}
		})
	}
}

// TestWriter checks the bytes a Writer produces and that what it writes
// reads back, through encoding/csv and through the package's own Reader.
func TestWriter(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"email", "name", "notes"},
		{"ann@example.com", "Ann \"Nan\" Archer", "line one\nline two"},
		{"bob@example.com", "Baker, Bob", "=cmd()"},
		{"zoe@example.com", "Zoë", "-5"},
		{"", "", "@here"},
	}
	var buf bytes.Buffer
	w := csvio.NewWriter(&buf)
	for _, row := range rows {
		if err := w.Write(row...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte("\uFEFF")) {
		t.Errorf("output starts %q, want a UTF-8 BOM", out[:min(len(out), 8)])
	}
	if want := "\uFEFFemail,name,notes\r\nann@example.com,\"Ann \"\"Nan\"\" Archer\",\"line one\r\nline two\"\r\n"; !strings.HasPrefix(string(out), want) {
		t.Errorf("output starts %q, want %q", out, want)
	}

	want := make([][]string, len(rows))
	for i, row := range rows {
		for _, f := range row {
			want[i] = append(want[i], csvio.Neutralise(f))
		}
	}
	want[1][2] = "line one\nline two" // a line break inside a cell reads back as "\n"

	got, err := csv.NewReader(bytes.NewReader(out[len("\uFEFF"):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("encoding/csv read %q, want %q", got, want)
	}

	res := readAll(t, out, csvio.Options{})
	if enc := res.reader.Encoding(); enc != "UTF-8 with BOM" {
		t.Errorf("encoding %q, want UTF-8 with BOM", enc)
	}
	own := [][]string{res.reader.Header()}
	for _, rec := range res.records {
		own = append(own, rec.Fields)
	}
	if !slices.EqualFunc(own, want, slices.Equal) {
		t.Errorf("Reader read %q, want %q", own, want)
	}
}

// TestWriterError checks that a failing destination shows in Flush.
func TestWriterError(t *testing.T) {
	t.Parallel()
	w := csvio.NewWriter(failing{})
	if err := w.Write("a"); err != nil {
		t.Fatal(err) // buffered: nothing reached the destination yet
	}
	if err := w.Flush(); !errors.Is(err, errFull) {
		t.Errorf("Flush: %v, want %v", err, errFull)
	}
}

var errFull = errors.New("disk full")

// failing is a destination that refuses every write.
type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errFull }
