package directory

import (
	"slices"

	"allot"
)

// Known is a person of a company as a run compares them with what its
// directory holds: the fields a directory gives of a user, and what a
// directory keeps of them.
type Known struct {
	UserID     int64
	CompanyID  int64 // the user's
	Email      string
	FirstName  string
	LastName   string
	Department string
	Manager    string
	ExternalID string
	Role       allot.Role
	Removed    bool
	Pending    bool
	// Provisioned says that a directory provisioned the user, that of
	// company ProvisionedBy, which knows them by Anchor and holds them
	// Active or not.
	Provisioned   bool
	ProvisionedBy int64
	Anchor        string
	Active        bool
	Groups        []string // sorted
}

// Membership is a user's membership of a directory group.
type Membership struct {
	UserID int64
	Group  string
}

// known is a company's people as a run reads them once, before comparing
// them with a whole reading of its directory: a query per person would
// cost as many round trips as the directory has people.
type known struct {
	c        allot.Company
	people   []Known
	byAnchor map[string]int // the people the company's directory provisioned, by anchor
	byEmail  map[string]int
}

// loadKnown reads company c's people and their groups.
func loadKnown(tx Tx, c allot.Company) (*known, error) {
	people, err := tx.KnownPeople(c.ID)
	if err != nil {
		return nil, err
	}
	return withGroups(tx, c, people, nil)
}

// withGroups reads the groups of people, some of company c's people whose
// user IDs are ids, or all of them when ids is nil.
func withGroups(tx Tx, c allot.Company, people []Known, ids []int64) (*known, error) {
	members, err := tx.Memberships(c.ID, ids)
	if err != nil {
		return nil, err
	}
	k := newKnown(c, people)
	names := map[string]string{} // one string for each group's name
	byID := make(map[int64]int, len(people))
	for i, p := range people {
		byID[p.UserID] = i
	}
	for _, m := range members {
		i, ok := byID[m.UserID]
		if !ok {
			continue
		}
		g, ok := names[m.Group]
		if !ok {
			g, names[m.Group] = m.Group, m.Group
		}
		k.people[i].Groups = append(k.people[i].Groups, g)
	}
	for i := range k.people {
		slices.Sort(k.people[i].Groups) // as checkPerson sorts a directory's, whatever the database's collation
	}
	return k, nil
}

func newKnown(c allot.Company, people []Known) *known {
	k := &known{c: c, people: people, byAnchor: make(map[string]int, len(people)), byEmail: make(map[string]int, len(people))}
	for i, p := range people {
		if p.ProvisionedBy == c.ID && p.Anchor != "" {
			k.byAnchor[p.Anchor] = i
		}
		k.byEmail[p.Email] = i
	}
	return k
}

// find returns the index of the person in is: by anchor, else by e-mail
// among the company's people, present or removed; false when there is
// none, and then the e-mail is to be looked up outside the company. An
// e-mail of a person provisioned here who belongs to another company is
// ECONFLICT.
func (k *known) find(in Person) (int, bool, error) {
	if i, ok := k.byAnchor[in.ExternalID]; ok {
		return i, true, nil
	}
	i, ok := k.byEmail[in.Email]
	switch {
	case !ok:
		return -1, false, nil
	case k.people[i].CompanyID != k.c.ID:
		return -1, false, outside(k.c, in.Email)
	}
	return i, true, nil
}

// outside is the error of a directory's person whose e-mail is another
// company's person's.
func outside(c allot.Company, email string) error {
	return &allot.Error{Code: allot.ECONFLICT, Field: "email", Message: email + " has an account outside " + c.Name}
}

// unchanged reports whether person i is as in says, and held as active or
// inactive as in is.
func (k *known) unchanged(i int, in Person) bool {
	p := k.people[i]
	same := p.Provisioned && p.Anchor == in.ExternalID && p.Active == in.Active && (!in.Active || !p.Removed) &&
		p.Email == in.Email && p.FirstName == in.FirstName && p.LastName == in.LastName &&
		p.Department == in.Department && p.Manager == in.Manager
	return same && (in.Groups == nil || slices.Equal(p.Groups, in.Groups))
}

// learners counts the company's learners, as its people list shows them:
// the share of them a run deprovisions is held to the safety limit.
func (k *known) learners() int {
	n := 0
	for _, p := range k.people {
		if p.CompanyID == k.c.ID && p.Role == allot.RoleLearner && !p.Removed && !p.Pending {
			n++
		}
	}
	return n
}

// knownOne reads what a run would know of one person in company c: the
// person in is by anchor, else by e-mail among everyone, as find says; -1
// when there is none.
func knownOne(tx Tx, c allot.Company, in Person) (*known, int, error) {
	k := newKnown(c, nil)
	prov, err := tx.ProvisionedByAnchor(c.ID, in.ExternalID)
	var u allot.User
	switch allot.ErrorCode(err) {
	case "":
		if u, err = tx.User(prov.UserID); err != nil {
			return nil, -1, err
		}
	case allot.ENOTFOUND:
		u, err = tx.UserByEmail(in.Email)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			return k, -1, nil
		case err != nil:
			return nil, -1, err
		case u.CompanyID != c.ID:
			return nil, -1, outside(c, in.Email)
		}
	default:
		return nil, -1, err
	}
	p := Known{UserID: u.ID, CompanyID: u.CompanyID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		Department: u.Department, Manager: u.Manager, ExternalID: u.ExternalID, Role: u.Role, Removed: !u.RemovedAt.IsZero(),
		Pending: u.Pending}
	prov, err = tx.ProvisionedUser(u.ID)
	switch allot.ErrorCode(err) {
	case "":
		p.Provisioned, p.ProvisionedBy, p.Anchor, p.Active = true, prov.CompanyID, prov.Anchor, prov.Active
	case allot.ENOTFOUND:
	default:
		return nil, -1, err
	}
	if p.Groups, err = tx.GroupsOf(u.ID); err != nil {
		return nil, -1, err
	}
	slices.Sort(p.Groups)
	k.people = append(k.people, p)
	return k, 0, nil
}
