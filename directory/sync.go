package directory

import (
	"context"
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
	Counted     int // the company's people the safety limit was measured against
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

	// KnownPeople returns every user of company companyID, removed and
	// pending ones too, and every user its directory provisioned who
	// belongs to another company, by user ID, each with what a directory
	// keeps of them; without their groups.
	KnownPeople(companyID int64) ([]Known, error)
	// KnownPeopleOf returns those of KnownPeople(companyID) whom the
	// company's directory provisioned with one of the anchors, or who have
	// one of the e-mails.
	KnownPeopleOf(companyID int64, anchors, emails []string) ([]Known, error)
	// Memberships returns the group memberships in company companyID of
	// users userIDs, or of everyone when userIDs is nil, by user ID then
	// group.
	Memberships(companyID int64, userIDs []int64) ([]Membership, error)
	// CreateProvisionedUsers adds a user like like (its role, company,
	// language, zone and creation time) for each person, with the
	// person's e-mail, names, department, manager and anchor (as its
	// ExternalID), and returns their IDs in the people's order; ECONFLICT
	// when an e-mail is taken.
	CreateProvisionedUsers(like allot.User, people []Person) ([]int64, error)
	// AddEvents stores the audit events, in order.
	AddEvents(events []allot.Event) error
	// SaveProvisionedAll stores each of ps, as SaveProvisioned does.
	SaveProvisionedAll(ps []Provisioned) error
	// SetGroupsOfAll makes the memberships given the groups of users
	// userIDs of company companyID, who are members of no other.
	SetGroupsOfAll(companyID int64, userIDs []int64, memberships []Membership) error
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
	r := SyncRun{CompanyID: companyID, Source: o.Source, Full: o.Full}
	if r.Source == "" {
		r.Source = "ldap"
	}
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		// A transaction run again starts from the reading again.
		r.Status, r.People, r.FinishedAt = SyncApplied, people, time.Time{}
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

// diff is what a run changes: the people to provision (added or updated),
// in the order the directory gave them, and the users to deprovision.
type diff struct {
	known       *known
	provision   []change
	deprovision []int
	overLimit   bool
}

// change is a person to provision: in, as the directory gives them, and
// the index of the person they are among those known, or -1 for a new one.
type change struct {
	in    Person
	known int
}

// compare compares r's people with company c's, read once, and counts the
// difference into r. The people a full run does not hold and the company's
// directory holds active are to be deprovisioned.
func (s *Service) compare(tx Tx, c allot.Company, r *SyncRun) (diff, error) {
	r.Add, r.Update, r.Deprovision, r.Unchanged, r.Problems = 0, 0, 0, 0, nil
	k, err := knownFor(tx, c, r)
	if err != nil {
		return diff{}, err
	}
	d := diff{known: k}
	seen := make([]bool, len(k.people))
	anchors := make(map[string]bool, len(r.People))
	var (
		problems []indexedProblem
		changes  []indexedChange // new people's e-mails still to be looked up outside the company
		emails   = make(map[string]bool, len(r.People))
	)
	for i, given := range r.People {
		in, err := checkPerson(given)
		if err == nil && anchors[in.ExternalID] {
			err = allot.Invalid("external_id", "the directory holds two people with this anchor")
		}
		at := -1
		if err == nil {
			at, _, err = k.find(in)
		}
		if err == nil && (emails[in.Email] || at >= 0 && seen[at]) {
			err = allot.Invalid("email", "the directory holds two people with this e-mail")
		}
		if err != nil {
			problems = append(problems, indexedProblem{i, SyncProblem{given.ExternalID, given.Email, allot.ErrorMessage(err)}})
			continue
		}
		anchors[in.ExternalID], emails[in.Email] = true, true
		switch {
		case at < 0:
			changes = append(changes, indexedChange{i, change{in, -1}})
		case k.unchanged(at, in):
			seen[at] = true
			r.Unchanged++
		default:
			seen[at] = true
			r.Update++
			changes = append(changes, indexedChange{i, change{in, at}})
		}
	}
	if changes, problems, err = takenOutside(tx, c, changes, problems); err != nil {
		return d, err
	}
	d.provision = make([]change, len(changes))
	for i, ch := range changes {
		d.provision[i] = ch.change
	}
	r.Add = len(d.provision) - r.Update
	slices.SortFunc(problems, func(a, b indexedProblem) int { return a.at - b.at })
	for _, p := range problems {
		r.Problems = append(r.Problems, p.problem)
	}
	if r.Full {
		for i, p := range k.people {
			if !seen[i] && p.ProvisionedBy == c.ID && p.Active {
				d.deprovision = append(d.deprovision, i)
			}
		}
		r.Deprovision = len(d.deprovision)
	}
	r.Counted = k.learners()
	d.overLimit = r.Deprovision > 0 && float64(r.Deprovision) > SafetyLimit*float64(r.Counted)
	return d, nil
}

// knownFor reads what run r compares its people with: the whole company
// for a full run, which deprovisions whom it does not hold; for an
// incremental one, which deprovisions no one, the people it may find by
// the anchors and e-mails it holds, so that it reads as little as it
// brings.
func knownFor(tx Tx, c allot.Company, r *SyncRun) (*known, error) {
	if r.Full {
		return loadKnown(tx, c)
	}
	anchors := make([]string, 0, len(r.People))
	emails := make([]string, 0, len(r.People))
	for _, given := range r.People {
		if in, err := checkPerson(given); err == nil {
			anchors, emails = append(anchors, in.ExternalID), append(emails, in.Email)
		}
	}
	people, err := tx.KnownPeopleOf(c.ID, anchors, emails)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.UserID
	}
	return withGroups(tx, c, people, ids)
}

// indexedProblem and indexedChange are a problem and a change with the
// place of their person in the reading.
type (
	indexedProblem struct {
		at      int
		problem SyncProblem
	}
	indexedChange struct {
		at     int
		change change
	}
)

// takenOutside looks the e-mails of the new people up among everyone's, in
// one pass, and makes a problem of each that another company's person has.
func takenOutside(tx Tx, c allot.Company, changes []indexedChange, problems []indexedProblem) ([]indexedChange, []indexedProblem, error) {
	var emails []string
	for _, ch := range changes {
		if ch.change.known < 0 {
			emails = append(emails, ch.change.in.Email)
		}
	}
	if len(emails) == 0 {
		return changes, problems, nil
	}
	taken, err := tx.UsersByEmail(emails)
	if err != nil || len(taken) == 0 {
		return changes, problems, err
	}
	outsiders := make(map[string]bool, len(taken))
	for _, u := range taken {
		outsiders[u.Email] = true
	}
	kept := changes[:0]
	for _, ch := range changes {
		if in := ch.change.in; ch.change.known < 0 && outsiders[in.Email] {
			problems = append(problems, indexedProblem{ch.at, SyncProblem{in.ExternalID, in.Email, allot.ErrorMessage(outside(c, in.Email))}})
			continue
		}
		kept = append(kept, ch)
	}
	return kept, problems, nil
}
