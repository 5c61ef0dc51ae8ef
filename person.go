package allot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// PersonChange is what editing one of a company's people may change. A nil
// field, or an empty Role, stays as it is.
type PersonChange struct {
	FirstName  *string
	LastName   *string
	Department *string
	Role       Role // a learner or a company manager
}

// Person is one of a company's people as their page shows them: who they
// are, every seat they held and what the audit log says about them.
type Person struct {
	User
	Company Company
	// Seats are every seat they held, of any product, newest first.
	Seats []Seat
	// Events are the audit log's entries about them and their seats, newest
	// first, at most MaxPersonEvents; none when p may not read the log.
	Events []Event
	// Owned are the fields of theirs the company's directory owns: they
	// change there, not here. None unless a directory provisioned them.
	Owned []string
}

// MaxPersonEvents is the most audit events a person's page shows.
const MaxPersonEvents = 100

// PersonEventsParams name a person's audit events: those of their company
// whose subject is them or one of their seats.
type PersonEventsParams struct {
	CompanyID int64
	UserID    int64
	Limit     int
}

// Person returns one of a company's people with their seat history and the
// audit events about them, when p may see their company; a person of a
// company p does not see, or removed from theirs, reads as not found.
func (s *Service) Person(ctx context.Context, id int64) (Person, error) {
	var out Person
	err := s.read(ctx, func(tx Tx, p Principal) error {
		u, c, err := managedUser(tx, p, id, ActSeeCompany)
		if err != nil {
			return err
		}
		out = Person{User: u, Company: c}
		if out.Seats, err = tx.Seats(SeatFilter{UserID: u.ID, Limit: MaxLimit}); err != nil {
			return err
		}
		slices.Reverse(out.Seats)
		if out.Owned, err = tx.DirectoryOwned(u.ID); err != nil {
			return err
		}
		if !p.May(ActSeeAudit, c) {
			return nil
		}
		out.Events, err = tx.PersonEvents(PersonEventsParams{CompanyID: c.ID, UserID: u.ID, Limit: MaxPersonEvents})
		return err
	})
	return out, err
}

// UpdatePerson changes the names, department or role of one of a company's
// people (ActManageUsers; making or unmaking a company manager also needs
// ActAddManager), recording the change with its before and after. A field
// the company's directory owns for a person it provisioned is refused
// (EINVALID, naming it): it changes in the directory. Nobody changes their
// own role. Nothing changed records nothing.
func (s *Service) UpdatePerson(ctx context.Context, id int64, ch PersonChange) (User, error) {
	var u User
	roleChanged := false
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, c, err := managedUser(tx, p, id, ActManageUsers)
		if err != nil {
			return err
		}
		after := before
		for _, f := range []struct {
			in  *string
			out *string
		}{{ch.FirstName, &after.FirstName}, {ch.LastName, &after.LastName}, {ch.Department, &after.Department}} {
			if f.in != nil {
				*f.out = strings.TrimSpace(*f.in)
			}
		}
		if err := checkPersonText(after); err != nil {
			return err
		}
		if err := changeRole(p, c, before, &after, ch.Role); err != nil {
			return err
		}
		if err := refuseOwned(tx, before, after); err != nil {
			return err
		}
		u = after
		if after == before {
			return nil
		}
		if err := tx.UpdateUser(after); err != nil {
			return fmt.Errorf("update person %d: %w", id, err)
		}
		roleChanged = after.Role != before.Role
		return s.Record(tx, p, c, "user.update", "user", id, before, after)
	})
	if err == nil && roleChanged {
		s.tokens.forget(0, u.ID) // once committed, so no check caches the old role anew
	}
	return u, err
}

// changeRole sets after's role to r when it is another: a company's person
// is a learner or a company manager, whoever makes or unmakes a manager
// must be allowed to add one, and nobody changes their own.
func changeRole(p Principal, c Company, before User, after *User, r Role) error {
	if r == "" || r == before.Role {
		return nil
	}
	if r != RoleLearner && r != RoleCompanyManager {
		return Invalid("role", "a company's person is a learner or a company manager")
	}
	if before.ID == p.UserID {
		return &Error{Code: ECONFLICT, Field: "role", Message: "you cannot change your own role: ask another manager"}
	}
	if err := p.Must(ActAddManager, c); err != nil {
		return err
	}
	after.Role = r
	return nil
}

// personFields name the fields of a person UpdatePerson may change that a
// directory may own, as the directory names them.
var personFields = []struct {
	field string
	label string
	of    func(User) string
}{
	{"first_name", "first name", func(u User) string { return u.FirstName }},
	{"last_name", "last name", func(u User) string { return u.LastName }},
	{"department", "department", func(u User) string { return u.Department }},
}

// refuseOwned returns an EINVALID error naming the first field that changes
// from before to after and that the directory which provisioned the person
// owns.
func refuseOwned(tx Tx, before, after User) error {
	owned, err := tx.DirectoryOwned(before.ID)
	if err != nil || len(owned) == 0 {
		return err
	}
	for _, f := range personFields {
		if f.of(before) != f.of(after) && slices.Contains(owned, f.field) {
			return Invalid(f.field, "the company's directory owns the %s of %s: change it there", f.label, before.Email)
		}
	}
	return nil
}

// checkPersonText checks the names and department of u: what a name may
// hold, at most MaxPersonField characters each.
func checkPersonText(u User) error {
	for _, f := range personFields {
		if err := CheckText(f.field, f.of(u), MaxPersonField); err != nil {
			return err
		}
	}
	return nil
}
