package csvio_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	uni "golang.org/x/text/encoding/unicode"

	"allot/csvio"
)

// FuzzReader checks that any input ends in a bounded number of calls
// without a panic, that records and row errors come in strictly increasing
// line order after the header, that no record is blank or longer than the
// header, and that valid CSV reads exactly as encoding/csv reads it from
// the header's line on.
func FuzzReader(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "a", "a,b\n1,2", "sep=;\na;b\n1;2\n", "a\n\"", "a\n\"\"\"", "a,b\n\"x\ny\",\"z\"w\n1,2\n",
		"a\r\"\r\"\"\r", "\xff\xfe\n\x00\"\x00", "\xfe\xff\x00a\x00\n\xd8\x00", "a;b\n5\" screen;x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data)()
		r, err := csvio.NewReader(data, csvio.Options{MaxRows: 500})
		var e *csvio.Error
		if err != nil {
			if !errors.As(err, &e) || e.Skippable() {
				t.Fatalf("NewReader: %v (%T), want an *Error that stops reading", err, err)
			}
			return
		}
		header := r.Header()
		if len(header) == 0 || strings.Join(header, "") == "" {
			t.Fatalf("header %q has no names", header)
		}
		var records []csvio.Record
		last := r.HeaderLine()
		for calls := 0; ; calls++ {
			if calls > 3*len(data)+2 {
				t.Fatalf("still reading after %d calls on %d bytes", calls, len(data))
			}
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if !errors.As(err, &e) {
					t.Fatalf("Next: %v (%T), want an *Error", err, err)
				}
				if !e.Skippable() {
					if _, again := r.Next(); again != err {
						t.Fatalf("after %v, Next returned %v", err, again)
					}
					return
				}
				if e.Line <= last {
					t.Fatalf("row error on line %d after line %d: %v", e.Line, last, e)
				}
				last = e.Line
				continue
			}
			if rec.Line <= last {
				t.Fatalf("record on line %d after line %d", rec.Line, last)
			}
			last = rec.Line
			if n := len(rec.Fields); n == 0 || n > len(header) {
				t.Fatalf("record on line %d has %d fields, the header %d", rec.Line, n, len(header))
			}
			if strings.TrimSpace(strings.Join(rec.Fields, "")) == "" {
				t.Fatalf("blank record on line %d: %q", rec.Line, rec.Fields)
			}
			records = append(records, rec)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("Next after the end: %v", err)
		}
		compareStrict(t, data, r, records)
	})
}

// compareStrict checks that input encoding/csv reads without error (and so
// is valid CSV) gives the same header, records and record lines. Inputs the
// two readers are meant to read differently are left out: other encodings,
// carriage returns, "sep=" lines and rows longer than the header.
func compareStrict(t *testing.T, data []byte, r *csvio.Reader, records []csvio.Record) {
	t.Helper()
	if !utf8.Valid(data) || bytes.ContainsAny(data, "\r\uFEFF") || r.Encoding() != "UTF-8" ||
		bytes.HasPrefix(bytes.ToLower(data), []byte("sep=")) {
		return
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord = r.Delimiter(), -1
	var want []csvio.Record
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return // not valid CSV
		}
		if strings.TrimSpace(strings.Join(fields, "")) == "" {
			continue
		}
		line, _ := cr.FieldPos(0)
		want = append(want, csvio.Record{Line: line, Fields: fields})
	}
	// The header is the record on the line the reader found it on, which
	// may be below a title: the records above it are not data.
	at := slices.IndexFunc(want, func(rec csvio.Record) bool { return rec.Line == r.HeaderLine() })
	if at < 0 {
		t.Fatalf("the header is on line %d, where encoding/csv starts no record", r.HeaderLine())
	}
	want = want[at:]
	header := want[0].Fields
	for i, h := range header {
		header[i] = strings.TrimFunc(h, func(c rune) bool { return unicode.IsSpace(c) || c == '\uFEFF' })
	}
	if !slices.Equal(header, r.Header()) {
		t.Fatalf("header %q, encoding/csv read %q", r.Header(), header)
	}
	want = want[1:]
	for i, rec := range want {
		n := len(rec.Fields)
		for n > len(header) && strings.TrimSpace(rec.Fields[n-1]) == "" {
			n--
		}
		if n > len(header) {
			return // a row error, not a record
		}
		want[i].Fields = rec.Fields[:n]
	}
	if !slices.EqualFunc(records, want, func(a, b csvio.Record) bool {
		return a.Line == b.Line && slices.Equal(a.Fields, b.Fields)
	}) {
		t.Fatalf("records\n\t%v\nencoding/csv read\n\t%v", records, want)
	}
}

// FuzzRoundTrip writes rows made of fuzzed values with encoding/csv, in
// several delimiters and encodings, with blank lines and a line holding a
// quote that is never closed, and checks that every row comes back exactly:
// no input loses a good row.
//
// A good row is one with a non-blank value; values are valid UTF-8 without
// NUL bytes or carriage returns (which the reader reads as line breaks).
// With the broken line present, a value after it that would start with a
// delimiter or a line break once leading spaces and quotes are set aside
// gets an "x" in front: the one shape that lets the stray quote pair with
// that value's opening quote, as the package documentation explains.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Zoë", "Baker, Bob", `say "hi"`, "line one\nline two", uint8(0), uint8(0), uint8(0), uint8(0))
	f.Add("", "  spaced ", "\"", ";;", uint8(1), uint8(1), uint8(0b101), uint8(0x82))
	f.Add("a\tb", "\n", "x", "=1+1", uint8(2), uint8(2), uint8(0xff), uint8(0x85))
	f.Add(",start", "\nstart", "\"\"", "end\n", uint8(0), uint8(3), uint8(0x0f), uint8(0x81))
	f.Fuzz(func(t *testing.T, a, b, c, d string, delimSel, encSel, blanks, broken uint8) {
		delim := []rune{',', ';', '\t'}[delimSel%3]
		vals := []string{clean(a), clean(b), clean(c), clean(d)}
		rows := [][]string{
			{vals[0], vals[1], vals[2]},
			{vals[1], vals[2], vals[3]},
			{vals[2], vals[3], vals[0]},
			{vals[3], vals[0]},
			{vals[1] + vals[2], vals[3]},
			{vals[0]},
		}
		brokenAt := -1
		if broken&0x80 != 0 {
			brokenAt = int(broken&0x7f) % (len(rows) + 1)
			for _, row := range rows[brokenAt:] {
				for i, v := range row {
					if s := strings.TrimLeft(v, " \""); s != "" && (rune(s[0]) == delim || s[0] == '\n') {
						row[i] = "x" + v
					}
				}
			}
		}

		eol := "\n"
		if encSel&4 != 0 {
			eol = "\r\n"
		}
		var text strings.Builder
		text.WriteString(strings.Join([]string{"id", "name", "notes"}, string(delim)) + eol)
		var want [][]string
		for i, row := range rows {
			if blanks&(1<<i) != 0 {
				text.WriteString([]string{"", "  ", "\t"}[i%3] + eol)
			}
			if i == brokenAt {
				text.WriteString("junk" + string(delim) + "\"never closed" + string(delim) + "x" + eol)
			}
			text.WriteString(csvLine(t, row, delim, eol == "\r\n"))
			if strings.TrimSpace(strings.Join(row, "")) != "" {
				want = append(want, trimEmpty(row))
			}
		}
		if brokenAt == len(rows) {
			text.WriteString("junk" + string(delim) + "\"never closed" + eol)
		}

		data := []byte(text.String())
		switch encSel % 3 {
		case 1:
			data = append([]byte("\uFEFF"), data...)
		case 2:
			var err error
			if data, err = uni.UTF16(uni.LittleEndian, uni.UseBOM).NewEncoder().Bytes(data); err != nil {
				t.Fatal(err)
			}
		}

		stop := watchdog(data)
		res := readAll(t, data, csvio.Options{})
		stop()
		if d := res.reader.Delimiter(); d != delim {
			t.Fatalf("delimiter %q, want %q", d, delim)
		}
		var got [][]string
		for _, rec := range res.records {
			got = append(got, trimEmpty(rec.Fields))
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("read\n\t%q\nwant\n\t%q\nfrom %q", got, want, text.String())
		}
		wantErrs := 0
		if brokenAt >= 0 {
			wantErrs = 1
		}
		if len(res.errs) != wantErrs {
			t.Fatalf("row errors %v, want %d", res.errs, wantErrs)
		}
	})
}

// watchdog crashes the fuzzing process, input and all, when reading data
// has not ended within ten seconds: the fuzzer then keeps the input that
// hangs the reader. It returns the function that calls the watchdog off.
func watchdog(data []byte) (stop func()) {
	timer := time.AfterFunc(10*time.Second, func() {
		panic(fmt.Sprintf("reading %d bytes has taken over 10 s: %q", len(data), data))
	})
	return func() { timer.Stop() }
}

// clean makes a fuzzed value fit for a good row: valid UTF-8 without NUL
// bytes or carriage returns.
func clean(s string) string {
	return strings.NewReplacer("\r", "", "\x00", "").Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// csvLine writes one row with encoding/csv.
func csvLine(t *testing.T, row []string, delim rune, crlf bool) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = delim, crlf
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return b.String()
}

// trimEmpty returns row without its trailing empty values.
func trimEmpty(row []string) []string {
	n := len(row)
	for n > 0 && row[n-1] == "" {
		n--
	}
	return row[:n]
}
