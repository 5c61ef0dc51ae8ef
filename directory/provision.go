package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
)

// Provision adds or updates in company companyID the person a directory
// gives (ActManageUsers). The person is found by their anchor, else by
// e-mail among the company's people (one removed from it comes back); a
// new e-mail keeps the person and their seats. An active person holds a
// seat of each product they are owed (those of the mapped groups they are
// in, or the default product), or waits for one; an inactive one holds
// none: their seats are released (allot.ReasonDeprovisioned) and they wait
// for nothing. A bad field is EINVALID naming it; an e-mail of
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
	k, at, err := knownOne(tx, c, in)
	if err != nil {
		return allot.User{}, err
	}
	ids, err := s.provisionAll(tx, p, c, k, []change{{in, at}})
	if err != nil {
		return allot.User{}, err
	}
	return tx.User(ids[0])
}

// applyDiff provisions and deprovisions as d says, in the caller's
// transaction.
func (s *Service) applyDiff(tx Tx, p allot.Principal, c allot.Company, d diff) error {
	if _, err := s.provisionAll(tx, p, c, d.known, d.provision); err != nil {
		return err
	}
	return s.deprovisionAll(tx, p, c, d.known, d.deprovision)
}

// provisionAll adds the new people of the changes and updates the others
// (a removed one who is active comes back), keeps their anchors and
// groups, and then their seats follow: an active person holds a seat of
// each product they are owed, or waits for one; an inactive one holds none
// and waits for nothing. It returns the people's user IDs, in order. Each
// step is a few statements for all of them, so that a directory of
// thousands costs about what one person does, times the rows written.
func (s *Service) provisionAll(tx Tx, p allot.Principal, c allot.Company, k *known, changes []change) ([]int64, error) {
	ids := make([]int64, len(changes))
	for i, ch := range changes {
		if ch.known >= 0 {
			ids[i] = k.people[ch.known].UserID
		}
	}
	if err := s.createPeople(tx, p, c, changes, ids); err != nil {
		return nil, err
	}
	if err := s.updatePeople(tx, p, c, changes, ids); err != nil {
		return nil, err
	}
	if err := s.keepProvisioned(tx, c, k, changes, ids); err != nil {
		return nil, err
	}
	var (
		active, inactive []int64
		groups           [][]string // of each active user
	)
	for i, ch := range changes {
		if !ch.in.Active {
			inactive = append(inactive, ids[i])
			continue
		}
		g := ch.in.Groups
		if g == nil && ch.known >= 0 {
			g = k.people[ch.known].Groups
		}
		active, groups = append(active, ids[i]), append(groups, g)
	}
	if err := s.releaseAll(tx, p, c, inactive); err != nil {
		return nil, err
	}
	return ids, s.seatOwed(tx, p, c, active, groups)
}

// addChunk is how many people createPeople adds at once, and how many
// audit events it makes before storing them: what it holds in memory
// besides the changes stays small.
const addChunk = 5000

// createPeople adds the new people of the changes as learners of company
// c, each with their audit event, a few statements for each addChunk of
// them, and writes their IDs into ids; none gets a seat yet.
func (s *Service) createPeople(tx Tx, p allot.Principal, c allot.Company, changes []change, ids []int64) error {
	like := importedLearner(c.ID)
	like.CreatedAt = s.Ledger.Clock.Now()
	e := s.Ledger.AuditEvent(p, c, "user.add")
	e.SubjectType = "user"
	var (
		people []Person
		at     []int
	)
	add := func() error {
		if len(people) == 0 {
			return nil
		}
		created, err := tx.CreateProvisionedUsers(like, people)
		switch {
		case allot.ErrorCode(err) == allot.ECONFLICT && len(changes) == 1:
			return &allot.Error{Code: allot.ECONFLICT, Field: "email", Message: people[0].Email + " already has an account"}
		case allot.ErrorCode(err) == allot.ECONFLICT:
			return &allot.Error{Code: allot.ECONFLICT, Field: "email", Message: "an e-mail of the directory's people already has an account"}
		case err != nil:
			return fmt.Errorf("add the directory's people: %w", err)
		}
		events := make([]allot.Event, len(created))
		for j, id := range created {
			u, in := like, people[j]
			u.ID, u.Email, u.FirstName, u.LastName, u.Department, u.Manager, u.ExternalID = id, in.Email, in.FirstName,
				in.LastName, in.Department, in.Manager, in.ExternalID
			e.SubjectID, e.After = id, allot.AuditJSON(u)
			events[j], ids[at[j]] = e, id
		}
		people, at = people[:0], at[:0]
		return tx.AddEvents(events)
	}
	for i, ch := range changes {
		if ch.known >= 0 {
			continue
		}
		if people, at = append(people, ch.in), append(at, i); len(people) == addChunk {
			if err := add(); err != nil {
				return err
			}
		}
	}
	return add()
}

// usersChunk is how many users updatePeople reads at once.
const usersChunk = 1000

// updatePeople saves the fields of the changes' people who were known,
// and records each change in the audit log.
func (s *Service) updatePeople(tx Tx, p allot.Principal, c allot.Company, changes []change, ids []int64) error {
	var at []int
	for i, ch := range changes {
		if ch.known >= 0 {
			at = append(at, i)
		}
	}
	e := s.Ledger.AuditEvent(p, c, "user.update")
	e.SubjectType = "user"
	for len(at) > 0 {
		chunk := at[:min(len(at), usersChunk)]
		at = at[len(chunk):]
		want := make([]int64, len(chunk))
		for j, i := range chunk {
			want[j] = ids[i]
		}
		users, err := tx.Users(allot.UserFilter{IDs: want, IncludeRemoved: true, IncludePending: true, Limit: len(want) + 1})
		if err != nil {
			return err
		}
		byID := make(map[int64]allot.User, len(users))
		for _, u := range users {
			byID[u.ID] = u
		}
		var events []allot.Event
		for _, i := range chunk {
			in := changes[i].in
			u, ok := byID[ids[i]]
			if !ok {
				return allot.NotFound("user")
			}
			before := u
			u.Email, u.FirstName, u.LastName, u.Department, u.Manager, u.ExternalID = in.Email, in.FirstName, in.LastName,
				in.Department, in.Manager, in.ExternalID
			if in.Active {
				u.RemovedAt = time.Time{} // one removed from the company comes back
			}
			if u == before {
				continue
			}
			if err := tx.UpdateUser(u); allot.ErrorCode(err) == allot.ECONFLICT {
				return &allot.Error{Code: allot.ECONFLICT, Field: "email", Message: in.Email + " already has an account"}
			} else if err != nil {
				return err
			}
			e.SubjectID, e.Before, e.After = u.ID, allot.AuditJSON(before), allot.AuditJSON(u)
			events = append(events, e)
		}
		if err := tx.AddEvents(events); err != nil {
			return err
		}
	}
	return nil
}

// keepProvisioned keeps each person's anchor and whether the directory
// holds them active, and the groups it gives of them where they changed.
func (s *Service) keepProvisioned(tx Tx, c allot.Company, k *known, changes []change, ids []int64) error {
	now := s.Ledger.Clock.Now()
	provs := make([]Provisioned, len(changes))
	var (
		grouped []int64
		members []Membership
	)
	for i, ch := range changes {
		provs[i] = Provisioned{UserID: ids[i], CompanyID: c.ID, Anchor: ch.in.ExternalID, Active: ch.in.Active, UpdatedAt: now}
		switch {
		case ch.in.Groups == nil, ch.known < 0 && len(ch.in.Groups) == 0,
			ch.known >= 0 && slices.Equal(k.people[ch.known].Groups, ch.in.Groups):
			continue
		}
		grouped = append(grouped, ids[i])
		for _, g := range ch.in.Groups {
			members = append(members, Membership{UserID: ids[i], Group: g})
		}
	}
	if err := tx.SaveProvisionedAll(provs); err != nil {
		return err
	}
	return tx.SetGroupsOfAll(c.ID, grouped, members)
}

// deprovisionAll marks the known people at the places given inactive, as
// their directory no longer holds them, and takes their seats back.
func (s *Service) deprovisionAll(tx Tx, p allot.Principal, c allot.Company, k *known, at []int) error {
	if len(at) == 0 {
		return nil
	}
	now := s.Ledger.Clock.Now()
	provs := make([]Provisioned, len(at))
	ids := make([]int64, len(at))
	for j, i := range at {
		kp := k.people[i]
		provs[j] = Provisioned{UserID: kp.UserID, CompanyID: kp.ProvisionedBy, Anchor: kp.Anchor, Active: false, UpdatedAt: now}
		ids[j] = kp.UserID
	}
	if err := tx.SaveProvisionedAll(provs); err != nil {
		return err
	}
	return s.releaseAll(tx, p, c, ids)
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

// decides returns the products whose seats the directory decides for
// company c: those of its mapped groups when it maps groups, else its
// default product.
func decides(c allot.Company, mappings []GroupMapping) []int64 {
	if len(mappings) == 0 {
		if c.DefaultProductID == 0 {
			return nil
		}
		return []int64{c.DefaultProductID}
	}
	var out []int64
	for _, m := range mappings {
		if !slices.Contains(out, m.ProductID) {
			out = append(out, m.ProductID)
		}
	}
	return out
}

// owes returns the products the directory decides that a person in groups
// is owed: those of the mapped groups they are in, or the default product
// when company c maps none.
func owes(c allot.Company, mappings []GroupMapping, groups []string) []int64 {
	if len(mappings) == 0 {
		return decides(c, nil)
	}
	var out []int64
	for _, m := range mappings {
		if slices.Contains(groups, m.Group) && !slices.Contains(out, m.ProductID) {
			out = append(out, m.ProductID)
		}
	}
	return out
}

// seatOwed gives each of the users, in the groups given, a seat of each
// product they are owed and do not hold nor wait for; beyond the free
// seats they wait. A seat of a product the directory decides and no longer
// owes them goes back to its pool first, and they stop waiting for such a
// product; seats of other products, given by hand, stay. Seats are given a
// product at a time, to all its users at once, in the users' order.
func (s *Service) seatOwed(tx Tx, p allot.Principal, c allot.Company, userIDs []int64, groups [][]string) error {
	if len(userIDs) == 0 {
		return nil
	}
	mappings, err := tx.GroupMappings(c.ID)
	if err != nil {
		return err
	}
	decided := decides(c, mappings)
	if len(decided) == 0 {
		return nil
	}
	held, waiting, err := s.seatsOf(tx, c, userIDs, decided)
	if err != nil {
		return err
	}
	grants := map[int64][]int64{}
	unwait := map[int64][]int64{}
	var releases []allot.Seat
	for i, id := range userIDs {
		owed := owes(c, mappings, groups[i])
		for _, product := range owed {
			holds := slices.ContainsFunc(held[id], func(st allot.Seat) bool { return st.ProductID == product })
			if !holds && !waiting[product][id] {
				grants[product] = append(grants[product], id)
			}
		}
		for _, st := range held[id] {
			if slices.Contains(decided, st.ProductID) && !slices.Contains(owed, st.ProductID) {
				releases = append(releases, st)
			}
		}
		for _, product := range decided {
			if waiting[product][id] && !slices.Contains(owed, product) {
				unwait[product] = append(unwait[product], id)
			}
		}
	}
	for _, st := range releases {
		if _, err := s.Ledger.ReleaseSeat(tx, p, c, st, allot.ReasonDeprovisioned); err != nil {
			return err
		}
	}
	for _, product := range decided {
		if len(unwait[product]) > 0 {
			if err := tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: unwait[product], ProductID: product}); err != nil {
				return err
			}
		}
		// The kernel reads every learner of a grant to tell them of their
		// seat: grants of grantChunk learners keep that small.
		for users := range slices.Chunk(grants[product], grantChunk) {
			if _, err := s.Ledger.GrantSeats(tx, p, allot.SeatGrant{Company: c, ProductID: product, UserIDs: users,
				Wait: true, Action: "seat.provision"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// grantChunk is how many learners one GrantSeats of seatOwed gives seats
// to. The seats go in the same order as in one grant: a grant takes the
// free seats before the next one starts.
const grantChunk = 5000

// seatsOf returns the users' live seats, by user, and who of them waits
// for each of the products, by product.
func (s *Service) seatsOf(tx Tx, c allot.Company, userIDs, products []int64) (map[int64][]allot.Seat, map[int64]map[int64]bool, error) {
	seats, err := tx.Seats(allot.SeatFilter{UserIDs: userIDs, LiveAt: s.Ledger.Clock.Now()})
	if err != nil {
		return nil, nil, err
	}
	held := map[int64][]allot.Seat{}
	for _, st := range seats {
		held[st.UserID] = append(held[st.UserID], st)
	}
	waiting := map[int64]map[int64]bool{}
	for _, product := range products {
		list, err := tx.WaitingList(allot.WaitingListParams{CompanyID: c.ID, ProductID: product})
		if err != nil {
			return nil, nil, err
		}
		waiting[product] = make(map[int64]bool, len(list))
		for _, w := range list {
			waiting[product][w.UserID] = true
		}
	}
	return held, waiting, nil
}

// releaseAll releases the users' live seats, of every product, and takes
// them off every waiting list: their directory no longer holds them active.
func (s *Service) releaseAll(tx Tx, p allot.Principal, c allot.Company, userIDs []int64) error {
	if len(userIDs) == 0 {
		return nil
	}
	held, err := tx.Seats(allot.SeatFilter{UserIDs: userIDs, LiveAt: s.Ledger.Clock.Now()})
	if err != nil {
		return err
	}
	for _, seat := range held {
		if _, err := s.Ledger.ReleaseSeat(tx, p, c, seat, allot.ReasonDeprovisioned); err != nil {
			return err
		}
	}
	return tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: userIDs})
}

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
		if err := s.releaseAll(tx, p, c, []int64{u.ID}); err != nil {
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
