package storetest

import (
	"fmt"
	"testing"
	"time"

	"allot"
)

var userTests = []test{
	{"RoundTrip", testUserRoundTrip},
	{"DuplicateEmail", testUserDuplicateEmail},
	{"Update", testUserUpdate},
	{"Filter", testUserFilter},
	{"Paging", testUserPaging},
	{"ByEmail", testUsersByEmail},
}

func testUserRoundTrip(t *testing.T, s Stores) {
	w := seed(t, s)
	u := allot.User{Email: "ann.lee@acme.test", FirstName: "Ann", LastName: "Lee", Department: "Sales",
		Role: allot.RoleCompanyManager, CompanyID: w.acme.ID, PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
		LastLoginAt: t0.Add(-2 * day).In(elsewhere), CreatedAt: t0.Add(-30 * day).In(elsewhere), RemovedAt: t0.Add(-day)}
	pm := allot.User{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID, CreatedAt: t0}
	us := addUsers(t, s, u, pm)
	u, pm = us[0], us[1]
	want := u
	want.LastLoginAt, want.CreatedAt = u.LastLoginAt.UTC(), u.CreatedAt.UTC()

	got := read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.User(u.ID) })
	same(t, "User", got, want)
	got = read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.UserByEmail("ann.lee@acme.test") })
	same(t, "UserByEmail", got, want)
	got = read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.User(pm.ID) })
	same(t, "partner manager", got, pm)

	wantCode(t, "User of a missing ID", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.User(pm.ID + 100)
		return err
	}), allot.ENOTFOUND)
	wantCode(t, "UserByEmail of an unknown e-mail", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.UserByEmail("nobody@acme.test")
		return err
	}), allot.ENOTFOUND)
}

func testUserDuplicateEmail(t *testing.T, s Stores) {
	w := seed(t, s)
	a, b := learner(w.acme, "a@acme.test"), learner(w.direct, "b@direct.test")
	us := addUsers(t, s, a, b)
	a, b = us[0], us[1]

	dup := learner(w.direct, "a@acme.test")
	wantCode(t, "CreateUser with a taken e-mail", writeErr(t, s, func(tx allot.Tx) error { return tx.CreateUser(&dup) }),
		allot.ECONFLICT)
	moved := b
	moved.Email = "a@acme.test"
	wantCode(t, "UpdateUser to a taken e-mail", writeErr(t, s, func(tx allot.Tx) error { return tx.UpdateUser(moved) }),
		allot.ECONFLICT)

	got := read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.UserByEmail("a@acme.test") })
	same(t, "the e-mail's owner", got, a)
	got = read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.User(b.ID) })
	same(t, "the user not updated", got, b)
	all := read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.Users(allot.UserFilter{}) })
	sameIDs(t, "Users", all, userID, a.ID, b.ID)
}

func testUserUpdate(t *testing.T, s Stores) {
	w := seed(t, s)
	u := learner(w.acme, "old@acme.test")
	u.LastLoginAt = t0.Add(-day)
	other := learner(w.acme, "other@acme.test")
	us := addUsers(t, s, u, other)
	u, other = us[0], us[1]

	up := u
	up.Email, up.FirstName, up.LastName, up.Department = "new@direct.test", "Bea", "Ng", "Support"
	up.Role, up.PartnerID, up.CompanyID, up.PasswordHash = allot.RoleCompanyManager, 0, w.direct.ID, "hash"
	up.RemovedAt = t0.In(elsewhere)
	write(t, s, func(tx allot.Tx) error { return tx.UpdateUser(up) })
	want := up
	want.RemovedAt = t0
	got := read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.User(u.ID) })
	same(t, "updated User", got, want)
	wantCode(t, "UserByEmail of the old e-mail", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.UserByEmail("old@acme.test")
		return err
	}), allot.ENOTFOUND)

	write(t, s, func(tx allot.Tx) error { return tx.TouchLogin(u.ID, t0.Add(time.Hour).In(elsewhere)) })
	want.LastLoginAt = t0.Add(time.Hour)
	got = read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.User(u.ID) })
	same(t, "User after TouchLogin", got, want)
	got = read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.User(other.ID) })
	same(t, "the other user", got, other)

	wantCode(t, "UpdateUser of a missing ID", writeErr(t, s, func(tx allot.Tx) error {
		return tx.UpdateUser(allot.User{ID: other.ID + 100, Email: "ghost@acme.test", Role: allot.RoleLearner})
	}), allot.ENOTFOUND)
	wantCode(t, "TouchLogin of a missing ID", writeErr(t, s, func(tx allot.Tx) error {
		return tx.TouchLogin(other.ID+100, t0)
	}), allot.ENOTFOUND)
}

func testUserFilter(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s,
		allot.User{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin},                                      // 0
		allot.User{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID},            // 1
		allot.User{Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID, LastLoginAt: t0}, // 2
		allot.User{Email: "ann@acme.test", FirstName: "Ann", LastName: "Lee", Role: allot.RoleLearner, // 3
			CompanyID: w.acme.ID, LastLoginAt: t0.Add(-10 * day)},
		allot.User{Email: "bob@acme.test", FirstName: "Bob", LastName: "Annan", Role: allot.RoleLearner, CompanyID: w.acme.ID},    // 4
		allot.User{Email: "gone@acme.test", Role: allot.RoleLearner, CompanyID: w.acme.ID, RemovedAt: t0},                         // 5
		allot.User{Email: "a_b@direct.test", Role: allot.RoleLearner, CompanyID: w.direct.ID, LastLoginAt: t0.Add(-day)},          // 6
		allot.User{Email: "axb@direct.test", FirstName: "ZOË", LastName: "100%", Role: allot.RoleLearner, CompanyID: w.direct.ID}, // 7
		allot.User{Email: "cm1000@direct.test", FirstName: "Dee", LastName: "O'Hara", Role: allot.RoleCompanyManager, // 8
			CompanyID: w.direct.ID, LastLoginAt: t0.Add(-5 * day)},
	)
	id := func(is ...int) []int64 {
		var out []int64
		for _, i := range is {
			out = append(out, us[i].ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    allot.UserFilter
		want []int64
	}{
		{"all but removed", allot.UserFilter{}, id(0, 1, 2, 3, 4, 6, 7, 8)},
		{"include removed", allot.UserFilter{IncludeRemoved: true}, id(0, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"company", allot.UserFilter{CompanyID: w.acme.ID}, id(2, 3, 4)},
		{"company with removed", allot.UserFilter{CompanyID: w.acme.ID, IncludeRemoved: true}, id(2, 3, 4, 5)},
		{"partner", allot.UserFilter{PartnerID: w.partner.ID}, id(1)},
		{"one role", allot.UserFilter{Roles: []allot.Role{allot.RoleLearner}}, id(3, 4, 6, 7)},
		{"two roles", allot.UserFilter{Roles: []allot.Role{allot.RoleCompanyManager, allot.RoleVendorAdmin}}, id(0, 2, 8)},
		{"company and role", allot.UserFilter{CompanyID: w.direct.ID, Roles: []allot.Role{allot.RoleCompanyManager}}, id(8)},
		{"search e-mail", allot.UserFilter{Search: "@direct"}, id(6, 7, 8)},
		{"search e-mail any case", allot.UserFilter{Search: "BOB@"}, id(4)},
		{"search e-mail and names", allot.UserFilter{Search: "ann"}, id(1, 3, 4)},
		{"search last name any case", allot.UserFilter{Search: "o'HARA"}, id(8)},
		{"search full name", allot.UserFilter{Search: "ann lee"}, id(3)},
		{"search accented letters any case", allot.UserFilter{Search: "zoë"}, id(7)},
		{"search underscore is literal", allot.UserFilter{Search: "a_b"}, id(6)},
		{"search percent is literal", allot.UserFilter{Search: "100%"}, id(7)},
		{"search without match", allot.UserFilter{Search: "carol"}, nil},
		{"never logged in", allot.UserFilter{NeverLoggedIn: true}, id(0, 1, 4, 7)},
		{"never logged in, in a company", allot.UserFilter{CompanyID: w.acme.ID, NeverLoggedIn: true}, id(4)},
		{"inactive since", allot.UserFilter{InactiveSince: t0.Add(-5 * day)}, id(0, 1, 3, 4, 7)},
		{"inactive since, boundary excluded", allot.UserFilter{InactiveSince: t0.Add(-5*day + time.Microsecond)},
			id(0, 1, 3, 4, 7, 8)},
		{"inactive learners", allot.UserFilter{InactiveSince: t0, Roles: []allot.Role{allot.RoleLearner}}, id(3, 4, 6, 7)},
		{"after ID", allot.UserFilter{AfterID: us[4].ID}, id(6, 7, 8)},
		{"limit", allot.UserFilter{Limit: 2}, id(0, 1)},
		{"everything", allot.UserFilter{CompanyID: w.acme.ID, Roles: []allot.Role{allot.RoleLearner}, Search: "acme",
			NeverLoggedIn: true, InactiveSince: t0, IncludeRemoved: true, AfterID: us[3].ID, Limit: 1}, id(4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.Users(tc.f) })
			sameIDs(t, "Users", got, userID, tc.want...)
		})
	}
	t.Run("found users are whole", func(t *testing.T) {
		got := read(t, s, func(tx allot.Tx) ([]allot.User, error) {
			return tx.Users(allot.UserFilter{Search: "ann lee"})
		})
		if len(got) == 1 {
			same(t, "found user", got[0], us[3])
		}
	})
}

func testUserPaging(t *testing.T, s Stores) {
	w := seed(t, s)
	var us []allot.User
	for _, e := range []string{"p1@acme.test", "p2@acme.test", "p3@acme.test", "p4@acme.test", "p5@acme.test"} {
		us = append(us, learner(w.acme, e))
	}
	us = addUsers(t, s, us...)
	var pages [][]int64
	after := int64(0)
	for range len(us) {
		page := read(t, s, func(tx allot.Tx) ([]allot.User, error) {
			return tx.Users(allot.UserFilter{CompanyID: w.acme.ID, AfterID: after, Limit: 2})
		})
		if len(page) == 0 {
			break
		}
		var ids []int64
		for _, u := range page {
			ids = append(ids, u.ID)
		}
		pages = append(pages, ids)
		after = page[len(page)-1].ID
	}
	want := [][]int64{{us[0].ID, us[1].ID}, {us[2].ID, us[3].ID}, {us[4].ID}}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("pages of 2 users: %v, want %v", pages, want)
	}
}

// testUsersByEmail asks for more e-mails than one look-up takes.
func testUsersByEmail(t *testing.T, s Stores) {
	w := seed(t, s)
	const n = 1100
	var us []allot.User
	for i := range n {
		c := w.acme
		if i%2 == 1 {
			c = w.direct
		}
		us = append(us, learner(c, fmt.Sprintf("u%04d@example.test", i)))
	}
	gone := learner(w.acme, "gone@acme.test")
	gone.RemovedAt = t0
	us = append(us, allot.User{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin},
		allot.User{Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID}, gone)
	us = addUsers(t, s, us...)

	var (
		emails []string
		want   []int64
	)
	for i := range n + 100 {
		if i%7 == 0 {
			continue
		}
		emails = append(emails, fmt.Sprintf("u%04d@example.test", i)) // those from n on are unknown
		if i < n {
			want = append(want, us[i].ID)
		}
	}
	for _, u := range us[n:] {
		emails = append(emails, u.Email)
		want = append(want, u.ID)
	}
	emails = append(emails, "nobody@acme.test")
	got := read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.UsersByEmail(emails) })
	sameIDSet(t, fmt.Sprintf("UsersByEmail of %d e-mails", len(emails)), got, userID, want...)
	for _, u := range got {
		if u.ID == us[n+1].ID {
			same(t, "found user", u, us[n+1])
		}
	}

	got = read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.UsersByEmail([]string{us[5].Email}) })
	sameIDs(t, "UsersByEmail of one e-mail", got, userID, us[5].ID)
	if len(got) == 1 {
		same(t, "found user", got[0], us[5])
	}
	for _, tc := range []struct {
		name   string
		emails []string
	}{{"nil", nil}, {"empty", []string{}}, {"unknown", []string{"nobody@acme.test", "u9999@example.test"}}} {
		got := read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.UsersByEmail(tc.emails) })
		sameIDs(t, "UsersByEmail of "+tc.name+" e-mails", got, userID)
	}
}
