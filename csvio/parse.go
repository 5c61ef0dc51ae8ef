package csvio

import "fmt"

// maxQuoted is how far a quoted field may run before the reader decides its
// closing quote is missing. No spreadsheet cell is that long (Excel stops at
// 32,767 characters), and the bound keeps a stray quote from holding the
// rest of a large file in memory.
const maxQuoted = 1 << 20

// has reports whether there is a byte at position i, reading more input when
// needed.
func (r *Reader) has(i int) bool {
	for i >= len(r.t.b) {
		if !r.t.more() {
			return false
		}
	}
	return true
}

// readRecord parses the record that starts at r.pos on line r.line into
// r.rec and r.ends, and moves r.pos and r.line past it. On a problem with
// the record it returns a row error and leaves r.pos and r.line where
// reading should resume.
func (r *Reader) readRecord() *Error {
	r.rec, r.ends = r.rec[:0], r.ends[:0]
	i := r.pos
	for {
		col := len(r.ends) + 1
		j := i
		for r.has(j) && r.t.b[j] == ' ' {
			j++
		}
		if r.has(j) && r.t.b[j] == '"' {
			var e *Error
			if i, e = r.quoted(j, col); e != nil {
				return e
			}
		} else {
			i = r.unquoted(i)
		}
		r.ends = append(r.ends, len(r.rec))
		if r.has(i) && r.t.b[i] == r.delim {
			i++
			continue
		}
		r.pos, r.line = r.lineEnd(i), r.line+1
		return nil
	}
}

// unquoted appends the field that starts at i to r.rec and returns where it
// ends. Quotes inside it are kept as they are, so 5" screen reads as written.
func (r *Reader) unquoted(i int) int {
	for r.has(i) {
		b, start := r.t.b, i
		for i < len(b) && !r.stop[b[i]] {
			i++
		}
		r.rec = append(r.rec, b[start:i]...)
		if i < len(b) {
			break
		}
	}
	return i
}

// quoted appends the value of the quoted field whose opening quote is at q
// to r.rec and returns the position after its closing quote and any spaces
// that follow. Doubled quotes stand for one quote; line breaks inside the
// field become "\n".
//
// A quote that is followed by text, or no closing quote at all, is a row
// error. When the field stayed on one line, the rest of that line is
// skipped. When it ran over line breaks, the opening quote was most likely
// never closed and swallowed the rows after it, so reading resumes at the
// line after the one where it opened.
func (r *Reader) quoted(q, col int) (int, *Error) {
	open := r.line
	resume, resumeLine := -1, 0
	i := q + 1
	for {
		if !r.has(i) {
			return 0, r.unclosed(open, col, i, resume, resumeLine, "the quote that opens this field is never closed")
		}
		if i-q > maxQuoted {
			return 0, r.unclosed(open, col, i, resume, resumeLine, fmt.Sprintf("the quote that opens this field is not closed within %s", size(maxQuoted)))
		}
		switch b := r.t.b; b[i] {
		case '"':
			if r.has(i+1) && r.t.b[i+1] == '"' {
				r.rec = append(r.rec, '"')
				i += 2
				continue
			}
			i++
			for r.has(i) && r.t.b[i] == ' ' {
				i++
			}
			if !r.has(i) || r.stop[r.t.b[i]] {
				return i, nil
			}
			if r.line > open {
				return 0, r.unclosed(open, col, i, resume, resumeLine, fmt.Sprintf("the quote that opens this field is never closed properly: on line %d a quote is followed by text", r.line))
			}
			r.pos, r.line = r.skipLine(i), r.line+1
			return 0, rowError(open, col, `text after the closing quote of a quoted field; a quote inside a quoted field is written as two quotes ("")`)
		case '\n', '\r':
			i = r.lineEnd(i)
			r.line++
			if resume < 0 {
				resume, resumeLine = i, r.line
			}
			r.rec = append(r.rec, '\n')
		default:
			start := i
			for i < len(b) && b[i] != '"' && b[i] != '\n' && b[i] != '\r' {
				i++
			}
			r.rec = append(r.rec, b[start:i]...)
		}
	}
}

// unclosed reports a quoted field that opened on line open and was not
// closed, and moves reading to the line after that one. resume is the
// position of that line, or -1 when the field never left its line, in which
// case reading resumes after the line that holds position at.
func (r *Reader) unclosed(open, col, at, resume, resumeLine int, reason string) *Error {
	if resume < 0 {
		resume, resumeLine = r.skipLine(at), open+1
	}
	r.pos, r.line = resume, resumeLine
	return rowError(open, col, "%s", reason)
}

// lineEnd returns the position after the line break at i: "\r\n", "\n" or a
// lone "\r" (old Mac files). At the end of the input it returns i.
func (r *Reader) lineEnd(i int) int {
	if !r.has(i) {
		return i
	}
	if r.t.b[i] == '\r' && r.has(i+1) && r.t.b[i+1] == '\n' {
		return i + 2
	}
	return i + 1
}

// skipLine returns the position of the line after the one that holds i,
// quotes or not.
func (r *Reader) skipLine(i int) int {
	for r.has(i) && r.t.b[i] != '\n' && r.t.b[i] != '\r' {
		i++
	}
	return r.lineEnd(i)
}
