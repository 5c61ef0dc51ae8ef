package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"allot/directory"

	"allot"
)

// Files reads the tables people upload to allot's imports: it is the
// directory.Files of the service.
type Files struct {
	Options Options
}

var _ directory.Files = Files{}

// Inspect reads the header of data, wherever it is, and suggests the column
// of each field.
func (f Files) Inspect(data []byte) (directory.FileInfo, error) {
	r, err := NewReader(data, f.Options)
	if err != nil {
		return directory.FileInfo{}, allot.Invalid("file", "%s", err)
	}
	info := directory.FileInfo{Header: r.Header(), HeaderLine: r.HeaderLine(), Encoding: r.Encoding(), Delimiter: string(r.Delimiter()),
		Suggested: directory.Mapping{}, Lines: max(1, bytes.Count(data, []byte{'\n'})-r.HeaderLine())}
	for field, col := range Suggest(r.Header()) {
		if col >= 0 {
			info.Suggested[field] = r.Header()[col]
		}
	}
	return info, nil
}

// DelimiterName names a delimiter Inspect found, for people: "comma",
// "semicolon", "tab", or any other quoted.
func DelimiterName(d string) string {
	switch d {
	case "\t":
		return "tab"
	case ";":
		return "semicolon"
	case ",":
		return "comma"
	}
	return strconv.Quote(d)
}

// Rows reads data's rows with the fields m maps, trimmed of spaces, and
// whether the column mapped to directory.FieldDisabled marks the account
// disabled, as that column's name says it. A row the reader cannot read, or
// whose disabled column says neither, is passed on as an error row whose
// reason names the column, and reading goes on.
func (f Files) Rows(data []byte, m directory.Mapping, fn func(directory.ImportRow) error) error {
	r, err := NewReader(data, f.Options)
	if err != nil {
		return allot.Invalid("file", "%s", err)
	}
	col := make(map[string]int, len(directory.ImportFields))
	for _, field := range directory.ImportFields {
		col[field] = -1
		if name := m[field]; name != "" {
			col[field] = slices.Index(r.Header(), name) // the mapping names columns exactly
		}
	}
	off := accountOf(m[directory.FieldDisabled])
	for {
		rec, err := r.Next()
		var e *Error
		switch {
		case err == io.EOF:
			return nil
		case errors.As(err, &e) && e.Skippable():
			row := directory.ImportRow{Line: e.Line, Action: directory.RowError, Reason: e.Reason}
			if e.Column > 0 {
				row.Reason = fmt.Sprintf("column %d: %s", e.Column, e.Reason)
			}
			if err := fn(row); err != nil {
				return err
			}
			continue
		case err != nil:
			return allot.Invalid("file", "%s", err)
		}
		get := func(field string) string { return strings.TrimSpace(rec.Field(col[field])) }
		row := directory.ImportRow{Line: rec.Line, Email: get(directory.FieldEmail), FirstName: get(directory.FieldFirstName),
			LastName: get(directory.FieldLastName), Department: get(directory.FieldDepartment), Manager: get(directory.FieldManager),
			ExternalID: get(directory.FieldExternalID)}
		if row.Disabled, err = off.disabled(m[directory.FieldDisabled], get(directory.FieldDisabled)); err != nil {
			row.Action, row.Reason = directory.RowError, err.Error()
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}
