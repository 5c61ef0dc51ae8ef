package directory

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"allot"
)

// Mapping names, for each field of ImportFields, the file's column that
// holds it. Only the e-mail is required; a renewal maps only the e-mail.
type Mapping map[string]string

// The fields an import maps.
const (
	FieldEmail      = "email"
	FieldFirstName  = "first_name"
	FieldLastName   = "last_name"
	FieldDepartment = "department"
	FieldManager    = "manager"
	FieldExternalID = "external_id"
	// FieldDisabled is a column that says whether a person's account is
	// disabled, as directory exports have one (accountEnabled, Suspended,
	// Status). A person it marks disabled gets no seat.
	FieldDisabled = "disabled"
)

// PersonFields lists the fields of a person an import sets, the required
// e-mail first: each is a column of the users it adds and updates.
var PersonFields = []string{FieldEmail, FieldFirstName, FieldLastName, FieldDepartment, FieldManager, FieldExternalID}

// ImportFields lists the fields a users import maps, the required first:
// the person's, then whether their account is disabled.
var ImportFields = append(slices.Clip(PersonFields), FieldDisabled)

// KeptBit is field's bit in ImportRow.Kept: 1 << its place in PersonFields.
func KeptBit(field string) int { return 1 << slices.Index(PersonFields, field) }

// Fields returns the fields an import of kind k maps, the required first: a
// renewal maps only the e-mail.
func (k ImportKind) Fields() []string {
	if k == ImportRenewals {
		return ImportFields[:1:1]
	}
	return ImportFields
}

// checkMapping checks that m maps the e-mail and only known fields to
// columns of the file, each named once in its header.
func (i Import) checkMapping(m Mapping) error {
	if m[FieldEmail] == "" {
		return allot.Invalid("mapping.email", "choose the column that holds the e-mail")
	}
	for field, col := range m {
		if !slices.Contains(i.Kind.Fields(), field) {
			return allot.Invalid("mapping."+field, "%s is not a field this import maps", field)
		}
		if col == "" {
			continue
		}
		var at []string
		for n, name := range i.Header {
			if name == col {
				at = append(at, strconv.Itoa(n+1))
			}
		}
		switch {
		case len(at) == 0:
			return allot.Invalid("mapping."+field, "the file has no column %q", col)
		case len(at) > 1:
			return allot.Invalid("mapping."+field, "the file has %d columns named %q (columns %s): rename them in the file so that each name is used once",
				len(at), col, strings.Join(at, ", "))
		}
	}
	return nil
}

// RowAction is what applying an import does with a row.
type RowAction string

// Row actions.
const (
	RowCreate    RowAction = "create"
	RowUpdate    RowAction = "update"
	RowUnchanged RowAction = "unchanged"
	RowRenew     RowAction = "renew"
	RowError     RowAction = "error" // the row changes nothing; Reason says why
)

// RowActions lists every row action.
var RowActions = []RowAction{RowCreate, RowUpdate, RowUnchanged, RowRenew, RowError}

// ImportRow is one data row of an import as previewed.
type ImportRow struct {
	Line       int // the file's line the row starts on; the header is line 1
	Email      string
	FirstName  string
	LastName   string
	Department string
	Manager    string
	ExternalID string
	Disabled   bool      // the file marks the person's account disabled: they get no seat from it
	UserID     int64     // the existing user the row names; 0 for a row that creates one
	Seq        int       // the row's place among the rows to create or renew, from 1
	Action     RowAction // empty until classified
	Reason     string    // why a row is an error: the column and what is wrong; for a row marked disabled, what that means for its seat
	Kept       int       // update: KeptBit of each field the file left empty, whose value the user kept
	Before     string    // update: the user before, as the audit log keeps it
	After      string    // create and update: the user after, as the audit log keeps it
}

// Field returns the value of field (one of PersonFields) in r.
func (r ImportRow) Field(field string) string {
	switch field {
	case FieldFirstName:
		return r.FirstName
	case FieldLastName:
		return r.LastName
	case FieldDepartment:
		return r.Department
	case FieldManager:
		return r.Manager
	case FieldExternalID:
		return r.ExternalID
	}
	return r.Email
}

// ImportRowFilter selects an import's rows, by line.
type ImportRowFilter struct {
	ImportID  int64
	Action    RowAction // all when empty
	Disabled  bool      // only the rows marked disabled
	AfterLine int
	Limit     int
}

// ImportRows returns the rows of an import as previewed, by line: a page of
// at most 500, all of them when f.Limit is negative (the error report).
func (s *Service) ImportRows(ctx context.Context, f ImportRowFilter) ([]ImportRow, error) {
	var rows []ImportRow
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		if _, _, err := visibleImport(tx, p, f.ImportID); err != nil {
			return err
		}
		if f.Action != "" && !slices.Contains(RowActions, f.Action) {
			return allot.Invalid("action", "the action is one of %v", RowActions)
		}
		switch {
		case f.Limit == 0:
			f.Limit = 100
		case f.Limit > 500:
			return allot.Invalid("limit", "at most 500")
		case f.Limit < 0:
			f.Limit = 0
		}
		var err error
		rows, err = tx.ImportRows(f)
		return err
	})
	return rows, err
}

// FileInfo is what the header of an uploaded file tells.
type FileInfo struct {
	Header     []string
	HeaderLine int // the file's line the header is on: 1 unless lines above it were skipped
	Encoding   string
	Delimiter  string
	Suggested  Mapping
	Lines      int // an estimate of the file's data rows
}

// Files reads the tables people upload; package csvio provides it.
type Files interface {
	// Inspect reads data's header, on the first line or below a title or
	// version line: EINVALID saying what is wrong, and on which line, when
	// data cannot be read as a table with a header.
	Inspect(data []byte) (FileInfo, error)
	// Rows calls fn with each data row of data, in order, holding the
	// fields m maps (trimmed), and Disabled when the column m maps to
	// FieldDisabled marks the account disabled. A row that cannot be read,
	// or whose disabled column holds a value that says neither, comes with
	// Action RowError and Reason saying where and why; the rows after it
	// follow. An error that stops the reading (a limit reached) is
	// returned.
	Rows(data []byte, m Mapping, fn func(ImportRow) error) error
}
