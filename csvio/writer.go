package csvio

import (
	"bufio"
	"encoding/csv"
	"io"
	"mime"
)

// Writer writes CSV that is safe to open in a spreadsheet: a cell that would
// start with = + - @ tab or carriage return is neutralised (prefixed with a
// single quote), so no cell is read as a formula. The output starts with a
// UTF-8 byte-order mark so that Excel reads it as UTF-8, separates fields
// with commas and ends lines with CRLF.
type Writer struct {
	buf *bufio.Writer
	csv *csv.Writer
	row []string
}

// NewWriter returns a Writer to w. The byte-order mark is written with the
// first Flush.
func NewWriter(w io.Writer) *Writer {
	buf := bufio.NewWriter(w)
	buf.WriteString("\uFEFF") // an error sticks in buf and comes back from Flush
	c := csv.NewWriter(buf)
	c.UseCRLF = true
	return &Writer{buf: buf, csv: c}
}

// Write writes one row, each cell passed through Neutralise. Rows are
// buffered: call Flush when done.
func (w *Writer) Write(fields ...string) error {
	w.row = w.row[:0]
	for _, f := range fields {
		w.row = append(w.row, Neutralise(f))
	}
	return w.csv.Write(w.row)
}

// Flush writes any buffered rows to the underlying writer and returns the
// first error met while writing.
func (w *Writer) Flush() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	return w.buf.Flush()
}

// Neutralise returns cell prefixed with a single quote when it starts with a
// character a spreadsheet would read as the start of a formula (= + - @) or
// that can hide one (tab, carriage return), following the OWASP guidance on
// CSV injection; other cells are returned unchanged. The documented
// trade-off is that a negative number such as "-5" is prefixed too, so a
// spreadsheet shows it as the text '-5 rather than as a number: a cell
// cannot be told apart from a formula such as "-5+cmd|..." by its first
// character alone.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

// DownloadHeaders sets, with set, the headers of a CSV file sent as an
// attachment named name: its type, its name, and neither kept by caches
// (it holds people's data) nor read as anything but CSV.
func DownloadHeaders(name string, set func(key, value string)) {
	set("Content-Type", "text/csv; charset=utf-8")
	set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	set("Cache-Control", "private, no-store")
	set("X-Content-Type-Options", "nosniff")
}
