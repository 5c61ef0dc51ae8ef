package csvio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"allot/csvio"
	"allot/directory"
)

// A caller reads every row, reports the bad ones with their line, and goes
// on after them.
func ExampleReader() {
	data := []byte("E-mail;Vorname;Nachname\r\n" +
		"anna.schmidt@example.de;Anna;Schmidt;;\r\n" +
		"\"jonas.weber@example.de;Jonas;Weber\r\n" +
		"lena.fischer@example.de;Lena;Fischer\r\n")
	r, err := csvio.NewReader(data, csvio.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	email := csvio.Suggest(r.Header())[directory.FieldEmail]
	fmt.Printf("%s, %q, e-mail in column %d\n", r.Encoding(), r.Delimiter(), email)
	for {
		rec, err := r.Next()
		var e *csvio.Error
		switch {
		case err == io.EOF:
			return
		case errors.As(err, &e) && e.Skippable():
			fmt.Println("skipped:", e)
			continue
		case err != nil:
			fmt.Println(err)
			return
		}
		fmt.Printf("line %d: %s\n", rec.Line, rec.Field(email))
	}
	// Output:
	// UTF-8, ';', e-mail in column 0
	// line 2: anna.schmidt@example.de
	// skipped: line 3, column 1: the quote that opens this field is never closed
	// line 4: lena.fischer@example.de
}

// Cells that a spreadsheet would run as formulas are written as text.
func ExampleWriter() {
	var out bytes.Buffer
	w := csvio.NewWriter(&out)
	w.Write("email", "note")
	w.Write("ann@example.com", `=HYPERLINK("http://example.com")`)
	w.Write("bob@example.com", "-5")
	if err := w.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	text, bom := strings.CutPrefix(out.String(), "\uFEFF")
	fmt.Println("byte-order mark:", bom)
	for line := range strings.SplitSeq(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		fmt.Println(line)
	}
	// Output:
	// byte-order mark: true
	// email,note
	// ann@example.com,"'=HYPERLINK(""http://example.com"")"
	// bob@example.com,'-5
}
