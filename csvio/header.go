package csvio

import (
	"strings"
	"unicode"
)

// readHeader reads the header row, first honouring Excel's "sep=" line and
// skipping blank lines, and detects the delimiter when no "sep=" line named
// it.
func (r *Reader) readHeader() *Error {
	r.sepLine()
	for r.blankLine() {
	}
	if !r.has(r.pos) {
		if r.t.err != nil {
			return fatal(0, "the file could not be read as %s: %v", r.enc, r.t.err)
		}
		return fatal(0, "the file is empty")
	}
	if r.delim == 0 {
		r.delim = r.detect()
	}
	r.stop[r.delim], r.stop['\n'], r.stop['\r'] = true, true, true
	line := r.line
	if e := r.readRecord(); e != nil {
		e.Row = false
		return e
	}
	if r.t.err != nil {
		return fatal(0, "the file could not be read as %s: %v", r.enc, r.t.err)
	}
	r.header = make([]string, len(r.ends))
	named := false
	for i := range r.header {
		r.header[i] = strings.TrimFunc(string(r.field(i)), func(c rune) bool {
			return unicode.IsSpace(c) || c == '\uFEFF'
		})
		named = named || r.header[i] != ""
	}
	if !named {
		return fatal(line, "no header row: the first line has no column names")
	}
	return nil
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
