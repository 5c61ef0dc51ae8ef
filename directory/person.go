package directory

import (
	"time"

	"allot"
)

// Person is someone a company's directory holds, as a source gives them
// (SCIM, LDAP). ExternalID is the directory's stable anchor for them (a
// SCIM resource's id, objectGUID, entryUUID), never the DN nor the e-mail,
// so that a person whose e-mail changes stays the same person, seat and
// all.
type Person struct {
	ExternalID string
	Email      string
	FirstName  string
	LastName   string
	Department string
	Manager    string
	Active     bool
	// Groups are the directory groups the person is in, as the directory
	// names them; nil leaves their groups as they are (a source that gives
	// groups apart, as SCIM does).
	Groups []string
}

// Provisioned is what allot keeps of a person a directory provisioned:
// their anchor in it, and whether it holds them active.
type Provisioned struct {
	UserID    int64
	CompanyID int64
	Anchor    string
	Active    bool
	UpdatedAt time.Time
}

// GroupMapping says that the members of a company's directory group hold a
// seat of a product. Group is the group as the directory names it to allot
// (a SCIM group's id, an LDAP group's DN).
type GroupMapping struct {
	ID        int64
	CompanyID int64
	Group     string
	ProductID int64
	CreatedAt time.Time
}

// peopleTx is what provisioning keeps beside the ledger.
type peopleTx interface {
	// ProvisionedByAnchor returns the person company companyID's
	// directory knows by anchor; ENOTFOUND when none.
	ProvisionedByAnchor(companyID int64, anchor string) (Provisioned, error)
	// ProvisionedUser returns what the directory keeps of user id;
	// ENOTFOUND when it never provisioned them.
	ProvisionedUser(userID int64) (Provisioned, error)
	// SaveProvisioned stores p, replacing what was kept of its user;
	// ECONFLICT when another person of the company has its anchor.
	SaveProvisioned(p Provisioned) error

	// GroupMembers returns the users of company companyID in group, by ID.
	GroupMembers(companyID int64, group string) ([]int64, error)
	// SetGroupMembers makes userIDs the members of group.
	SetGroupMembers(companyID int64, group string, userIDs []int64) error
	// GroupsOf returns the groups user userID is a member of, by name.
	GroupsOf(userID int64) ([]string, error)
	// SetGroupsOf makes groups the groups user userID of company companyID
	// is a member of.
	SetGroupsOf(companyID, userID int64, groups []string) error

	// GroupMappings returns company companyID's mappings, by ID.
	GroupMappings(companyID int64) ([]GroupMapping, error)
	// CreateGroupMapping stores m; ECONFLICT when its group is mapped to its
	// product already.
	CreateGroupMapping(m *GroupMapping) error
	// DeleteGroupMapping deletes mapping id of company companyID;
	// ENOTFOUND when it has none.
	DeleteGroupMapping(companyID, id int64) error
}

// Principal is the principal a company's directory acts as: a manager of
// that company, recorded in the audit log as the directory of source
// (scim, ldap).
func Principal(companyID int64, source string) allot.Principal {
	return allot.Principal{Role: allot.RoleCompanyManager, CompanyID: companyID, Email: "directory:" + source}
}
