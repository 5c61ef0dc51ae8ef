package csvio_test

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"allot/csvio"
)

// transcript reads all of in and writes what Next returned, one entry per
// call: "LINE: field|field" for a record, "error: TEXT" for a row error.
func transcript(t *testing.T, in string) (*csvio.Reader, []string) {
	t.Helper()
	r, err := csvio.NewReader([]byte(in), csvio.Options{})
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var got []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var e *csvio.Error
		if errors.As(err, &e) && e.Skippable() {
			got = append(got, "error: "+err.Error())
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		got = append(got, fmt.Sprintf("%d: %s", rec.Line, strings.Join(rec.Fields, "|")))
	}
	return r, got
}

// TestRead checks how rows are split into records, which are skipped, the
// line each starts on, and where reading resumes after a bad row.
func TestRead(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		in     string
		delim  rune   // 0: comma
		enc    string // "": UTF-8
		header []string
		hline  int // the line of the header; 1 when 0
		want   []string
	}{
		{name: "LF", in: "a,b\n1,2\n3,4\n", header: []string{"a", "b"}, want: []string{"2: 1|2", "3: 3|4"}},
		{name: "CRLF", in: "a,b\r\n1,2\r\n3,4\r\n", header: []string{"a", "b"}, want: []string{"2: 1|2", "3: 3|4"}},
		{name: "lone CR", in: "a,b\r1,2\r3,4", header: []string{"a", "b"}, want: []string{"2: 1|2", "3: 3|4"}},
		{name: "no line end at the end", in: "a,b\n1,2", header: []string{"a", "b"}, want: []string{"2: 1|2"}},
		{name: "header only", in: "a,b\r\n", header: []string{"a", "b"}},
		{name: "semicolons", in: "a;b;c\n1;2,5;3\n", delim: ';', header: []string{"a", "b", "c"}, want: []string{"2: 1|2,5|3"}},
		{name: "tabs", in: "a\tb\n1\t2\n", delim: '\t', header: []string{"a", "b"}, want: []string{"2: 1|2"}},
		{name: "a tie goes to comma", in: "a;b,c\n1;2,3\n", header: []string{"a;b", "c"}, want: []string{"2: 1;2|3"}},
		{name: "delimiters inside quotes do not count", in: "\"a;b;c\",d\n1,2\n", header: []string{"a;b;c", "d"}, want: []string{"2: 1|2"}},
		{name: "sep line", in: "sep=;\na,b;c\n1,5;2\n", delim: ';', header: []string{"a,b", "c"}, hline: 2, want: []string{"3: 1,5|2"}},
		{name: "sep line after a BOM", in: "\uFEFFsep=\t\r\na\tb\r\n1\t2\r\n", delim: '\t', enc: "UTF-8 with BOM", header: []string{"a", "b"}, hline: 2, want: []string{"3: 1|2"}},
		{name: "a longer sep line is a header", in: "sep=;x\n1\n", delim: ';', header: []string{"sep=", "x"}, want: []string{"2: 1"}},
		{name: "header names trimmed, values kept", in: " Email , Name \n x , y \n", header: []string{"Email", "Name"}, want: []string{"2:  x | y "}},
		{name: "quoted header names", in: "\"First Name\",\"E-mail, work\"\nA,b@example.com\n", header: []string{"First Name", "E-mail, work"}, want: []string{"2: A|b@example.com"}},
		{name: "blank lines before the header", in: "\n  \r\nemail\na@example.com\n", header: []string{"email"}, hline: 3, want: []string{"4: a@example.com"}},
		{
			name: "a version line above the header", in: "version:v1.0\r\nName,Email\r\nAnn,ann@example.com\r\n\r\nBob,bob@example.com\r\n",
			header: []string{"Name", "Email"}, hline: 2, want: []string{"3: Ann|ann@example.com", "5: Bob|bob@example.com"},
		},
		{
			name: "a title and blank lines above the header", in: "People of Acme\n\n \nE-mail;Prénom;Nom\nann@example.com;Ann;Archer\n",
			delim: ';', header: []string{"E-mail", "Prénom", "Nom"}, hline: 4, want: []string{"5: ann@example.com|Ann|Archer"},
		},
		{
			name: "title lines padded with delimiters, as Excel writes them", in: "Export;;;\nDate: 2026-03-01;;;\n;;;\nVorname;Nachname;E-Mail;Abteilung\nJana;Novak;jana@example.com;Vertrieb\n",
			delim: ';', header: []string{"Vorname", "Nachname", "E-Mail", "Abteilung"}, hline: 4, want: []string{"5: Jana|Novak|jana@example.com|Vertrieb"},
		},
		{
			name: "a title with commas above a tab-separated header", in: "Users, all of them\nmail\tgivenName\tsn\nann@example.com\tAnn\tArcher\n",
			delim: '\t', header: []string{"mail", "givenName", "sn"}, hline: 2, want: []string{"3: ann@example.com|Ann|Archer"},
		},
		{
			name: "after a sep line the header is found with its delimiter", in: "sep=;\nversion 2\nemail;name\nann@example.com;Ann\n",
			delim: ';', header: []string{"email", "name"}, hline: 3, want: []string{"4: ann@example.com|Ann"},
		},
		{
			name: "a first line naming an e-mail column is the header", in: "Email,Name\nusername,login\nann@example.com,Ann\n",
			header: []string{"Email", "Name"}, want: []string{"2: username|login", "3: ann@example.com|Ann"},
		},
		{
			name: "a line naming an e-mail column no wider than the lines above is data", in: "Name,Notes\nEmail,Phone\nAnn,x\n",
			header: []string{"Name", "Notes"}, want: []string{"2: Email|Phone", "3: Ann|x"},
		},
		{
			name: "a line naming only an e-mail column is not taken for the header", in: "Notes\nemail\nann@example.com\n",
			header: []string{"Notes"}, want: []string{"2: email", "3: ann@example.com"},
		},
		{
			name: "a line with another header below it is not the header", in: "Report\nemail,name\nEmail,Name,Department\nann@example.com,Ann,Sales\n",
			header: []string{"Email", "Name", "Department"}, hline: 3, want: []string{"4: ann@example.com|Ann|Sales"},
		},
		{
			name: "a header-like line with nothing below it is not the header", in: "Report\nemail,name\n",
			header: []string{"Report"}, want: []string{"error: line 2: 2 fields, the header has 1"},
		},
		{
			name: "a header 20 lines below the first is found", in: "Report\n" + strings.Repeat("note\n", 19) + "email,name\nann@example.com,Ann\n",
			header: []string{"email", "name"}, hline: 21, want: []string{"22: ann@example.com|Ann"},
		},
		{
			name: "a header further down is not looked for", in: "Report\n" + strings.Repeat("note\n", 20) + "email,name\nann@example.com,Ann\n",
			header: []string{"Report"}, want: func() []string {
				var want []string
				for line := 2; line <= 21; line++ {
					want = append(want, fmt.Sprintf("%d: note", line))
				}
				return append(want, "error: line 22: 2 fields, the header has 1", "error: line 23: 2 fields, the header has 1")
			}(),
		},
		{name: "blank and empty rows skipped", in: "a,b\n\n1,2\n,\n \t, \n\"\",\"\"\n   \n3,4\n", header: []string{"a", "b"}, want: []string{"3: 1|2", "8: 3|4"}},
		{name: "short rows", in: "a,b,c\n1\n1,2\n", header: []string{"a", "b", "c"}, want: []string{"2: 1", "3: 1|2"}},
		{name: "empty fields past the header dropped", in: "a;b\n1;2;;;\n3;4; ;\n", delim: ';', header: []string{"a", "b"}, want: []string{"2: 1|2", "3: 3|4"}},
		{name: "too many fields", in: "a,b\n1,2,,3\n4,5\n", header: []string{"a", "b"}, want: []string{"error: line 2: 4 fields, the header has 2", "3: 4|5"}},
		{name: "quotes inside unquoted fields are literal", in: "a,b\n5\" screen,x\"y\"z\n", header: []string{"a", "b"}, want: []string{`2: 5" screen|x"y"z`}},
		{name: "doubled quotes", in: "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n", header: []string{"a", "b"}, want: []string{`2: say "hi"|"`}},
		{name: "spaces around a quoted field", in: "a,b\n  \"x, y\"  ,\"z\" \n", header: []string{"a", "b"}, want: []string{"2: x, y|z"}},
		{name: "empty quoted field", in: "a,b\n\"\",x\n", header: []string{"a", "b"}, want: []string{"2: |x"}},
		{name: "line breaks inside quotes", in: "a,b\r\n\"x\r\ny\rz\",1\r\n2,3\r\n", header: []string{"a", "b"}, want: []string{"2: x\ny\nz|1", "5: 2|3"}},
		{
			name: "text after a closing quote costs its line", in: "a,b\n\"x\"y,1\n2,3\n", header: []string{"a", "b"},
			want: []string{`error: line 2, column 1: text after the closing quote of a quoted field; a quote inside a quoted field is written as two quotes ("")`, "3: 2|3"},
		},
		{
			name: "a quote never closed on the last line", in: "a,b\n1,2\n3,\"4", header: []string{"a", "b"},
			want: []string{"2: 1|2", "error: line 3, column 2: the quote that opens this field is never closed"},
		},
		{
			name: "rows swallowed by a quote never closed come back", in: "a,b\n\"x,1\n2,3\n4,5\n", header: []string{"a", "b"},
			want: []string{"error: line 2, column 1: the quote that opens this field is never closed", "3: 2|3", "4: 4|5"},
		},
		{
			name: "rows swallowed by a quote closed by mistake come back", in: "a,b,c\n1,\"x,2\n3,4,5\n6,\"y\",7\n8,9\n", header: []string{"a", "b", "c"},
			want: []string{
				"error: line 2, column 2: the quote that opens this field is never closed properly: on line 4 a quote is followed by text",
				"3: 3|4|5", "4: 6|y|7", "5: 8|9",
			},
		},
		{
			name: "a bad field after a good multi-line one", in: "a,b\n\"x\ny\",\"z\"w\n1,2\n", header: []string{"a", "b"},
			want: []string{`error: line 3, column 2: text after the closing quote of a quoted field; a quote inside a quoted field is written as two quotes ("")`, "4: 1|2"},
		},
		{name: "Windows-1252", in: "name;city\nJos\xe9;K\xf6ln\n", delim: ';', enc: "Windows-1252", header: []string{"name", "city"}, want: []string{"2: José|Köln"}},
		{name: "UTF-16LE with LF", in: "\xff\xfea\x00,\x00b\x00\n\x001\x00,\x00\x3d\xd8\x00\xde\n\x00", enc: "UTF-16LE", header: []string{"a", "b"}, want: []string{"2: 1|😀"}},
		{name: "UTF-16 unpaired surrogate", in: "\xfe\xff\x00a\x00\n\xd8\x00\x00\n", enc: "UTF-16BE", header: []string{"a"}, want: []string{"2: \uFFFD"}},
		{name: "a stray BOM in the header", in: "sep=,\n\uFEFFemail\nx\n", header: []string{"email"}, hline: 2, want: []string{"3: x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, got := transcript(t, tc.in)
			delim, enc := cmp.Or(tc.delim, ','), cmp.Or(tc.enc, "UTF-8")
			if r.Delimiter() != delim || r.Encoding() != enc {
				t.Errorf("delimiter %q, encoding %q; want %q, %q", r.Delimiter(), r.Encoding(), delim, enc)
			}
			if !slices.Equal(r.Header(), tc.header) {
				t.Errorf("header %q, want %q", r.Header(), tc.header)
			}
			if want := max(tc.hline, 1); r.HeaderLine() != want {
				t.Errorf("header on line %d, want %d", r.HeaderLine(), want)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}

// TestFatal checks the problems that stop reading and how they read.
func TestFatal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   string
		opt  csvio.Options
		want string
	}{
		{"empty", "", csvio.Options{}, "the file is empty"},
		{"only a BOM", "\uFEFF", csvio.Options{}, "the file is empty"},
		{"only blank lines", "\n \r\n\t\n", csvio.Options{}, "the file is empty"},
		{"only a sep line", "sep=;\r\n", csvio.Options{}, "the file is empty"},
		{"no header row", ",,,\n1,2,3\n", csvio.Options{}, "line 1: no header row: the first line has no column names"},
		{"no header row after a sep line", "sep=;\n ; \n1;2\n", csvio.Options{}, "line 2: no header row: the first line has no column names"},
		{"a header of byte-order marks", "\xfe\xff\xfe\xff", csvio.Options{}, "line 1: no header row: the first line has no column names"},
		{"a quote never closed in the header", "\"a,b\n1,2\n", csvio.Options{}, "line 1, column 1: the quote that opens this field is never closed"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", csvio.Options{}, "the file is a zip archive, such as an Excel workbook (.xlsx), not CSV; save it as CSV UTF-8 and upload that"},
		{"NUL bytes", "a\x00,\x00b\x00\n\x00", csvio.Options{}, "the file contains NUL bytes, so it is not CSV text (a UTF-16 file needs its byte-order mark)"},
		{"invalid UTF-8 after a UTF-8 BOM", "\uFEFFa,b\n1,\xff\n", csvio.Options{}, "line 2: the file is marked as UTF-8 but this line is not valid UTF-8; save the file again as CSV UTF-8"},
		{"UTF-16 of odd length", "\xff\xfea\x00b", csvio.Options{}, "the file is marked as UTF-16LE but has an odd number of bytes, so it is cut short or damaged"},
		{"too large", strings.Repeat("a", 2000), csvio.Options{MaxBytes: 1500}, "the file is 2 KB, larger than the limit of 1.5 KB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := csvio.NewReader([]byte(tc.in), tc.opt)
			var e *csvio.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want an *Error", err)
			}
			if e.Error() != tc.want || e.Skippable() {
				t.Errorf("error %q (skippable %v), want %q, not skippable", e, e.Skippable(), tc.want)
			}
		})
	}
}
