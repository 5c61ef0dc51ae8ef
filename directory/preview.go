package directory

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"allot"
)

// JobImport is the job kind that previews or applies an import.
const JobImport = "import"

// PreviewImport reads the import's file with mapping m, in a job: each row
// is checked and staged with what applying it would do. The import can be
// previewed again, with another mapping, until it is confirmed.
func (s *Service) PreviewImport(ctx context.Context, id int64, m Mapping) (Import, error) {
	return s.startImport(ctx, id, "preview", func(imp *Import) error {
		if imp.Status != ImportUploaded && imp.Status != ImportPreviewed && imp.Status != ImportFailed {
			return allot.Errorf(allot.ECONFLICT, "import %d is %s", imp.ID, imp.Status)
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
func (s *Service) ConfirmImport(ctx context.Context, id int64, welcome bool) (Import, error) {
	return s.startImport(ctx, id, "apply", func(imp *Import) error {
		if imp.Status != ImportPreviewed {
			return allot.Errorf(allot.ECONFLICT, "import %d is %s; only a previewed import can be confirmed", imp.ID, imp.Status)
		}
		imp.Status, imp.Welcome = ImportApplying, welcome && imp.Kind == ImportUsers
		return nil
	})
}

// startImport moves an import the caller manages to its next step with
// change and queues the job that does the step.
func (s *Service) startImport(ctx context.Context, id int64, step string, change func(*Import) error) (Import, error) {
	var imp Import
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		var (
			c   allot.Company
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
		imp.Actor, imp.UpdatedAt = p, s.Ledger.Clock.Now()
		if err := tx.UpdateImport(imp, from); err != nil {
			return fmt.Errorf("%s import %d: %w", step, id, err)
		}
		payload, _ := json.Marshal(importJob{ImportID: imp.ID})
		nonce := make([]byte, 6)
		rand.Read(nonce)
		j := allot.Job{Kind: JobImport, Key: fmt.Sprintf("import:%d:%s:%x", imp.ID, step, nonce),
			Payload: string(payload), CompanyID: c.ID, RunAt: imp.UpdatedAt, CreatedAt: imp.UpdatedAt}
		if _, err := tx.Enqueue(&j); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "import."+step, "import", imp.ID, nil, imp)
	})
	return imp, err
}

type importJob struct {
	ImportID int64 `json:"import_id"`
}

// RunImport is the handler of JobImport: it does the step the import is at
// and records the outcome on the import, failed with the reason when the
// step could not be done. Run again after a crash, it does the step again:
// a preview starts over, and an apply is one transaction that moves the
// import from applying to applied, so it happens once.
func (s *Service) RunImport(ctx context.Context, j allot.Job) error {
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
	s.observeImport(from, err)
	if err == nil || errors.Is(err, allot.ErrTakenOver) {
		return err // done, or left to the run that took it over
	}
	s.Ledger.Log.Error("import failed", "import", id, "err", err)
	imp.Error = "allot could not finish the import; try again"
	if allot.ErrorCode(err) != allot.EINTERNAL {
		imp.Error = allot.ErrorMessage(err)
	}
	// The import fails as it was read, but for the run that failed: only
	// while no other run has taken over.
	imp.Status, imp.UpdatedAt, imp.Run = ImportFailed, s.Ledger.Clock.Now(), run.Run
	return s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.UpdateImport(imp, from); allot.ErrorCode(err) != allot.ECONFLICT {
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
		return allot.RenewLease(ctx)
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
	imp.Total, imp.Status, imp.UpdatedAt = imp.Done, ImportPreviewed, s.Ledger.Clock.Now()
	return s.Store.Write(ctx, func(tx Tx) error { return tx.UpdateImport(*imp, ImportPreviewing) })
}
