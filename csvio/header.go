package csvio

import (
	"strings"
	"unicode"
)

// maxPreamble is how many lines below the first a header is looked for,
// when the first line names no e-mail column.
const maxPreamble = 20

// readHeader finds and reads the header row, first honouring Excel's "sep="
// line and skipping blank lines, and detects the delimiter when no "sep="
// line named it.
//
// The header is the first line, unless that line names no e-mail column and
// one of the maxPreamble lines below it looks like the header of a list of
// people: it names an e-mail column among other columns, every line above
// it has fewer fields filled than it has names (a title, a version line, a
// date), and the row below it holds data. Export templates that put a title
// or a version line above the header so read as a person reads them.
func (r *Reader) readHeader() *Error {
	r.sepLine()
	named := r.delim
	r.skipBlank()
	if !r.has(r.pos) {
		if r.t.err != nil {
			return fatal(0, "the file could not be read as %s: %v", r.enc, r.t.err)
		}
		return fatal(0, "the file is empty")
	}
	r.hline = r.line
	header, e := r.names(named)
	if e != nil {
		e.Row = false
		return e
	}
	if !emailColumn(header, false) {
		pos, line, delim := r.pos, r.line, r.delim
		if !r.laterHeader(named, filled(header)) {
			r.pos, r.line = pos, line
			r.setDelim(delim)
		}
	}
	if r.t.err != nil {
		return fatal(0, "the file could not be read as %s: %v", r.enc, r.t.err)
	}
	if r.header == nil {
		r.header = header
	}
	if filled(r.header) == 0 {
		return fatal(r.hline, "no header row: the first line has no column names")
	}
	return nil
}

// laterHeader looks for the header among the lines below the first, whose
// fields filled are widest. When it finds it, it keeps it in r.header and
// r.hline, with its delimiter, and leaves r.pos on the row below it.
func (r *Reader) laterHeader(named byte, widest int) bool {
	for range maxPreamble {
		r.skipBlank()
		if !r.has(r.pos) {
			return false
		}
		line := r.line
		h, e := r.names(named)
		if e != nil {
			continue // reading goes on where the row error says
		}
		n := filled(h)
		if n >= 2 && n > widest && emailColumn(h, true) && r.dataBelow() {
			r.header, r.hline = h, line
			return true
		}
		widest = max(widest, n)
	}
	return false
}

// dataBelow reports whether the row below the one just read holds data: a
// field filled, and no e-mail column's name, so that it is not a header
// itself. It reads ahead and comes back.
func (r *Reader) dataBelow() bool {
	pos, line := r.pos, r.line
	defer func() { r.pos, r.line = pos, line }()
	for {
		r.skipBlank()
		if !r.has(r.pos) || r.readRecord() != nil {
			return false
		}
		row := r.strings()
		if filled(row) > 0 {
			return !emailColumn(row, true)
		}
	}
}

// names reads the row at r.pos as column names, separated by the delimiter
// named, or when named is 0 by the one the row holds most, and returns them
// trimmed of spaces and byte-order marks.
func (r *Reader) names(named byte) ([]string, *Error) {
	if named == 0 {
		named = r.detect()
	}
	r.setDelim(named)
	if e := r.readRecord(); e != nil {
		return nil, e
	}
	return r.strings(), nil
}

// strings returns the fields of the record just parsed, trimmed of spaces
// and byte-order marks.
func (r *Reader) strings() []string {
	out := make([]string, len(r.ends))
	for i := range out {
		out[i] = strings.TrimFunc(string(r.field(i)), func(c rune) bool {
			return unicode.IsSpace(c) || c == '\uFEFF'
		})
	}
	return out
}

// setDelim makes d the delimiter that ends unquoted fields.
func (r *Reader) setDelim(d byte) {
	if r.delim != 0 {
		r.stop[r.delim] = false
	}
	r.delim = d
	r.stop[d], r.stop['\n'], r.stop['\r'] = true, true, true
}

// filled counts the fields of row that are not empty.
func filled(row []string) int {
	n := 0
	for _, f := range row {
		if f != "" {
			n++
		}
	}
	return n
}

// sepLine skips a first line "sep=X" that Excel writes and reads to name the
// delimiter X, when X is a comma, a semicolon or a tab.
func (r *Reader) sepLine() {
	const prefix = "sep="
	if !r.has(len(prefix)) || !strings.EqualFold(string(r.t.b[:len(prefix)]), prefix) {
		return
	}
	d := r.t.b[len(prefix)]
	if d != ',' && d != ';' && d != '\t' {
		return
	}
	if end := len(prefix) + 1; r.has(end) && r.t.b[end] != '\n' && r.t.b[end] != '\r' {
		return
	}
	r.delim = d
	r.pos, r.line = r.lineEnd(len(prefix)+1), 2
}

// skipBlank skips the lines at r.pos that hold nothing but spaces and tabs.
func (r *Reader) skipBlank() {
	for r.blankLine() {
	}
}

// blankLine skips the line at r.pos when it holds nothing but spaces and
// tabs, and reports whether it did.
func (r *Reader) blankLine() bool {
	i := r.pos
	for r.has(i) && (r.t.b[i] == ' ' || r.t.b[i] == '\t') {
		i++
	}
	if !r.has(i) || (r.t.b[i] != '\n' && r.t.b[i] != '\r') {
		return false
	}
	r.pos, r.line = r.lineEnd(i), r.line+1
	return true
}

// detect returns the delimiter of the header line at r.pos: whichever of
// comma, semicolon and tab it holds most often outside quotes, and a comma
// on a tie or when it holds none.
func (r *Reader) detect() byte {
	var comma, semicolon, tab int
	quoted := false
scan:
	for i := r.pos; r.has(i) && i-r.pos < maxQuoted; i++ {
		switch c := r.t.b[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n' || c == '\r':
			break scan
		case c == ',':
			comma++
		case c == ';':
			semicolon++
		case c == '\t':
			tab++
		}
	}
	switch {
	case semicolon > comma && semicolon > tab:
		return ';'
	case tab > comma && tab > semicolon:
		return '\t'
	}
	return ','
}
