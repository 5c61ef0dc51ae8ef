package directory

import (
	"context"
	"slices"
	"strings"

	"allot"
)

// SetGroup makes userIDs the members of company companyID's directory
// group (ActManageUsers), and seats follow: a member who joins a group
// mapped to a product gets a seat of it, or waits, while the directory
// holds them active; one who leaves it gives the seat back unless another
// mapped group of the product holds them. A user the company does not
// have is not found.
func (s *Service) SetGroup(ctx context.Context, companyID int64, group string, userIDs []int64) error {
	return s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActManageUsers)
		if err != nil {
			return err
		}
		if group = strings.TrimSpace(group); group == "" {
			return allot.Invalid("group", "a group has a name")
		}
		slices.Sort(userIDs)
		userIDs = slices.Compact(userIDs)
		if len(userIDs) > 0 {
			members, err := tx.Users(allot.UserFilter{IDs: userIDs, CompanyID: c.ID, IncludePending: true, Limit: len(userIDs) + 1})
			if err != nil {
				return err
			} else if len(members) != len(userIDs) {
				return allot.NotFound("user")
			}
		}
		before, err := tx.GroupMembers(c.ID, group)
		if err != nil {
			return err
		}
		if err := tx.SetGroupMembers(c.ID, group, userIDs); err != nil {
			return err
		}
		return s.reseat(tx, p, c, symmetricDifference(before, userIDs))
	})
}

// reseat gives each of the users the seats the directory owes them now,
// when it holds them active: a seat given by hand stays, and one the
// directory holds inactive has none.
func (s *Service) reseat(tx Tx, p allot.Principal, c allot.Company, userIDs []int64) error {
	if len(userIDs) > reseatOneByOne {
		k, err := loadKnown(tx, c)
		if err != nil {
			return err
		}
		wanted := make(map[int64]bool, len(userIDs))
		for _, id := range userIDs {
			wanted[id] = true
		}
		return s.reseatKnown(tx, p, c, k, func(kp Known) bool { return wanted[kp.UserID] })
	}
	var (
		active []int64
		groups [][]string
	)
	for _, id := range userIDs {
		prov, err := tx.ProvisionedUser(id)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND || err == nil && !prov.Active:
			continue
		case err != nil:
			return err
		}
		g, err := tx.GroupsOf(id)
		if err != nil {
			return err
		}
		active, groups = append(active, id), append(groups, g)
	}
	return s.seatOwed(tx, p, c, active, groups)
}

// reseatOneByOne is how many users reseat looks up one by one; beyond, it
// reads the whole company once.
const reseatOneByOne = 100

// reseatKnown gives the seats owed to the known people of company c whom
// the directory holds active and which picks.
func (s *Service) reseatKnown(tx Tx, p allot.Principal, c allot.Company, k *known, which func(Known) bool) error {
	var (
		active []int64
		groups [][]string
	)
	for _, kp := range k.people {
		if kp.Provisioned && kp.Active && which(kp) {
			active, groups = append(active, kp.UserID), append(groups, kp.Groups)
		}
	}
	return s.seatOwed(tx, p, c, active, groups)
}

// symmetricDifference returns the IDs in one of a and b but not both.
func symmetricDifference(a, b []int64) []int64 {
	in := func(ids []int64) map[int64]bool {
		m := make(map[int64]bool, len(ids))
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	inA, inB := in(a), in(b)
	var out []int64
	for _, id := range a {
		if !inB[id] {
			out = append(out, id)
		}
	}
	for _, id := range b {
		if !inA[id] {
			out = append(out, id)
		}
	}
	return out
}

// MapGroup maps company companyID's directory group to the product of the
// code (ActManageUsers): its members the directory holds active get a seat
// of it, or wait. Once a company maps a group, its directory's people are
// owed the seats of their groups' products, no longer of the default
// product.
func (s *Service) MapGroup(ctx context.Context, companyID int64, group, productCode string) (GroupMapping, error) {
	var m GroupMapping
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActManageUsers)
		if err != nil {
			return err
		}
		if group = strings.TrimSpace(group); group == "" {
			return allot.Invalid("group", "name the directory's group")
		}
		if err := allot.CheckText("group", group, allot.MaxPersonField); err != nil {
			return err
		}
		pr, err := tx.ProductByCode(strings.TrimSpace(productCode))
		if err != nil {
			return allot.Invalid("product", "no product %q", productCode)
		}
		m = GroupMapping{CompanyID: c.ID, Group: group, ProductID: pr.ID, CreatedAt: s.Ledger.Clock.Now()}
		if err := tx.CreateGroupMapping(&m); err != nil {
			if allot.ErrorCode(err) == allot.ECONFLICT {
				return &allot.Error{Code: allot.ECONFLICT, Field: "group", Message: group + " gives " + pr.Name + " already"}
			}
			return err
		}
		if err := s.Ledger.Record(tx, p, c, "directory.map_group", "group_mapping", m.ID, nil, m); err != nil {
			return err
		}
		return s.reseatCompany(tx, p, c)
	})
	return m, err
}

// UnmapGroup deletes mapping id of company companyID (ActManageUsers):
// seats follow, as when its members leave the group.
func (s *Service) UnmapGroup(ctx context.Context, companyID, id int64) error {
	return s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActManageUsers)
		if err != nil {
			return err
		}
		if err := tx.DeleteGroupMapping(c.ID, id); err != nil {
			return err
		}
		if err := s.Ledger.Record(tx, p, c, "directory.unmap_group", "group_mapping", id, nil, nil); err != nil {
			return err
		}
		return s.reseatCompany(tx, p, c)
	})
}

// reseatCompany gives the seats owed to every learner of company c the
// directory holds active, after its mappings changed.
func (s *Service) reseatCompany(tx Tx, p allot.Principal, c allot.Company) error {
	k, err := loadKnown(tx, c)
	if err != nil {
		return err
	}
	return s.reseatKnown(tx, p, c, k, func(kp Known) bool {
		return kp.CompanyID == c.ID && kp.Role == allot.RoleLearner && !kp.Removed && !kp.Pending
	})
}

// GroupMappings returns company companyID's group mappings, by ID.
func (s *Service) GroupMappings(ctx context.Context, companyID int64) ([]GroupMapping, error) {
	var out []GroupMapping
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.GroupMappings(c.ID)
		return err
	})
	return out, err
}
