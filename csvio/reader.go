package csvio

import (
	"bytes"
	"io"

	"allot/directory"
)

// Default limits of a Reader: an imported file's.
const (
	DefaultMaxBytes = directory.MaxImportBytes
	DefaultMaxRows  = directory.MaxImportRows
)

// Options bound what a reader accepts; zero values mean the defaults.
type Options struct {
	// MaxBytes is the largest file accepted, DefaultMaxBytes when 0. A
	// larger file is refused by NewReader with an error naming the limit.
	MaxBytes int64
	// MaxRows is the most data rows returned, DefaultMaxRows when 0. The
	// row after the last allowed one is an error naming the limit and its
	// line, and reading stops there.
	MaxRows int
}

// Record is one data row of the file.
type Record struct {
	// Line is the 1-based line of the file where the row starts, counted
	// from the top of the file, lines above the header included.
	Line int
	// Fields holds the row's values as they are in the file, spaces
	// included. A row may have fewer fields than the header; empty fields
	// past the header's last column are dropped. The slice belongs to the
	// caller and stays valid after the next call to Next.
	Fields []string
}

// Field returns the value in column col (0-based), or "" when the row has no
// such column.
func (r Record) Field(col int) string {
	if col < 0 || col >= len(r.Fields) {
		return ""
	}
	return r.Fields[col]
}

// Reader reads the rows of one CSV file: the single reader every upload goes
// through. See the package documentation for what it accepts.
type Reader struct {
	t       *text
	enc     string
	delim   byte
	header  []string
	hline   int // the line of the header
	pos     int // where the next record starts in t.b
	line    int // the line at pos
	rows    int
	maxRows int
	err     error // sticky: io.EOF or a fatal *Error

	rec  []byte    // the bytes of the record's fields, one after the other
	ends []int     // where each field ends in rec
	stop [256]bool // the bytes that end an unquoted field
}

// NewReader detects the encoding and the delimiter of data, reads its header
// row and returns a reader positioned on the first data row. Every error it
// returns is an *Error about the whole file.
func NewReader(data []byte, opt Options) (*Reader, error) {
	maxBytes := opt.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if n := int64(len(data)); n > maxBytes {
		if size(n) == size(maxBytes) {
			return nil, fatal(0, "the file is larger than the limit of %s", size(maxBytes))
		}
		return nil, fatal(0, "the file is %s, larger than the limit of %s", size(n), size(maxBytes))
	}
	enc, t, e := decode(data)
	if e != nil {
		return nil, e
	}
	r := &Reader{t: t, enc: enc, line: 1, maxRows: opt.MaxRows}
	if r.maxRows <= 0 {
		r.maxRows = DefaultMaxRows
	}
	if e := r.readHeader(); e != nil {
		return nil, e
	}
	return r, nil
}

// Header returns the names of the columns, trimmed of surrounding spaces.
func (r *Reader) Header() []string { return r.header }

// HeaderLine returns the 1-based line of the file the header is on: 1
// unless a "sep=" line, blank lines, or lines such as a title or a version
// above a header further down came before it.
func (r *Reader) HeaderLine() int { return r.hline }

// Encoding returns the encoding the file was read in: "UTF-8",
// "UTF-8 with BOM", "UTF-16LE", "UTF-16BE" or "Windows-1252".
func (r *Reader) Encoding() string { return r.enc }

// Delimiter returns the field separator: ',', ';' or '\t'.
func (r *Reader) Delimiter() rune { return rune(r.delim) }

// Next returns the next data row, skipping blank rows and rows whose fields
// are all empty or spaces. It returns io.EOF after the last row. Any other
// error is an *Error: when its Row is true only that row is bad and the
// caller may call Next again to go on with the following rows; otherwise
// reading has stopped and Next keeps returning the same error.
func (r *Reader) Next() (Record, error) {
	for r.err == nil {
		r.pos = r.t.drop(r.pos)
		if !r.has(r.pos) {
			r.err = r.endErr()
			break
		}
		line := r.line
		e := r.readRecord()
		if r.t.err != nil {
			r.err = r.endErr()
			break
		}
		if e != nil {
			return Record{}, e
		}
		if len(bytes.TrimSpace(r.rec)) == 0 {
			continue
		}
		fields := r.fields()
		if n := len(fields); n > len(r.header) {
			return Record{}, rowError(line, 0, "%d fields, the header has %d", n, len(r.header))
		}
		if r.rows++; r.rows > r.maxRows {
			r.err = fatal(line, "the file has more than the limit of %d data rows", r.maxRows)
			break
		}
		return Record{Line: line, Fields: fields}, nil
	}
	return Record{}, r.err
}

// endErr returns io.EOF, or a fatal error when the input could not be read.
func (r *Reader) endErr() error {
	if r.t.err != nil {
		return fatal(0, "the file could not be read as %s: %v", r.enc, r.t.err)
	}
	return io.EOF
}

// fields returns the fields of the record just parsed, without the empty
// ones past the header's last column.
func (r *Reader) fields() []string {
	n := len(r.ends)
	for n > len(r.header) && len(bytes.TrimSpace(r.field(n-1))) == 0 {
		n--
	}
	s := string(r.rec[:r.ends[n-1]])
	fields := make([]string, n)
	start := 0
	for i := range fields {
		fields[i] = s[start:r.ends[i]]
		start = r.ends[i]
	}
	return fields
}

// field returns the bytes of field i of the record just parsed.
func (r *Reader) field(i int) []byte {
	start := 0
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.rec[start:r.ends[i]]
}
