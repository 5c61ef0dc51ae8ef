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

// Inspect reads the header of data and suggests the column of each field.
func (f Files) Inspect(data []byte) (directory.FileInfo, error) {
	r, err := NewReader(data, f.Options)
	if err != nil {
		return directory.FileInfo{}, allot.Invalid("file", "%s", err)
	}
	info := directory.FileInfo{Header: r.Header(), Encoding: r.Encoding(), Delimiter: string(r.Delimiter()),
		Suggested: directory.Mapping{}, Lines: max(1, bytes.Count(data, []byte{'\n'})-1)}
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

// Rows reads data's rows with the fields m maps, trimmed of spaces. A row
// the reader cannot read is passed on as an error row whose reason names
// the column, and reading goes on.
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
		if err := fn(directory.ImportRow{Line: rec.Line, Email: get(directory.FieldEmail), FirstName: get(directory.FieldFirstName),
			LastName: get(directory.FieldLastName), Department: get(directory.FieldDepartment), Manager: get(directory.FieldManager),
			ExternalID: get(directory.FieldExternalID)}); err != nil {
			return err
		}
	}
}
