package csvio

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is a problem found while reading a file. Its text is a sentence meant
// for the person who uploaded the file, such as
// "line 7, column 3: text after the closing quote of a quoted field".
type Error struct {
	// Line is the 1-based line of the file where the problem is, counted
	// as a text editor counts them; 0 when it is about the whole file.
	Line int
	// Column is the 1-based column (field) of the row, as a spreadsheet
	// numbers columns; 0 when the problem is not about one column.
	Column int
	// Reason says what is wrong, in words.
	Reason string
	// Row is true when only this row is bad: the caller may call Next
	// again and reading goes on with the following rows. It is false for
	// problems with the whole file, after which Next keeps returning the
	// same error.
	Row bool
}

// Error returns the reason, prefixed with the line and column when known.
func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Reason)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return e.Reason
}

// Skippable reports whether only this row is bad, so that reading may go on
// with the next call to Next.
func (e *Error) Skippable() bool { return e.Row }

// fatal returns a problem that stops reading.
func fatal(line int, format string, args ...any) *Error {
	return &Error{Line: line, Reason: fmt.Sprintf(format, args...)}
}

// rowError returns a problem with one row only.
func rowError(line, column int, format string, args ...any) *Error {
	return &Error{Line: line, Column: column, Reason: fmt.Sprintf(format, args...), Row: true}
}

// size writes a byte count the way people read file sizes: "50 MB",
// "1.5 KB", "300 bytes".
func size(n int64) string {
	units := []string{"bytes", "KB", "MB", "GB"}
	f, u := float64(n), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	if u == 0 {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + units[u]
}
