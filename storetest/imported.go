package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"allot/directory"

	"allot"
)

var importedUserTests = []test{
	{"Create", testCreateImportedUsers},
	{"CreateTaken", testCreateImportedUsersTaken},
	{"Update", testUpdateImportedUsers},
	{"Record", testRecordImportedUsers},
}

// createRow is a row of an import that creates a learner.
func createRow(line, seq int, email string) directory.ImportRow {
	return directory.ImportRow{Line: line, Seq: seq, Email: email, Action: directory.RowCreate}
}

// importedLearner is the user like whom the tests create imported users in
// company companyID at at, in a language and zone other than the defaults.
func importedLearner(companyID int64, at time.Time) allot.User {
	return allot.User{Role: allot.RoleLearner, CompanyID: companyID, Lang: "fr", Zone: "Europe/Paris", CreatedAt: at}
}

// createImported creates the users of import imp in its company, and
// returns their IDs.
func createImported(t *testing.T, s Stores, imp directory.Import, at time.Time) []int64 {
	t.Helper()
	var ids []int64
	write(t, s.Directory(), func(tx directory.Tx) error {
		var err error
		ids, err = tx.CreateImportedUsers(imp.ID, importedLearner(imp.CompanyID, at))
		return err
	})
	return ids
}

// byEmail returns the user with the given e-mail.
func byEmail(t *testing.T, s Stores, email string) allot.User {
	t.Helper()
	return read(t, s.Directory(), func(tx directory.Tx) (allot.User, error) { return tx.UserByEmail(email) })
}

// emails returns the e-mails of every user, removed ones included, sorted.
func emails(t *testing.T, s Stores) []string {
	t.Helper()
	us := read(t, s.Directory(), func(tx directory.Tx) ([]allot.User, error) { return tx.Users(allot.UserFilter{IncludeRemoved: true}) })
	var out []string
	for _, u := range us {
		out = append(out, u.Email)
	}
	slices.Sort(out)
	return out
}

// sameEmails fails the test when the store's users are not those with
// the e-mails want.
func sameEmails(t *testing.T, what string, s Stores, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := emails(t, s); !slices.Equal(got, want) {
		t.Errorf("%s: users %v, want %v", what, got, want)
	}
}

// afterJSON returns the fields of an event's After.
func afterJSON(t *testing.T, e allot.Event) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(e.After), &m); err != nil {
		t.Errorf("event %d (%s): After %q is not a JSON object: %v", e.ID, e.Action, e.After, err)
	}
	return m
}

func testCreateImportedUsers(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "known@acme.test"), learner(w.acme, "same@acme.test"))
	known, unchanged := us[0], us[1]
	imp := addImport(t, s, w.acme, t0)
	other := addImport(t, s, w.acme, t0)
	updates := addImport(t, s, w.acme, t0)
	zoe := directory.ImportRow{Line: 2, Seq: 1, Email: "zoe@acme.test", FirstName: "Zoë", LastName: "O'Hara", Department: "R&D",
		Manager: "ann@acme.test", ExternalID: "E-0002", Action: directory.RowCreate}
	dee := directory.ImportRow{Line: 6, Seq: 2, Email: "dee@acme.test", FirstName: "Dee", Action: directory.RowCreate}
	stage(t, s, imp, zoe,
		directory.ImportRow{Line: 3, Email: known.Email, FirstName: "Kim", UserID: known.ID, Action: directory.RowUpdate},
		directory.ImportRow{Line: 4, Email: unchanged.Email, UserID: unchanged.ID, Action: directory.RowUnchanged},
		directory.ImportRow{Line: 5, Email: "err@acme.test", Action: directory.RowError, Reason: "a bad row"},
		dee)
	stage(t, s, other, createRow(2, 1, "other@acme.test"))
	stage(t, s, updates, directory.ImportRow{Line: 2, Email: known.Email, FirstName: "Kim", UserID: known.ID,
		Action: directory.RowUpdate})

	ids := createImported(t, s, imp, t0.Add(time.Hour).In(elsewhere))
	sameEmails(t, "after CreateImportedUsers", s, known.Email, unchanged.Email, zoe.Email, dee.Email)
	if want := []int64{byEmail(t, s, zoe.Email).ID, byEmail(t, s, dee.Email).ID}; !slices.Equal(ids, want) {
		t.Errorf("CreateImportedUsers = %v, want the IDs of the users made, in the rows' order: %v", ids, want)
	}
	for _, r := range []directory.ImportRow{zoe, dee} {
		got := byEmail(t, s, r.Email)
		want := allot.User{ID: got.ID, Email: r.Email, FirstName: r.FirstName, LastName: r.LastName, Department: r.Department,
			Manager: r.Manager, ExternalID: r.ExternalID, Role: allot.RoleLearner, CompanyID: w.acme.ID, Lang: "fr", Zone: "Europe/Paris",
			CreatedAt: t0.Add(time.Hour)}
		same(t, "created user", got, want)
	}
	same(t, "the user of the update row", byEmail(t, s, known.Email), known)
	for _, tc := range []struct {
		search string
		want   string
	}{{"zoë o'hara", zoe.Email}, {"DEE@acme", dee.Email}, {"dee", dee.Email}} {
		got := read(t, s.Directory(), func(tx directory.Tx) ([]allot.User, error) {
			return tx.Users(allot.UserFilter{CompanyID: w.acme.ID, Search: tc.search})
		})
		if len(got) != 1 || got[0].Email != tc.want {
			t.Errorf("Users searching %q: %+v, want %s", tc.search, got, tc.want)
		}
	}
	if ids := createImported(t, s, updates, t0); len(ids) != 0 {
		t.Errorf("CreateImportedUsers of an import with no row to create = %v, want none", ids)
	}
	sameEmails(t, "after creating nothing", s, known.Email, unchanged.Email, zoe.Email, dee.Email)
}

// testCreateImportedUsersTaken checks that an import creating a user whose
// e-mail is taken creates nobody.
func testCreateImportedUsersTaken(t *testing.T, s Stores) {
	w := seed(t, s)
	taken := addUsers(t, s, learner(w.direct, "taken@direct.test"))[0]
	imp := addImport(t, s, w.acme, t0)
	stage(t, s, imp, createRow(2, 1, "fresh1@acme.test"), createRow(3, 2, taken.Email), createRow(4, 3, "fresh2@acme.test"))
	wantCode(t, "CreateImportedUsers with a taken e-mail", writeErr(t, s.Directory(), func(tx directory.Tx) error {
		_, err := tx.CreateImportedUsers(imp.ID, importedLearner(w.acme.ID, t0))
		return err
	}), allot.ECONFLICT)
	sameEmails(t, "after the refused import", s, taken.Email)
	same(t, "the user whose e-mail was taken", byEmail(t, s, taken.Email), taken)

	// A transaction that created users and then fails keeps none of them.
	fresh := addImport(t, s, w.acme, t0)
	stage(t, s, fresh, createRow(2, 1, "fresh1@acme.test"), createRow(3, 2, "fresh2@acme.test"))
	changed := errors.New("the company changed since the preview")
	err := s.Directory().Write(t.Context(), func(tx directory.Tx) error {
		if ids, err := tx.CreateImportedUsers(fresh.ID, importedLearner(w.acme.ID, t0)); err != nil || len(ids) != 2 {
			return fmt.Errorf("CreateImportedUsers = %v, %v; want 2 IDs", ids, err)
		}
		return changed
	})
	if err != changed {
		t.Errorf("Write = %v, want fn's error", err)
	}
	sameEmails(t, "after the rolled back import", s, taken.Email)
}

func testUpdateImportedUsers(t *testing.T, s Stores) {
	w := seed(t, s)
	a := learner(w.acme, "a@acme.test")
	a.FirstName, a.LastName, a.Department, a.Manager, a.ExternalID = "Ann", "Lee", "Sales", "m@acme.test", "A1"
	a.PasswordHash, a.Lang, a.Zone, a.LastLoginAt = "hash", "fr", "Europe/Paris", t0.Add(-day)
	b := allot.User{Email: "b@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID}
	removed := learner(w.acme, "r@acme.test")
	removed.RemovedAt = t0.Add(-day)
	us := addUsers(t, s, a, b, learner(w.direct, "c@direct.test"), removed,
		learner(w.acme, "d@acme.test"), learner(w.acme, "e@acme.test"), learner(w.acme, "f@acme.test"))
	a, b, c, r, d, e, f := us[0], us[1], us[2], us[3], us[4], us[5], us[6]
	row := func(line int, u allot.User, first string, action directory.RowAction) directory.ImportRow {
		return directory.ImportRow{Line: line, UserID: u.ID, Email: u.Email, FirstName: first, LastName: "New",
			Department: "Dept " + first, Manager: "boss@acme.test", ExternalID: "X-" + first, Action: action}
	}
	imp := addImport(t, s, w.acme, t0)
	other := addImport(t, s, w.acme, t0)
	ra, rb := row(2, a, "Anna", directory.RowUpdate), row(3, b, "Bea", directory.RowUpdate)
	stage(t, s, imp, ra, rb,
		row(4, c, "Cat", directory.RowUpdate),    // of another company
		row(5, r, "Rae", directory.RowUpdate),    // removed
		row(6, d, "Dan", directory.RowUnchanged), // not to update
		row(7, e, "Eve", directory.RowError),
		createRow(8, 1, "new@acme.test"))
	stage(t, s, other, row(2, f, "Fay", directory.RowUpdate), row(3, a, "Other", directory.RowUpdate))

	var n int
	write(t, s.Directory(), func(tx directory.Tx) error {
		var err error
		n, err = tx.UpdateImportedUsers(directory.UpdateImportedUsersParams{ImportID: imp.ID, CompanyID: w.acme.ID})
		return err
	})
	if n != 2 {
		t.Errorf("UpdateImportedUsers = %d, want 2: the rows of a user of another company or removed are not applied", n)
	}
	for _, tc := range []struct {
		u allot.User
		r directory.ImportRow
	}{{a, ra}, {b, rb}} {
		want := tc.u
		want.FirstName, want.LastName, want.Department, want.Manager, want.ExternalID =
			tc.r.FirstName, tc.r.LastName, tc.r.Department, tc.r.Manager, tc.r.ExternalID
		same(t, "updated user", read(t, s.Directory(), func(tx directory.Tx) (allot.User, error) { return tx.User(tc.u.ID) }), want)
	}
	for _, u := range []allot.User{c, r, d, e, f} {
		same(t, "user not to update", read(t, s.Directory(), func(tx directory.Tx) (allot.User, error) { return tx.User(u.ID) }), u)
	}
	wantCode(t, "the user of a create row", readErr(t, s.Directory(), func(tx directory.Tx) error {
		_, err := tx.UserByEmail("new@acme.test")
		return err
	}), allot.ENOTFOUND)
	for _, tc := range []struct {
		search string
		want   []int64
	}{{"anna new", []int64{a.ID}}, {"ann lee", nil}, {"bea", []int64{b.ID}}} {
		got := read(t, s.Directory(), func(tx directory.Tx) ([]allot.User, error) {
			return tx.Users(allot.UserFilter{CompanyID: w.acme.ID, Search: tc.search})
		})
		sameIDs(t, fmt.Sprintf("Users searching %q", tc.search), got, userID, tc.want...)
	}
}

func testRecordImportedUsers(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"), learner(w.direct, "c@direct.test"))
	a, b, c := us[0], us[1], us[2]
	imp := addImport(t, s, w.acme, t0)
	other := addImport(t, s, w.acme, t0)
	zoe := createRow(2, 1, "zoe@acme.test")
	zoe.After = `{"Email":"zoe@acme.test"}`
	upd := directory.ImportRow{Line: 3, Email: a.Email, FirstName: "Anna", UserID: a.ID, Action: directory.RowUpdate,
		Before: `{"FirstName":""}`, After: `{"FirstName":"Anna"}`}
	stage(t, s, imp, zoe, upd,
		directory.ImportRow{Line: 4, Email: b.Email, UserID: b.ID, Action: directory.RowUnchanged},
		directory.ImportRow{Line: 5, Email: b.Email, UserID: b.ID, Action: directory.RowError, Reason: "on line 4 already"},
		// of another company: not updated, so not recorded
		directory.ImportRow{Line: 6, Email: c.Email, FirstName: "Cy", UserID: c.ID, Action: directory.RowUpdate, After: `{"FirstName":"Cy"}`})
	stage(t, s, other, directory.ImportRow{Line: 2, Email: b.Email, FirstName: "Bo", UserID: b.ID, Action: directory.RowUpdate,
		Before: "{}", After: "{}"})
	e := allot.Event{At: t0.In(elsewhere), ActorID: 7, ActorEmail: "pm@channel.test", CompanyID: w.acme.ID,
		PartnerID: w.partner.ID, ManageMode: true}
	write(t, s.Directory(), func(tx directory.Tx) error {
		if _, err := tx.CreateImportedUsers(imp.ID, importedLearner(w.acme.ID, t0)); err != nil {
			return err
		}
		if _, err := tx.UpdateImportedUsers(directory.UpdateImportedUsersParams{ImportID: imp.ID, CompanyID: w.acme.ID}); err != nil {
			return err
		}
		added, updated := e, e
		added.Action, updated.Action = "user.add", "user.update"
		if err := tx.RecordImportedUsers(imp.ID, directory.RowCreate, added); err != nil {
			return err
		}
		return tx.RecordImportedUsers(imp.ID, directory.RowUpdate, updated)
	})
	z := byEmail(t, s, zoe.Email)
	got := read(t, s.Directory(), func(tx directory.Tx) ([]allot.Event, error) { return tx.Events(allot.EventFilter{}) })
	bySubject := map[int64]allot.Event{}
	for _, ev := range got {
		bySubject[ev.SubjectID] = ev
	}
	if len(got) != 2 || len(bySubject) != 2 {
		t.Fatalf("events: %+v, want one for each of users %d and %d", got, z.ID, a.ID)
	}
	want := e
	want.At, want.Action, want.SubjectType = t0, "user.add", "user"
	want.ID, want.SubjectID, want.After = bySubject[z.ID].ID, z.ID, zoe.After
	same(t, "event of the created user", bySubject[z.ID], want)
	want.Action = "user.update"
	want.ID, want.SubjectID, want.Before, want.After = bySubject[a.ID].ID, a.ID, upd.Before, upd.After
	same(t, "event of the updated user", bySubject[a.ID], want)
}
