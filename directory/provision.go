package directory

import (
	"context"
	"slices"
	"strings"
	"time"

	"allot"
)

// Provision adds or updates in company companyID the person a directory
// gives (ActManageUsers). The person is found by their anchor, else by
// e-mail among the company's people (one removed from it comes back); a
// new e-mail keeps the person and their seats. An active person holds a
// seat of each product they are owed (Owed), or waits for one; an inactive
// one holds none: their seats are released (allot.ReasonDeprovisioned) and
// they wait for nothing. A bad field is EINVALID naming it; an e-mail of
// someone outside the company is ECONFLICT.
func (s *Service) Provision(ctx context.Context, companyID int64, in Person) (allot.User, error) {
	var u allot.User
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActManageUsers)
		if err != nil {
			return err
		}
		u, err = s.provision(tx, p, c, in)
		return err
	})
	return u, err
}

func (s *Service) provision(tx Tx, p allot.Principal, c allot.Company, in Person) (allot.User, error) {
	in, err := checkPerson(in)
	if err != nil {
		return allot.User{}, err
	}
	u, found, err := s.findPerson(tx, c, in)
	if err != nil {
		return u, err
	}
	before := u
	u.Email, u.FirstName, u.LastName, u.Department, u.Manager, u.ExternalID = in.Email, in.FirstName, in.LastName,
		in.Department, in.Manager, in.ExternalID
	if in.Active {
		u.RemovedAt = time.Time{} // one removed from the company comes back
	}
	switch {
	case !found:
		if u, err = s.Ledger.AddPerson(tx, p, c, allot.NewUser{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName,
			Department: in.Department, Role: allot.RoleLearner}); err != nil {
			return u, err
		}
		u.Manager, u.ExternalID = in.Manager, in.ExternalID
		if err := tx.UpdateUser(u); err != nil {
			return u, err
		}
	case u != before:
		if err := tx.UpdateUser(u); err != nil {
			if allot.ErrorCode(err) == allot.ECONFLICT {
				return u, &allot.Error{Code: allot.ECONFLICT, Field: "email", Message: in.Email + " already has an account"}
			}
			return u, err
		}
		if err := s.Ledger.Record(tx, p, c, "user.update", "user", u.ID, before, u); err != nil {
			return u, err
		}
	}
	if in.Groups != nil {
		if err := tx.SetGroupsOf(c.ID, u.ID, in.Groups); err != nil {
			return u, err
		}
	}
	now := s.Ledger.Clock.Now()
	if err := tx.SaveProvisioned(Provisioned{UserID: u.ID, CompanyID: c.ID, Anchor: in.ExternalID, Active: in.Active, UpdatedAt: now}); err != nil {
		return u, err
	}
	if !in.Active {
		return u, s.release(tx, p, c, u.ID, every)
	}
	return u, s.seatOwed(tx, p, c, u.ID)
}

// checkPerson checks and tidies what a directory gives of a person.
func checkPerson(in Person) (Person, error) {
	var err error
	if in.Email, err = allot.NormalizeEmail("email", in.Email); err != nil {
		return in, err
	}
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	if in.ExternalID == "" {
		return in, allot.Invalid("external_id", "a directory's person has an anchor")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"external_id", &in.ExternalID}, {"first_name", &in.FirstName}, {"last_name", &in.LastName},
		{"department", &in.Department}, {"manager", &in.Manager}} {
		*f.v = strings.TrimSpace(*f.v)
		if err := allot.CheckText(f.name, *f.v, allot.MaxPersonField); err != nil {
			return in, err
		}
	}
	if in.Groups != nil {
		groups := make([]string, 0, len(in.Groups))
		for _, g := range in.Groups {
			if g = strings.TrimSpace(g); g != "" && !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
		slices.Sort(groups)
		in.Groups = groups
	}
	return in, nil
}

// findPerson returns the person in is: by anchor, else by e-mail among
// company c's people, present or removed; false when there is none.
func (s *Service) findPerson(tx Tx, c allot.Company, in Person) (allot.User, bool, error) {
	prov, err := tx.ProvisionedByAnchor(c.ID, in.ExternalID)
	switch allot.ErrorCode(err) {
	case "":
		u, err := tx.User(prov.UserID)
		return u, err == nil, err
	case allot.ENOTFOUND:
	default:
		return allot.User{}, false, err
	}
	u, err := tx.UserByEmail(in.Email)
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return allot.User{}, false, nil
	case err != nil:
		return u, false, err
	case u.CompanyID != c.ID:
		return u, false, &allot.Error{Code: allot.ECONFLICT, Field: "email", Message: in.Email + " has an account outside " + c.Name}
	}
	return u, true, nil
}

// Owed returns the products whose seats the directory decides for company
// c (those of its mapped groups when it maps groups, else its default
// product), and of those the ones user userID is owed: the products of the
// mapped groups they are in, or the default product.
func Owed(tx Tx, c allot.Company, userID int64) (decided, owed []int64, err error) {
	mappings, err := tx.GroupMappings(c.ID)
	if err != nil || len(mappings) == 0 {
		if c.DefaultProductID == 0 {
			return nil, nil, err
		}
		return []int64{c.DefaultProductID}, []int64{c.DefaultProductID}, err
	}
	groups, err := tx.GroupsOf(userID)
	for _, m := range mappings {
		if !slices.Contains(decided, m.ProductID) {
			decided = append(decided, m.ProductID)
		}
		if slices.Contains(groups, m.Group) && !slices.Contains(owed, m.ProductID) {
			owed = append(owed, m.ProductID)
		}
	}
	return decided, owed, err
}

// seatOwed gives user userID a seat of each product they are owed and do
// not hold nor wait for; beyond the free seats they wait. A seat of a
// product the directory decides and no longer owes them goes back to its
// pool; seats of other products, given by hand, stay.
func (s *Service) seatOwed(tx Tx, p allot.Principal, c allot.Company, userID int64) error {
	decided, owed, err := Owed(tx, c, userID)
	if err != nil {
		return err
	}
	held, err := tx.Seats(allot.SeatFilter{UserID: userID, LiveAt: s.Ledger.Clock.Now()})
	if err != nil {
		return err
	}
	waiting, err := tx.WaitingList(allot.WaitingListParams{CompanyID: c.ID})
	if err != nil {
		return err
	}
	for _, product := range owed {
		if slices.ContainsFunc(held, func(st allot.Seat) bool { return st.ProductID == product }) ||
			slices.ContainsFunc(waiting, func(w allot.Waiting) bool { return w.UserID == userID && w.ProductID == product }) {
			continue
		}
		if _, err := s.Ledger.GrantSeats(tx, p, allot.SeatGrant{Company: c, ProductID: product, UserIDs: []int64{userID},
			Wait: true, Action: "seat.provision"}); err != nil {
			return err
		}
	}
	return s.release(tx, p, c, userID, func(product int64) bool {
		return slices.Contains(decided, product) && !slices.Contains(owed, product)
	})
}

// release releases user userID's live seats of the products which, and
// takes them off the waiting list of those.
func (s *Service) release(tx Tx, p allot.Principal, c allot.Company, userID int64, which func(productID int64) bool) error {
	held, err := tx.Seats(allot.SeatFilter{UserID: userID, LiveAt: s.Ledger.Clock.Now()})
	if err != nil {
		return err
	}
	for _, seat := range held {
		if which(seat.ProductID) {
			if _, err := s.Ledger.ReleaseSeat(tx, p, c, seat, allot.ReasonDeprovisioned); err != nil {
				return err
			}
		}
	}
	waiting, err := tx.WaitingList(allot.WaitingListParams{CompanyID: c.ID})
	if err != nil {
		return err
	}
	for _, w := range waiting {
		if w.UserID == userID && which(w.ProductID) {
			if err := tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: []int64{userID}, ProductID: w.ProductID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// every is the products a person the directory deactivates gives back.
func every(int64) bool { return true }

// Deprovision takes user userID out of company companyID, as a directory
// deleting them does (ActManageUsers): their seats go back to their pools
// (allot.ReasonDeprovisioned) and they wait for none. A user the company
// does not have is not found.
func (s *Service) Deprovision(ctx context.Context, companyID, userID int64) error {
	return s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActManageUsers)
		if err != nil {
			return err
		}
		u, err := tx.User(userID)
		if err != nil || !u.MemberOf(c) {
			return allot.NotFound("user")
		}
		if err := s.release(tx, p, c, u.ID, every); err != nil {
			return err
		}
		if prov, err := tx.ProvisionedUser(u.ID); err == nil {
			prov.Active, prov.UpdatedAt = false, s.Ledger.Clock.Now()
			if err := tx.SaveProvisioned(prov); err != nil {
				return err
			}
		}
		before := u
		u.RemovedAt = s.Ledger.Clock.Now()
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "user.remove", "user", u.ID, before, u)
	})
}
