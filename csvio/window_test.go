package csvio_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"allot/csvio"
)

// TestEncodingsAgree reads one large file, with multi-line fields, bad rows
// and accents spread over many read buffers, in every encoding, and checks
// that each gives the same rows and errors as plain UTF-8.
func TestEncodingsAgree(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("email;name;notes\r\n")
	for i := range 6000 {
		switch i % 7 {
		case 0:
			fmt.Fprintf(&b, "p%d@example.com;Zoë Müller;\"line one\r\nline two; with ü\"\r\n", i)
		case 3:
			fmt.Fprintf(&b, "p%d@example.com;\"Jérôme \"\"J\"\" Aßmann\";5\" screen\r\n", i)
		case 5:
			fmt.Fprintf(&b, "p%d@example.com;\"never closed;x\r\n", i)
		default:
			fmt.Fprintf(&b, "p%d@example.com;Renée;€ %d\r\n", i, i)
		}
	}
	text := b.String()
	want := summary(t, []byte(text))
	cases := []struct {
		name string
		enc  encoding.Encoding
		bom  bool
	}{
		{"UTF-8 with BOM", nil, true},
		{"UTF-16LE", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), false},
		{"UTF-16BE", unicode.UTF16(unicode.BigEndian, unicode.UseBOM), false},
		{"Windows-1252", charmap.Windows1252, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := []byte(text)
			if tc.bom {
				data = append([]byte("\uFEFF"), data...)
			}
			if tc.enc != nil {
				var err error
				if data, err = tc.enc.NewEncoder().Bytes(data); err != nil {
					t.Fatal(err)
				}
			}
			if got := summary(t, data); !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("entry %d: %q, want %q", i, got[i], want[i])
					}
				}
				t.Fatalf("%d entries, want %d", len(got), len(want))
			}
		})
	}
}

// summary reads data and writes one entry per record or row error.
func summary(t *testing.T, data []byte) []string {
	t.Helper()
	res := readAll(t, data, csvio.Options{})
	var out []string
	for _, r := range res.records {
		out = append(out, fmt.Sprintf("%d %q", r.Line, r.Fields))
	}
	for _, e := range res.errs {
		out = append(out, e.Error())
	}
	return out
}

// TestQuotedLimit checks that a quoted field longer than any cell is taken
// for a quote that was never closed, on one line or over many.
func TestQuotedLimit(t *testing.T) {
	t.Parallel()
	rows := strings.Repeat("someone@example.com,A row that a stray quote would swallow\n", 20000)
	cases := []struct {
		name  string
		in    string
		err   string
		lines []int // the first and last record lines
		n     int
	}{
		{
			name: "one long line", in: "a,b\n\"" + strings.Repeat("x", 2<<20) + "\n1,2\n",
			err: "line 2, column 1: the quote that opens this field is not closed within 1 MB", lines: []int{3, 3}, n: 1,
		},
		{
			name: "a quote closed 20000 lines later", in: "a,b\n\"x\n" + rows + "end\"\n",
			err: "line 2, column 1: the quote that opens this field is not closed within 1 MB", lines: []int{3, 20003}, n: 20001,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := readAll(t, []byte(tc.in), csvio.Options{})
			if len(res.errs) != 1 || res.errs[0].Error() != tc.err {
				t.Errorf("errors %v, want %q", res.errs, tc.err)
			}
			if n := len(res.records); n != tc.n || res.records[0].Line != tc.lines[0] || res.records[n-1].Line != tc.lines[1] {
				t.Errorf("%d records, want %d, on lines %v", n, tc.n, tc.lines)
			}
		})
	}
}
