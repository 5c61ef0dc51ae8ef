package scim

import (
	"context"
	"slices"

	"allot"
)

// memberIDs returns the ids a Group's document names as its members.
func memberIDs(d document) []string {
	var out []string
	for _, m := range list(d["members"]) {
		if el, ok := m.(map[string]any); ok {
			if id := str(el, "value"); id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// setMembers makes the people Group r's members stand for the members of
// its directory group, when they changed since its document before (nil
// for a new group). A member that is not a User of the company, or whose
// person the company no longer has, holds no seat through it.
func (s *Service) setMembers(ctx context.Context, r *Resource, d, before document) error {
	ids := memberIDs(d)
	if before != nil && slices.Equal(ids, memberIDs(before)) {
		return nil
	}
	var users []int64
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		users, err = memberUsers(tx, r.CompanyID, ids)
		return err
	})
	if err != nil {
		return err
	}
	return s.Directory.SetGroup(ctx, r.CompanyID, r.ID, users)
}

// memberUsers returns the people of company companyID whom the Users of
// these ids stand for.
func memberUsers(tx Tx, companyID int64, ids []string) ([]int64, error) {
	var users []int64
	for _, id := range ids {
		r, err := tx.SCIMResource(companyID, userKind.Name, id)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			continue
		case err != nil:
			return nil, err
		case r.UserID != 0 && !slices.Contains(users, r.UserID):
			users = append(users, r.UserID)
		}
	}
	if len(users) == 0 {
		return nil, nil
	}
	present, err := tx.Users(allot.UserFilter{IDs: users, CompanyID: companyID, IncludePending: true, Limit: len(users) + 1})
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(present))
	for i, u := range present {
		out[i] = u.ID
	}
	return out, nil
}

// leaveGroups takes the deleted User id out of the company's Groups.
func (s *Service) leaveGroups(ctx context.Context, companyID int64, id string) error {
	var groups []Resource
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		groups, err = tx.SCIMResources(ResourceQuery{CompanyID: companyID, Type: groupKind.Name})
		return err
	})
	if err != nil {
		return err
	}
	for _, g := range groups {
		d, err := decode(g)
		if err != nil {
			return err
		}
		if !slices.Contains(memberIDs(d), id) {
			continue
		}
		ops := []patchOp{{Op: "remove", Path: `members[value eq "` + id + `"]`}}
		if _, err := s.patchResource(ctx, companyID, groupKind, g.ID, ops); err != nil && !isNotFound(err) {
			return err
		}
	}
	return nil
}
