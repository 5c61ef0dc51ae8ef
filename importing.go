package allot

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// JobImport is the job kind that previews or applies an import.
const JobImport = "import"

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
	err := s.write(ctx, func(tx Tx, p Principal) error {
		c, err := CompanyFor(tx, p, in.CompanyID, in.Kind.Act())
		if err != nil {
			return err
		}
		imp = Import{CompanyID: c.ID, Kind: in.Kind, FileName: in.FileName, Status: ImportUploaded, Actor: p,
			CreatedAt: s.Clock.Now()}
		imp.UpdatedAt = imp.CreatedAt
		switch in.Kind {
		case ImportUsers:
		case ImportRenewals:
			pr, err := renewalProduct(tx, c, in.ProductCode, in.PoolID)
			if err != nil {
				return err
			}
			imp.ProductID, imp.PoolID = pr.ID, in.PoolID
		default:
			return Invalid("kind", "an import adds %q or renews %q", ImportUsers, ImportRenewals)
		}
		if bad != nil {
			return bad
		}
		imp.Header, imp.Encoding, imp.Delimiter, imp.Suggested, imp.Total =
			info.Header, info.Encoding, info.Delimiter, info.Suggested, info.Lines
		if in.Kind == ImportRenewals {
			imp.Suggested = Mapping{FieldEmail: info.Suggested[FieldEmail]}
		}
		if err := tx.CreateImport(&imp, in.Data); err != nil {
			return fmt.Errorf("upload import: %w", err)
		}
		return s.record(tx, p, c, "import.upload", "import", imp.ID, nil, imp)
	})
	return imp, err
}

// inspect reads an uploaded file's header and counts its lines.
func (s *Service) inspect(data []byte) (FileInfo, error) {
	switch {
	case len(data) == 0:
		return FileInfo{}, Invalid("file", "the file is empty")
	case len(data) > MaxImportBytes:
		return FileInfo{}, Invalid("file", "the file is larger than the limit of %d MB", MaxImportBytes>>20)
	case s.Files == nil:
		return FileInfo{}, fmt.Errorf("upload import: no file reader")
	}
	info, err := s.Files.Inspect(data)
	if err != nil {
		return FileInfo{}, &Error{Code: EINVALID, Field: "file", Message: ErrorMessage(err)}
	}
	return info, nil
}

// Import returns an import of a company the caller may see.
func (s *Service) Import(ctx context.Context, id int64) (Import, error) {
	var imp Import
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		imp, _, err = visibleImport(tx, p, id)
		return err
	})
	return imp, err
}

// Imports returns a company's latest imports, newest first.
func (s *Service) Imports(ctx context.Context, companyID int64, limit int) ([]Import, error) {
	var out []Import
	err := s.read(ctx, func(tx Tx, p Principal) error {
		c, err := VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.Imports(c.ID, clampLimit(limit))
		return err
	})
	return out, err
}

// ImportRows returns the rows of an import as previewed, by line: a page of
// at most 500, all of them when f.Limit is negative (the error report).
func (s *Service) ImportRows(ctx context.Context, f ImportRowFilter) ([]ImportRow, error) {
	var rows []ImportRow
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if _, _, err := visibleImport(tx, p, f.ImportID); err != nil {
			return err
		}
		if f.Action != "" && !slices.Contains(RowActions, f.Action) {
			return Invalid("action", "the action is one of %v", RowActions)
		}
		switch {
		case f.Limit == 0:
			f.Limit = 100
		case f.Limit > 500:
			return Invalid("limit", "at most 500")
		case f.Limit < 0:
			f.Limit = 0
		}
		var err error
		rows, err = tx.ImportRows(f)
		return err
	})
	return rows, err
}

// visibleImport returns import id and its company when p may see them.
func visibleImport(tx Tx, p Principal, id int64) (Import, Company, error) {
	imp, err := tx.Import(id)
	if err != nil {
		return Import{}, Company{}, err
	}
	c, err := VisibleCompany(tx, p, imp.CompanyID)
	if err != nil {
		return Import{}, Company{}, NotFound("import")
	}
	return imp, c, nil
}

// PreviewImport reads the import's file with mapping m, in a job: each row
// is checked and staged with what applying it would do. The import can be
// previewed again, with another mapping, until it is confirmed.
func (s *Service) PreviewImport(ctx context.Context, id int64, m Mapping) (Import, error) {
	return s.startImport(ctx, id, "preview", func(imp *Import) error {
		if imp.Status != ImportUploaded && imp.Status != ImportPreviewed && imp.Status != ImportFailed {
			return Errorf(ECONFLICT, "import %d is %s", imp.ID, imp.Status)
		}
		if err := imp.checkMapping(m); err != nil {
			return err
		}
		imp.Mapping, imp.Status, imp.Done, imp.Counts, imp.Error = m, ImportPreviewing, 0, ImportCounts{}, ""
		return nil
	})
}

// ConfirmImport applies a previewed import, in a job: exactly the rows the
// preview showed, all in one transaction, or nothing when the company
// changed meanwhile so that the preview no longer holds.
func (s *Service) ConfirmImport(ctx context.Context, id int64) (Import, error) {
	return s.startImport(ctx, id, "apply", func(imp *Import) error {
		if imp.Status != ImportPreviewed {
			return Errorf(ECONFLICT, "import %d is %s; only a previewed import can be confirmed", imp.ID, imp.Status)
		}
		imp.Status = ImportApplying
		return nil
	})
}

// startImport moves an import the caller manages to its next step with
// change and queues the job that does the step.
func (s *Service) startImport(ctx context.Context, id int64, step string, change func(*Import) error) (Import, error) {
	var imp Import
	err := s.write(ctx, func(tx Tx, p Principal) error {
		var (
			c   Company
			err error
		)
		if imp, c, err = visibleImport(tx, p, id); err != nil {
			return err
		}
		if err := p.Must(imp.Kind.Act(), c); err != nil {
			return err
		}
		from := imp.Status
		if err := change(&imp); err != nil {
			return err
		}
		imp.Actor, imp.UpdatedAt = p, s.Clock.Now()
		if err := tx.UpdateImport(imp, from); err != nil {
			return fmt.Errorf("%s import %d: %w", step, id, err)
		}
		payload, _ := json.Marshal(importJob{ImportID: imp.ID})
		nonce := make([]byte, 6)
		rand.Read(nonce)
		j := Job{Kind: JobImport, Key: fmt.Sprintf("import:%d:%s:%x", imp.ID, step, nonce),
			Payload: string(payload), CompanyID: c.ID, RunAt: imp.UpdatedAt, CreatedAt: imp.UpdatedAt}
		if _, err := tx.Enqueue(&j); err != nil {
			return err
		}
		return s.record(tx, p, c, "import."+step, "import", imp.ID, nil, imp)
	})
	return imp, err
}

// checkMapping checks that m maps the e-mail and only known fields to
// columns of the file, each named once in its header.
func (i Import) checkMapping(m Mapping) error {
	if m[FieldEmail] == "" {
		return Invalid("mapping.email", "choose the column that holds the e-mail")
	}
	for field, col := range m {
		if !slices.Contains(i.Kind.Fields(), field) {
			return Invalid("mapping."+field, "%s is not a field this import maps", field)
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
			return Invalid("mapping."+field, "the file has no column %q", col)
		case len(at) > 1:
			return Invalid("mapping."+field, "the file has %d columns named %q (columns %s): rename them in the file so that each name is used once",
				len(at), col, strings.Join(at, ", "))
		}
	}
	return nil
}

type importJob struct {
	ImportID int64 `json:"import_id"`
}

// RunImport is the handler of JobImport: it does the step the import is at
// and records the outcome on the import, failed with the reason when the
// step could not be done. Run again after a crash, it does the step again:
// a preview starts over, and an apply is one transaction that moves the
// import from applying to applied, so it happens once.
func (s *Service) RunImport(ctx context.Context, j Job) error {
	var job importJob
	if err := json.Unmarshal([]byte(j.Payload), &job); err != nil {
		return fmt.Errorf("run import: %w", err)
	}
	return s.RunImportStep(ctx, job.ImportID)
}

// RunImportStep does the step import id is at, as RunImport does; the
// command line calls it to import without a background worker.
func (s *Service) RunImportStep(ctx context.Context, id int64) error {
	var imp Import
	if err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		imp, err = tx.Import(id)
		return err
	}); err != nil {
		return fmt.Errorf("run import %d: %w", id, err)
	}
	var err error
	from, run := imp.Status, imp
	switch from {
	case ImportPreviewing:
		err = s.preview(ctx, &run)
	case ImportApplying:
		err = s.apply(ctx, imp)
	default:
		return nil // done already
	}
	if err == nil || errors.Is(err, ErrTakenOver) {
		return err // done, or left to the run that took it over
	}
	s.Log.Error("import failed", "import", id, "err", err)
	imp.Error = "allot could not finish the import; try again"
	if ErrorCode(err) != EINTERNAL {
		imp.Error = ErrorMessage(err)
	}
	// The import fails as it was read, but for the run that failed: only
	// while no other run has taken over.
	imp.Status, imp.UpdatedAt, imp.Run = ImportFailed, s.Clock.Now(), run.Run
	return s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.UpdateImport(imp, from); ErrorCode(err) != ECONFLICT {
			return err
		}
		return nil // another run finished it, or runs it now
	})
}

// importBatch is how many rows a preview checks and stages at a time.
const importBatch = 5000

// preview reads the import's file, checks each row and stages it, from
// the start however far a run before it came. The run is numbered: once
// another run starts, this one stops at its next batch with ErrTakenOver,
// having staged nothing more.
func (s *Service) preview(ctx context.Context, imp *Import) error {
	var (
		data []byte
		cl   *classifier
		run  Import
	)
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if data, err = tx.ImportFile(imp.ID); err != nil {
			return err
		}
		if cl, err = s.newClassifier(tx, *imp); err != nil {
			return err
		}
		run = *imp
		return tx.StartImportRun(&run)
	})
	if err != nil {
		return err
	}
	*imp = run
	// A batch is staged while the next one is read and checked: the
	// database and the checks then work at once.
	var (
		batch, staging []ImportRow
		staged         chan error
	)
	wait := func() error {
		if staged == nil {
			return nil
		}
		err := <-staged
		if staged = nil; err != nil {
			return err
		}
		return RenewLease(ctx)
	}
	flush := func() error {
		if err := s.Store.Read(ctx, func(tx Tx) error { return cl.classify(tx, batch) }); err != nil {
			return err
		}
		if err := wait(); err != nil {
			return err
		}
		imp.Done += len(batch)
		staging, batch, staged = batch, staging[:0], make(chan error, 1)
		go func(imp Import, rows []ImportRow, done chan<- error) { done <- s.Store.StageImport(ctx, imp, rows) }(*imp, staging, staged)
		return nil
	}
	err = s.Files.Rows(data, imp.Mapping, func(r ImportRow) error {
		if batch = append(batch, r); len(batch) == importBatch {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err = errors.Join(err, wait()); err != nil {
		return err
	}
	imp.Counts = cl.counts
	imp.Total, imp.Status, imp.UpdatedAt = imp.Done, ImportPreviewed, s.Clock.Now()
	return s.Store.Write(ctx, func(tx Tx) error { return tx.UpdateImport(*imp, ImportPreviewing) })
}

// apply applies a previewed import in one transaction, as its actor. The
// transaction first claims the import, so that of two runs one applies it
// and the other, finding it applied, does nothing.
func (s *Service) apply(ctx context.Context, imp Import) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.UpdateImport(imp, ImportApplying); ErrorCode(err) == ECONFLICT {
			return nil
		} else if err != nil {
			return err
		}
		p := imp.Actor
		c, err := CompanyFor(tx, p, imp.CompanyID, imp.Kind.Act())
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		switch imp.Kind {
		case ImportUsers:
			err = s.applyUsers(tx, p, c, &imp, now)
		case ImportRenewals:
			err = s.applyRenewals(tx, p, c, &imp, now)
		}
		if err != nil {
			return err
		}
		imp.Status, imp.UpdatedAt = ImportApplied, now
		if err := tx.UpdateImport(imp, ImportApplying); err != nil {
			return err
		}
		return s.record(tx, p, c, "import.applied", "import", imp.ID, nil, imp.Counts)
	})
}

// importedLearner is a learner a users import adds to a company, before
// the fields of its row.
func importedLearner(companyID int64) User {
	return User{Role: RoleLearner, CompanyID: companyID, Lang: Languages[0], Zone: DefaultZone}
}

// changedSincePreview is the error of an import that no longer holds.
func changedSincePreview(what string) error {
	return Errorf(ECONFLICT, "%s changed since the preview; nothing was imported: preview the file again", what)
}

// applyUsers creates and updates the users as previewed and gives the new
// learners seats of the company's default product; those beyond the free
// seats wait for one.
func (s *Service) applyUsers(tx Tx, p Principal, c Company, imp *Import, now time.Time) error {
	like := importedLearner(c.ID)
	like.CreatedAt = now
	created, err := tx.CreateImportedUsers(imp.ID, like)
	if ErrorCode(err) == ECONFLICT || err == nil && len(created) != imp.Counts.Create {
		return changedSincePreview("the company's users")
	} else if err != nil {
		return err
	}
	if updated, err := tx.UpdateImportedUsers(imp.ID, c.ID); err != nil {
		return err
	} else if updated != imp.Counts.Update {
		return changedSincePreview("the company's users")
	}
	for _, r := range []struct {
		action RowAction
		event  string
	}{{RowCreate, "user.add"}, {RowUpdate, "user.update"}} {
		if err := tx.RecordImportedUsers(imp.ID, r.action, s.event(p, c, r.event)); err != nil {
			return err
		}
	}
	imp.Counts.Licensed, imp.Counts.Unlicensed = 0, 0
	if c.DefaultProductID == 0 || len(created) == 0 {
		return nil
	}
	given, err := s.GrantSeats(tx, p, SeatGrant{Company: c, ProductID: c.DefaultProductID, UserIDs: created, Wait: true})
	imp.Counts.Licensed, imp.Counts.Unlicensed = given.Given(), given.Waiting
	return err
}

// applyRenewals renews the learners the preview said it would, all or none.
func (s *Service) applyRenewals(tx Tx, p Principal, c Company, imp *Import, now time.Time) error {
	rows, err := tx.ImportRows(ImportRowFilter{ImportID: imp.ID, Action: RowRenew})
	if err != nil || len(rows) == 0 { // a file that renews no one is applied as such
		return err
	}
	pr, err := tx.Product(imp.ProductID)
	if err != nil {
		return err
	}
	r := Renewal{CompanyID: c.ID, ProductCode: pr.Code, PoolID: imp.PoolID}
	for _, row := range rows {
		r.UserIDs = append(r.UserIDs, row.UserID)
	}
	switch _, err := s.renew(tx, p, r, now); ErrorCode(err) {
	case "":
		return nil
	case EINVALID:
		return changedSincePreview("the expired licences")
	case ECONFLICT:
		return Errorf(ECONFLICT, "%s; nothing was renewed", ErrorMessage(err))
	default:
		return err
	}
}
