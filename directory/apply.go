package directory

import (
	"context"
	"time"

	"allot"
)

// apply applies a previewed import in one transaction, as its actor. The
// transaction first claims the import, so that of two runs one applies it
// and the other, finding it applied, does nothing.
func (s *Service) apply(ctx context.Context, imp Import) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.UpdateImport(imp, ImportApplying); allot.ErrorCode(err) == allot.ECONFLICT {
			return nil
		} else if err != nil {
			return err
		}
		p := imp.Actor
		c, err := allot.CompanyFor(tx, p, imp.CompanyID, imp.Kind.Act())
		if err != nil {
			return err
		}
		now := s.Ledger.Clock.Now()
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
		return s.Ledger.Record(tx, p, c, "import.applied", "import", imp.ID, nil, imp.Counts)
	})
}

// importedLearner is a learner a users import adds to a company, before
// the fields of its row.
func importedLearner(companyID int64) allot.User {
	return allot.User{Role: allot.RoleLearner, CompanyID: companyID, Lang: allot.Languages[0], Zone: allot.DefaultZone}
}

// changedSincePreview is the error of an import that no longer holds.
func changedSincePreview(what string) error {
	return allot.Errorf(allot.ECONFLICT, "%s changed since the preview; nothing was imported: preview the file again", what)
}

// applyUsers creates and updates the users as previewed and gives the new
// learners seats of the company's default product; those beyond the free
// seats wait for one, and those the file marks disabled get none.
func (s *Service) applyUsers(tx Tx, p allot.Principal, c allot.Company, imp *Import, now time.Time) error {
	like := importedLearner(c.ID)
	like.CreatedAt = now
	created, err := tx.CreateImportedUsers(imp.ID, like)
	if allot.ErrorCode(err) == allot.ECONFLICT || err == nil && len(created) != imp.Counts.Create {
		return changedSincePreview("the company's users")
	} else if err != nil {
		return err
	}
	if updated, err := tx.UpdateImportedUsers(UpdateImportedUsersParams{ImportID: imp.ID, CompanyID: c.ID}); err != nil {
		return err
	} else if updated != imp.Counts.Update {
		return changedSincePreview("the company's users")
	}
	for _, r := range []struct {
		action RowAction
		event  string
	}{{RowCreate, "user.add"}, {RowUpdate, "user.update"}} {
		if err := tx.RecordImportedUsers(imp.ID, r.action, s.Ledger.AuditEvent(p, c, r.event)); err != nil {
			return err
		}
	}
	enabled, err := enabledOnly(tx, imp, created)
	if err != nil {
		return err
	}
	if imp.Welcome {
		if err := welcome(tx, enabled, now); err != nil {
			return err
		}
	}
	imp.Counts.Licensed, imp.Counts.Unlicensed = 0, 0
	if c.DefaultProductID == 0 || len(enabled) == 0 {
		return nil
	}
	given, err := s.Ledger.GrantSeats(tx, p, allot.SeatGrant{Company: c, ProductID: c.DefaultProductID, UserIDs: enabled,
		Wait: true, Fresh: true})
	imp.Counts.Licensed, imp.Counts.Unlicensed = given.Given(), given.Waiting
	return err
}

// enabledOnly returns the users an import created, by their rows' Seq,
// but for those the file marks disabled, who get neither a seat nor a
// welcome mail.
func enabledOnly(tx Tx, imp *Import, created []int64) ([]int64, error) {
	if imp.Counts.Disabled == 0 {
		return created, nil
	}
	off, err := tx.ImportRows(ImportRowFilter{ImportID: imp.ID, Action: RowCreate, Disabled: true})
	if err != nil {
		return nil, err
	}
	if len(off) != imp.Counts.Disabled {
		return nil, changedSincePreview("the import's rows")
	}
	out := make([]int64, 0, len(created)-len(off))
	next := 0
	for i, id := range created {
		if next < len(off) && off[next].Seq == i+1 {
			next++
			continue
		}
		out = append(out, id)
	}
	return out, nil
}

// applyRenewals renews the learners the preview said it would, all or none.
func (s *Service) applyRenewals(tx Tx, p allot.Principal, c allot.Company, imp *Import, now time.Time) error {
	rows, err := tx.ImportRows(ImportRowFilter{ImportID: imp.ID, Action: RowRenew})
	if err != nil || len(rows) == 0 { // a file that renews no one is applied as such
		return err
	}
	pr, err := tx.Product(imp.ProductID)
	if err != nil {
		return err
	}
	r := allot.Renewal{CompanyID: c.ID, ProductCode: pr.Code, PoolID: imp.PoolID}
	for _, row := range rows {
		r.UserIDs = append(r.UserIDs, row.UserID)
	}
	switch _, err := s.Ledger.RenewLearners(tx, p, r, now); allot.ErrorCode(err) {
	case "":
		return nil
	case allot.EINVALID:
		return changedSincePreview("the expired licences")
	case allot.ECONFLICT:
		return allot.Errorf(allot.ECONFLICT, "%s; nothing was renewed", allot.ErrorMessage(err))
	default:
		return err
	}
}

// welcome queues a welcome mail to each person the import created.
func welcome(tx Tx, created []int64, now time.Time) error {
	for _, id := range created {
		u, err := tx.User(id)
		if err != nil {
			return err
		}
		if err := allot.QueueLinkMail(tx, allot.MailWelcome, u, now); err != nil {
			return err
		}
	}
	return nil
}
