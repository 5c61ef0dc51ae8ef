package allot

import (
	"slices"
	"time"
)

// An Import is a file uploaded to a company, read in a preview that says
// what each row will do, then applied as previewed: users to add or update
// (PRODUCT.md §7), or expired learners to renew (§5).
type Import struct {
	ID        int64
	CompanyID int64
	Kind      ImportKind
	ProductID int64 // renewals: the product to renew
	PoolID    int64 // renewals: the pool to draw from; 0 for the pools that expire first
	FileName  string
	Encoding  string
	Delimiter string
	Header    []string // the file's own column names
	Suggested Mapping  // the columns allot thinks hold each field
	Mapping   Mapping  // the columns the person chose
	Status    ImportStatus
	Total     int // an estimate of the rows to read, for progress
	Done      int // rows read and staged so far by the current run
	Run       int // the number of the preview's latest run: only that run may stage rows and finish it
	Counts    ImportCounts
	Error     string // why the import failed
	Actor     Principal
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ImportKind is what an import does.
type ImportKind string

// Import kinds.
const (
	ImportUsers    ImportKind = "users"    // add and update the company's learners
	ImportRenewals ImportKind = "renewals" // renew learners whose seats expired
)

// ImportStatus is where an import is. An import goes from uploaded to
// previewing to previewed, may be previewed again with another mapping, and
// goes on to applying and applied, or to failed.
type ImportStatus string

// Import statuses.
const (
	ImportUploaded   ImportStatus = "uploaded"
	ImportPreviewing ImportStatus = "previewing"
	ImportPreviewed  ImportStatus = "previewed"
	ImportApplying   ImportStatus = "applying"
	ImportApplied    ImportStatus = "applied"
	ImportFailed     ImportStatus = "failed"
)

// Working reports whether a job is reading or applying the import.
func (i Import) Working() bool { return i.Status == ImportPreviewing || i.Status == ImportApplying }

// Percent is how far the import's current step has come, from 0 to 100.
func (i Import) Percent() int {
	switch {
	case i.Status == ImportPreviewed || i.Status == ImportApplied:
		return 100
	case i.Status == ImportApplying:
		return 99 // applying is one transaction: it is done when it is done
	case i.Total == 0:
		return 0
	}
	return min(99, i.Done*100/i.Total)
}

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
)

// ImportFields lists the fields a users import maps, the required first.
var ImportFields = []string{FieldEmail, FieldFirstName, FieldLastName, FieldDepartment, FieldManager, FieldExternalID}

// KeptBit is field's bit in ImportRow.Kept: 1 << its place in ImportFields.
func KeptBit(field string) int { return 1 << slices.Index(ImportFields, field) }

// Act is what an import of kind k does in its company: manage its users,
// or renew its learners.
func (k ImportKind) Act() Act {
	if k == ImportRenewals {
		return ActRenew
	}
	return ActManageUsers
}

// Fields returns the fields an import of kind k maps, the required first: a
// renewal maps only the e-mail.
func (k ImportKind) Fields() []string {
	if k == ImportRenewals {
		return ImportFields[:1:1]
	}
	return ImportFields
}

// ImportCounts sums up an import's rows: what the preview found and, once
// applied, what was done.
type ImportCounts struct {
	Rows       int `json:"rows"`
	Create     int `json:"create"`     // users: new learners
	Update     int `json:"update"`     // users: existing ones whose fields change
	Unchanged  int `json:"unchanged"`  // users: existing ones already as the file says
	Renew      int `json:"renew"`      // renewals: learners who will be renewed
	Errors     int `json:"errors"`     // rows that change nothing, each with its reason
	Licensed   int `json:"licensed"`   // new learners given a seat (expected, then done)
	Unlicensed int `json:"unlicensed"` // new learners left waiting for a seat
}

// Changes reports whether applying the import changes anything.
func (n ImportCounts) Changes() bool { return n.Create+n.Update+n.Renew > 0 }

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
	UserID     int64     // the existing user the row names; 0 for a row that creates one
	Seq        int       // the row's place among the rows to create or renew, from 1
	Action     RowAction // empty until classified
	Reason     string    // why a row is an error: the column and what is wrong
	Kept       int       // update: KeptBit of each field the file left empty, whose value the user kept
	Before     string    // update: the user before, as the audit log keeps it
	After      string    // create and update: the user after, as the audit log keeps it
}

// Field returns the value of field (one of ImportFields) in r.
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
	AfterLine int
	Limit     int
}

// FileInfo is what the header of an uploaded file tells.
type FileInfo struct {
	Header    []string
	Encoding  string
	Delimiter string
	Suggested Mapping
	Lines     int // an estimate of the file's data rows
}

// Files reads the tables people upload; package csvio provides it.
type Files interface {
	// Inspect reads data's header: EINVALID saying what is wrong, and on
	// which line, when data cannot be read as a table with a header.
	Inspect(data []byte) (FileInfo, error)
	// Rows calls fn with each data row of data, in order, holding the
	// fields m maps (trimmed). A row that cannot be read comes with Action
	// RowError and Reason saying where and why; the rows after it follow.
	// An error that stops the reading (a limit reached) is returned.
	Rows(data []byte, m Mapping, fn func(ImportRow) error) error
}
