package directory

import (
	"context"
	"fmt"
	"time"

	"allot"
)

// An Import is a file uploaded to a company, read in a preview that says
// what each row will do, then applied as previewed: users to add or update,
// or learners whose seats expired to renew.
type Import struct {
	ID         int64
	CompanyID  int64
	Kind       ImportKind
	ProductID  int64 // renewals: the product to renew
	PoolID     int64 // renewals: the pool to draw from; 0 for the pools that expire first
	FileName   string
	Encoding   string
	Delimiter  string
	Header     []string // the file's own column names
	HeaderLine int      // the file's line the header is on: 1 unless lines above it were skipped
	Suggested  Mapping  // the columns allot thinks hold each field
	Mapping    Mapping  // the columns the person chose
	Status     ImportStatus
	Total      int // an estimate of the rows to read, for progress
	Done       int // rows read and staged so far by the current run
	Run        int // the number of the preview's latest run: only that run may stage rows and finish it
	Counts     ImportCounts
	Error      string // why the import failed
	Welcome    bool   // users: the people it adds get a welcome mail
	Actor      allot.Principal
	CreatedAt  time.Time
	UpdatedAt  time.Time
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

// Act is what an import of kind k does in its company: manage its users,
// or renew its learners.
func (k ImportKind) Act() allot.Act {
	if k == ImportRenewals {
		return allot.ActRenew
	}
	return allot.ActManageUsers
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
	Disabled   int `json:"disabled"`   // users: new learners the file marks disabled, added without a seat
}

// Changes reports whether applying the import changes anything.
func (n ImportCounts) Changes() bool { return n.Create+n.Update+n.Renew > 0 }

// Enabled is how many of the new learners the file does not mark disabled:
// those a welcome mail goes to.
func (n ImportCounts) Enabled() int { return n.Create - n.Disabled }

// The limits of an imported file: its size, and how many data rows it may
// hold.
const (
	MaxImportBytes = 50 << 20
	MaxImportRows  = 1_000_000
)

// NewImport is an uploaded file and what to do with it.
type NewImport struct {
	CompanyID   int64
	Kind        ImportKind
	ProductCode string // renewals: the product to renew
	PoolID      int64  // renewals: the pool to draw from; 0 for the pools that expire first
	FileName    string
	Data        []byte
}

// UploadImport keeps an uploaded file for a company and reads its header, so
// that its columns can be mapped. Nothing else changes until the import is
// previewed and confirmed.
func (s *Service) UploadImport(ctx context.Context, in NewImport) (Import, error) {
	// The file is read before the write transaction, which on SQLite holds
	// the database's one write lock; what was wrong with it is told after
	// the checks that come before it.
	info, bad := s.inspect(in.Data)
	var imp Import
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, in.CompanyID, in.Kind.Act())
		if err != nil {
			return err
		}
		imp = Import{CompanyID: c.ID, Kind: in.Kind, FileName: in.FileName, Status: ImportUploaded, Actor: p,
			CreatedAt: s.Ledger.Clock.Now()}
		imp.UpdatedAt = imp.CreatedAt
		switch in.Kind {
		case ImportUsers:
		case ImportRenewals:
			pr, err := allot.RenewalProduct(tx, c, in.ProductCode, in.PoolID)
			if err != nil {
				return err
			}
			imp.ProductID, imp.PoolID = pr.ID, in.PoolID
		default:
			return allot.Invalid("kind", "an import adds %q or renews %q", ImportUsers, ImportRenewals)
		}
		if bad != nil {
			return bad
		}
		imp.Header, imp.HeaderLine, imp.Encoding, imp.Delimiter, imp.Suggested, imp.Total =
			info.Header, info.HeaderLine, info.Encoding, info.Delimiter, info.Suggested, info.Lines
		if in.Kind == ImportRenewals {
			imp.Suggested = Mapping{FieldEmail: info.Suggested[FieldEmail]}
		}
		if err := tx.CreateImport(&imp, in.Data); err != nil {
			return fmt.Errorf("upload import: %w", err)
		}
		return s.Ledger.Record(tx, p, c, "import.upload", "import", imp.ID, nil, imp)
	})
	return imp, err
}

// inspect reads an uploaded file's header and counts its lines.
func (s *Service) inspect(data []byte) (FileInfo, error) {
	switch {
	case len(data) == 0:
		return FileInfo{}, allot.Invalid("file", "the file is empty")
	case len(data) > MaxImportBytes:
		return FileInfo{}, allot.Invalid("file", "the file is larger than the limit of %d MB", MaxImportBytes>>20)
	case s.Files == nil:
		return FileInfo{}, fmt.Errorf("upload import: no file reader")
	}
	info, err := s.Files.Inspect(data)
	if err != nil {
		return FileInfo{}, &allot.Error{Code: allot.EINVALID, Field: "file", Message: allot.ErrorMessage(err)}
	}
	return info, nil
}

// Import returns an import of a company the caller may see.
func (s *Service) Import(ctx context.Context, id int64) (Import, error) {
	var imp Import
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		var err error
		imp, _, err = visibleImport(tx, p, id)
		return err
	})
	return imp, err
}

// Imports returns a company's latest imports, newest first.
func (s *Service) Imports(ctx context.Context, companyID int64, limit int) ([]Import, error) {
	var out []Import
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.Imports(c.ID, allot.ClampLimit(limit))
		return err
	})
	return out, err
}

// visibleImport returns import id and its company when p may see them.
func visibleImport(tx Tx, p allot.Principal, id int64) (Import, allot.Company, error) {
	imp, err := tx.Import(id)
	if err != nil {
		return Import{}, allot.Company{}, err
	}
	c, err := allot.VisibleCompany(tx, p, imp.CompanyID)
	if err != nil {
		return Import{}, allot.Company{}, allot.NotFound("import")
	}
	return imp, c, nil
}
