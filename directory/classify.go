package directory

import (
	"fmt"
	"strings"
	"time"

	"allot"
)

// classifier decides what each row of an import will do, batch after batch
// in the file's order, and sums the rows up.
type classifier struct {
	imp     Import
	company allot.Company
	product allot.Product // renewals
	now     time.Time
	free    int            // the free seats new learners or renewals can have
	expired map[int64]bool // renewals: the learners whose seat of the product expired
	seen    map[string]int // e-mail → the line it is first on
	seq     int
	counts  ImportCounts
	// owned are the fields the company's directory owns for the people it
	// provisioned, in provisioned: a file does not change them.
	owned       Owned
	provisioned map[int64]bool
}

func (s *Service) newClassifier(tx Tx, imp Import) (*classifier, error) {
	c, err := tx.Company(imp.CompanyID)
	if err != nil {
		return nil, err
	}
	cl := &classifier{imp: imp, company: c, now: s.Ledger.Clock.Now(), seen: make(map[string]int)}
	productID := c.DefaultProductID
	if imp.Kind == ImportRenewals {
		productID = imp.ProductID
		if cl.product, err = tx.Product(productID); err != nil {
			return nil, err
		}
		expired, err := tx.ExpiredLearners(allot.ExpiredLearnersParams{CompanyID: c.ID, ProductID: productID, Now: cl.now})
		if err != nil {
			return nil, err
		}
		cl.expired = make(map[int64]bool, len(expired))
		for _, u := range expired {
			cl.expired[u.ID] = true
		}
	}
	if productID != 0 {
		if cl.free, err = allot.FreeSeats(tx, c.ID, productID, imp.PoolID, cl.now); err != nil {
			return nil, err
		}
	}
	return cl, cl.ownedByDirectory(tx)
}

// ownedByDirectory reads which people the company's directory provisioned
// and which of their fields it owns.
func (cl *classifier) ownedByDirectory(tx Tx) error {
	ids, err := tx.ProvisionedIDs(cl.company.ID)
	if err != nil || len(ids) == 0 {
		return err
	}
	cl.provisioned = make(map[int64]bool, len(ids))
	for _, id := range ids {
		cl.provisioned[id] = true
	}
	cl.owned, err = tx.OwnedFields(cl.company.ID)
	return err
}

// classify sets the Action of each row of a batch, and its Reason when the
// row is an error.
func (cl *classifier) classify(tx Tx, rows []ImportRow) error {
	emails := make([]string, 0, len(rows))
	for i := range rows {
		if cl.check(&rows[i]) {
			emails = append(emails, rows[i].Email)
		}
	}
	users, err := tx.UsersByEmail(emails)
	if err != nil {
		return err
	}
	byEmail := make(map[string]allot.User, len(users))
	for _, u := range users {
		byEmail[u.Email] = u
	}
	var (
		members []*ImportRow // renewals: members with no expired licence
		kept    []*ImportRow // users: existing learners the file marks disabled
	)
	for i := range rows {
		r := &rows[i]
		if r.Action == "" {
			u, ok := byEmail[r.Email]
			if cl.imp.Kind == ImportUsers {
				cl.user(r, u, ok)
			} else if cl.renewal(r, u, ok) {
				members = append(members, r)
			}
		}
		if r.Disabled && r.UserID != 0 && r.Action != RowError {
			kept = append(kept, r)
		}
		cl.count(r)
	}
	if err := cl.active(tx, members); err != nil {
		return err
	}
	return cl.keepSeats(tx, kept)
}

// check checks a row's fields on their own and against the rows before it,
// and reports whether it still needs a look at the users.
func (cl *classifier) check(r *ImportRow) bool {
	if r.Action == RowError {
		return false
	}
	fail := func(field, format string, args ...any) bool {
		r.Action, r.Reason = RowError, fmt.Sprintf("column %q: ", cl.imp.Mapping[field])+fmt.Sprintf(format, args...)
		return false
	}
	email, err := allot.NormalizeEmail(FieldEmail, r.Email)
	if err != nil {
		return fail(FieldEmail, "%s", allot.ErrorMessage(err))
	}
	r.Email = email
	for _, f := range PersonFields[1:] {
		if err := allot.CheckText(f, r.Field(f), allot.MaxPersonField); err != nil {
			return fail(f, "%s", allot.ErrorMessage(err))
		}
	}
	if line, ok := cl.seen[email]; ok {
		return fail(FieldEmail, "%s is on line %d already", email, line)
	}
	cl.seen[email] = r.Line
	return true
}

// user decides what a users import does with a row naming a new user, or
// existing user u when ok.
func (cl *classifier) user(r *ImportRow, u allot.User, ok bool) {
	switch {
	case !ok:
		cl.seq++
		r.Action, r.Seq = RowCreate, cl.seq
		if r.Disabled {
			r.Reason = noSeat
		}
		like := importedLearner(cl.company.ID)
		r.After = allot.AuditJSON(newLearner{Email: r.Email, FirstName: r.FirstName, LastName: r.LastName, Department: r.Department,
			Manager: r.Manager, ExternalID: r.ExternalID, Role: like.Role, CompanyID: like.CompanyID,
			Lang: like.Lang, Zone: like.Zone})
	case u.CompanyID != cl.company.ID:
		r.Action, r.Reason = RowError, "the e-mail belongs to an account outside this company"
	case !u.RemovedAt.IsZero():
		r.Action, r.Reason = RowError, fmt.Sprintf("removed from this company on %s; add them again by hand",
			u.RemovedAt.Format(time.DateOnly))
	default:
		// A field the file leaves empty keeps its value: the row becomes
		// the user as they will be, and notes which values it kept, so that
		// applying it can tell whether they changed meanwhile.
		r.UserID = u.ID
		after := u
		for _, f := range []struct {
			field     string
			row, user *string
		}{{FieldFirstName, &r.FirstName, &after.FirstName}, {FieldLastName, &r.LastName, &after.LastName},
			{FieldDepartment, &r.Department, &after.Department}, {FieldManager, &r.Manager, &after.Manager},
			{FieldExternalID, &r.ExternalID, &after.ExternalID}} {
			if *f.row == "" {
				*f.row, r.Kept = *f.user, r.Kept|KeptBit(f.field)
			} else {
				*f.user = *f.row
			}
		}
		r.Action = RowUnchanged
		if field := cl.ownedChange(u, after); field != "" {
			r.Action, r.Reason = RowError, fmt.Sprintf("column %q: the company's directory owns the %s of %s: change it there",
				cl.imp.Mapping[field], strings.ReplaceAll(field, "_", " "), u.Email)
		} else if after != u { // only the fields above can differ: after is a copy of u
			r.Action, r.Before, r.After = RowUpdate, allot.AuditJSON(u), allot.AuditJSON(after)
		}
	}
}

// ownedChange returns the first field the directory owns that a row
// changes from u to after, or "" when it changes none (or the directory
// did not provision u).
func (cl *classifier) ownedChange(u, after allot.User) string {
	if !cl.provisioned[u.ID] {
		return ""
	}
	for _, f := range []struct {
		field        string
		before, then string
	}{{FieldFirstName, u.FirstName, after.FirstName}, {FieldLastName, u.LastName, after.LastName},
		{FieldDepartment, u.Department, after.Department}, {FieldManager, u.Manager, after.Manager},
		{FieldExternalID, u.ExternalID, after.ExternalID}} {
		if f.before != f.then && cl.owned.Owns(f.field) {
			return f.field
		}
	}
	return ""
}

// noSeat is the note on a row the file marks disabled: the person is added
// or updated, without a seat.
const noSeat = "disabled in the file: no seat given"

// keepSeats notes on the rows of existing learners the file marks disabled
// that they get no seat, and of those who hold a seat that they keep it: a
// file never releases a seat, since a row missing from a file says nothing
// of a person, and a person may be disabled in the directory for a while.
func (cl *classifier) keepSeats(tx Tx, rows []*ImportRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	live, err := tx.Seats(allot.SeatFilter{CompanyID: cl.company.ID, UserIDs: ids, LiveAt: cl.now})
	if err != nil {
		return err
	}
	held := make(map[int64]bool, len(live))
	for _, s := range live {
		held[s.UserID] = true
	}
	for _, r := range rows {
		r.Reason = noSeat
		if held[r.UserID] {
			r.Reason += "; the seat they hold is kept, as a file never releases seats"
		}
	}
	return nil
}

// newLearner is a learner an import adds, as the audit log keeps them: the
// fields of User that are set, named as User names them.
type newLearner struct {
	Email      string
	FirstName  string `json:",omitempty"`
	LastName   string `json:",omitempty"`
	Department string `json:",omitempty"`
	Manager    string `json:",omitempty"`
	ExternalID string `json:",omitempty"`
	Role       allot.Role
	CompanyID  int64
	Lang       string
	Zone       string
}

// renewal decides whether a renewal import renews the user a row names,
// and reports a member with no expired licence, for active to tell more.
func (cl *classifier) renewal(r *ImportRow, u allot.User, ok bool) (member bool) {
	switch {
	case !ok:
		r.Action, r.Reason = RowError, "no one has this e-mail"
	case !u.MemberOf(cl.company):
		r.Action, r.Reason = RowError, "not a member of this company"
	case cl.expired[u.ID] && cl.counts.Renew >= cl.free:
		r.UserID, r.Action = u.ID, RowError
		r.Reason = fmt.Sprintf("no seat left: %d free seats of %s for %d learners before this one", cl.free, cl.product.Name, cl.counts.Renew)
	case cl.expired[u.ID]:
		cl.seq++
		r.UserID, r.Action, r.Seq = u.ID, RowRenew, cl.seq
	default:
		r.UserID, r.Action = u.ID, RowError
		r.Reason = "has no expired licence of " + cl.product.Name
		return true
	}
	return false
}

// active says of the rows naming members with no expired licence which
// are licensed now, and until when, looking up their seats in one query.
func (cl *classifier) active(tx Tx, rows []*ImportRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	held, err := tx.Seats(allot.SeatFilter{UserIDs: ids, ProductID: cl.product.ID, HeldOnly: true})
	if err != nil {
		return err
	}
	until := make(map[int64]time.Time, len(held))
	for _, s := range held {
		if s.Live(cl.now) {
			until[s.UserID] = s.EndsAt
		}
	}
	for _, r := range rows {
		if t, ok := until[r.UserID]; ok {
			r.Reason = "already active: licensed until " + t.Format(time.DateOnly)
		}
	}
	return nil
}

// count adds a classified row to the counts.
func (cl *classifier) count(r *ImportRow) {
	c := &cl.counts
	c.Rows++
	switch r.Action {
	case RowCreate:
		c.Create++
		if r.Disabled {
			c.Disabled++
		}
		if cl.company.DefaultProductID == 0 || r.Disabled {
			break
		}
		if c.Licensed < cl.free {
			c.Licensed++
		} else {
			c.Unlicensed++
		}
	case RowUpdate:
		c.Update++
	case RowUnchanged:
		c.Unchanged++
	case RowRenew:
		c.Renew++
	case RowError:
		c.Errors++
	}
}
