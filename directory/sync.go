package directory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"allot"
)

// A SyncRun is one reading of a company's directory, compared with the
// company's people and applied to them as that comparison says: people to
// add, to update, to deprovision (on a full run, the people the directory
// provisioned that it no longer holds), unchanged, and problems, each with
// its reason. A run that would deprovision more than SafetyLimit of the
// company's people is held until a manager confirms it.
type SyncRun struct {
	ID          int64
	CompanyID   int64
	Source      string // ldap, scim
	Full        bool   // the whole directory was read: whom it lacks is deprovisioned
	Status      SyncStatus
	Add         int
	Update      int
	Deprovision int
	Unchanged   int
	Problems    []SyncProblem
	Error       string
	CreatedAt   time.Time
	FinishedAt  time.Time
	People      []Person // what the directory held, kept while the run is held
}

// SyncStatus is where a run is.
type SyncStatus string

// Run statuses.
const (
	SyncPreviewed SyncStatus = "previewed" // compared only, nothing applied
	SyncHeld      SyncStatus = "held"      // stopped by the safety limit until a manager confirms it
	SyncApplied   SyncStatus = "applied"
	SyncFailed    SyncStatus = "failed"
)

// SyncProblem is a person of the directory that could not be taken in.
type SyncProblem struct {
	Anchor  string
	Email   string
	Message string
}

// SafetyLimit is the share of a company's people one run may deprovision
// without a manager's confirmation.
const SafetyLimit = 0.10

// syncTx keeps the runs.
type syncTx interface {
	// CreateSyncRun stores r.
	CreateSyncRun(r *SyncRun) error
	// SyncRun returns run id; ENOTFOUND when there is none.
	SyncRun(id int64) (SyncRun, error)
	// SyncRuns returns company companyID's latest runs, newest first,
	// without the people they kept.
	SyncRuns(companyID int64, limit int) ([]SyncRun, error)
	// FinishSyncRun saves r's status, counts, problems and end, and drops
	// the people kept, but only while the stored run is held: ECONFLICT
	// otherwise.
	FinishSyncRun(r SyncRun) error
	// ProvisionedPeople returns the people company companyID's directory
	// provisioned and holds active, by user ID.
	ProvisionedPeople(companyID int64) ([]Provisioned, error)
}

// SyncOptions say what a run does beyond comparing.
type SyncOptions struct {
	Source  string // ldap when empty
	Full    bool
	Preview bool // compare only, apply nothing
}

// Sync compares what company companyID's directory holds with the
// company's people and, unless o.Preview or the safety limit stops it,
// applies the difference in one transaction: all of it, or nothing. Each
// run is recorded with its counts and problems (ActManageUsers).
func (s *Service) Sync(ctx context.Context, companyID int64, people []Person, o SyncOptions) (SyncRun, error) {
	r := SyncRun{CompanyID: companyID, Source: o.Source, Full: o.Full, Status: SyncApplied, People: people}
	if r.Source == "" {
		r.Source = "ldap"
	}
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActManageUsers)
		if err != nil {
			return err
		}
		r.CreatedAt = s.Ledger.Clock.Now()
		d, err := s.compare(tx, c, &r)
		if err != nil {
			return err
		}
		switch {
		case o.Preview:
			r.Status, r.People = SyncPreviewed, nil
		case d.overLimit:
			r.Status = SyncHeld
		default:
			if err := s.applyDiff(tx, p, c, d); err != nil {
				return err
			}
			r.People, r.FinishedAt = nil, s.Ledger.Clock.Now()
		}
		if err := tx.CreateSyncRun(&r); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "directory.sync", "sync_run", r.ID, nil, r.counts())
	})
	return r, err
}

// ConfirmSync applies held run id as its directory read it, the safety
// limit set aside by the manager who confirms it: ECONFLICT when it is not
// held.
func (s *Service) ConfirmSync(ctx context.Context, id int64) (SyncRun, error) {
	var r SyncRun
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		var err error
		if r, err = tx.SyncRun(id); err != nil {
			return err
		}
		c, err := allot.CompanyFor(tx, p, r.CompanyID, allot.ActManageUsers)
		if allot.ErrorCode(err) == allot.ENOTFOUND {
			return allot.NotFound("sync run")
		} else if err != nil {
			return err
		}
		if r.Status != SyncHeld {
			return allot.Errorf(allot.ECONFLICT, "run %d is %s: only a held run is confirmed", r.ID, r.Status)
		}
		d, err := s.compare(tx, c, &r)
		if err != nil {
			return err
		}
		if err := s.applyDiff(tx, p, c, d); err != nil {
			return err
		}
		r.Status, r.People, r.FinishedAt = SyncApplied, nil, s.Ledger.Clock.Now()
		if err := tx.FinishSyncRun(r); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "directory.sync_confirm", "sync_run", r.ID, nil, r.counts())
	})
	return r, err
}

// SyncRuns returns company companyID's latest runs, newest first.
func (s *Service) SyncRuns(ctx context.Context, companyID int64, limit int) ([]SyncRun, error) {
	var out []SyncRun
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.SyncRuns(c.ID, min(max(limit, 1), allot.MaxLimit))
		return err
	})
	return out, err
}

// syncCounts is what the audit log keeps of a run.
type syncCounts struct {
	Source, Status                           string
	Full                                     bool
	Add, Update, Deprovision, Unchanged, Bad int
}

func (r SyncRun) counts() syncCounts {
	return syncCounts{r.Source, string(r.Status), r.Full, r.Add, r.Update, r.Deprovision, r.Unchanged, len(r.Problems)}
}

// diff is what a run changes: the people to provision (added or updated)
// and the users to deprovision.
type diff struct {
	provision   []Person
	deprovision []int64
	overLimit   bool
}

// compare compares r's people with company c's and counts the difference
// into r.
func (s *Service) compare(tx Tx, c allot.Company, r *SyncRun) (diff, error) {
	var d diff
	r.Add, r.Update, r.Deprovision, r.Unchanged, r.Problems = 0, 0, 0, 0, nil
	seen := map[int64]bool{}
	anchors := map[string]bool{}
	for _, given := range r.People {
		in, err := checkPerson(given)
		if err == nil && anchors[in.ExternalID] {
			err = allot.Invalid("external_id", "the directory holds two people with this anchor")
		}
		var (
			u     allot.User
			found bool
		)
		if err == nil {
			u, found, err = s.findPerson(tx, c, in)
		}
		if err != nil {
			r.Problems = append(r.Problems, SyncProblem{given.ExternalID, given.Email, allot.ErrorMessage(err)})
			continue
		}
		anchors[in.ExternalID] = true
		if !found {
			r.Add++
			d.provision = append(d.provision, in)
			continue
		}
		seen[u.ID] = true
		if same, err := unchanged(tx, u, in); err != nil {
			return d, err
		} else if same {
			r.Unchanged++
			continue
		}
		r.Update++
		d.provision = append(d.provision, in)
	}
	if r.Full {
		active, err := tx.ProvisionedPeople(c.ID)
		if err != nil {
			return d, err
		}
		for _, prov := range active {
			if !seen[prov.UserID] {
				d.deprovision = append(d.deprovision, prov.UserID)
			}
		}
		r.Deprovision = len(d.deprovision)
	}
	people, err := tx.Users(allot.UserFilter{CompanyID: c.ID, Roles: []allot.Role{allot.RoleLearner}})
	if err != nil {
		return d, err
	}
	d.overLimit = r.Deprovision > 0 && float64(r.Deprovision) > SafetyLimit*float64(len(people))
	return d, nil
}

// unchanged reports whether user u is as person in says, and held as
// active or inactive as in is.
func unchanged(tx Tx, u allot.User, in Person) (bool, error) {
	prov, err := tx.ProvisionedUser(u.ID)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	same := prov.Anchor == in.ExternalID && prov.Active == in.Active && (!in.Active || u.RemovedAt.IsZero()) &&
		u.Email == in.Email && u.FirstName == in.FirstName && u.LastName == in.LastName &&
		u.Department == in.Department && u.Manager == in.Manager
	if !same || in.Groups == nil {
		return same, nil
	}
	groups, err := tx.GroupsOf(u.ID)
	return slices.Equal(groups, in.Groups), err
}

// applyDiff provisions and deprovisions as d says, in the caller's
// transaction.
func (s *Service) applyDiff(tx Tx, p allot.Principal, c allot.Company, d diff) error {
	for _, in := range d.provision {
		if _, err := s.provision(tx, p, c, in); err != nil {
			return fmt.Errorf("provision %s: %w", in.Email, err)
		}
	}
	for _, id := range d.deprovision {
		prov, err := tx.ProvisionedUser(id)
		if err != nil {
			return err
		}
		prov.Active, prov.UpdatedAt = false, s.Ledger.Clock.Now()
		if err := tx.SaveProvisioned(prov); err != nil {
			return err
		}
		if err := s.release(tx, p, c, id, every); err != nil {
			return err
		}
	}
	return nil
}
