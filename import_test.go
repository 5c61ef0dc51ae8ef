package allot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"allot"
	"allot/storetest"
)

// upload uploads csv to company c as p and returns the import.
func (f *fixture) upload(p allot.Principal, in allot.NewImport, csv string) allot.Import {
	f.t.Helper()
	if in.CompanyID == 0 {
		in.CompanyID = f.company.ID
	}
	in.Data = []byte(csv)
	return must(f.svc.UploadImport(f.as(p), in))(f.t)
}

// step starts a step of import id with start, runs it as the job would,
// and returns the import after it.
func (f *fixture) step(id int64, start func(context.Context, int64) (allot.Import, error)) allot.Import {
	f.t.Helper()
	must(start(f.as(f.cm), id))(f.t)
	if err := f.svc.RunImportStep(context.Background(), id); err != nil {
		f.t.Fatal(err)
	}
	return must(f.svc.Import(f.as(f.cm), id))(f.t)
}

// preview previews import id with mapping m.
func (f *fixture) preview(id int64, m allot.Mapping) allot.Import {
	f.t.Helper()
	return f.step(id, func(ctx context.Context, id int64) (allot.Import, error) { return f.svc.PreviewImport(ctx, id, m) })
}

// confirm applies import id.
func (f *fixture) confirm(id int64) allot.Import {
	f.t.Helper()
	return f.step(id, f.svc.ConfirmImport)
}

// previewing uploads a file of n new learners and starts its preview,
// which no job has run yet.
func (f *fixture) previewing(n int) allot.Import {
	f.t.Helper()
	var csv strings.Builder
	csv.WriteString("email\n")
	for i := range n {
		fmt.Fprintf(&csv, "learner%d@acme.test\n", i)
	}
	imp := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers}, csv.String())
	return must(f.svc.PreviewImport(f.as(f.cm), imp.ID, allot.Mapping{allot.FieldEmail: "email"}))(f.t)
}

// reasons returns the import's error rows as "line: reason".
func (f *fixture) reasons(id int64) []string {
	f.t.Helper()
	var out []string
	for _, r := range must(f.svc.ImportRows(f.as(f.cm), allot.ImportRowFilter{ImportID: id, Action: allot.RowError}))(f.t) {
		out = append(out, fmt.Sprintf("%02d: %s", r.Line, r.Reason))
	}
	return out
}

// members returns the company's members' e-mails with their licence status.
func (f *fixture) members(t *testing.T) map[string]allot.Status {
	t.Helper()
	out := map[string]allot.Status{}
	for _, m := range must(f.svc.Members(f.as(f.cm), f.company.ID, allot.MemberFilter{UserFilter: allot.UserFilter{Limit: allot.MaxLimit}}))(t) {
		out[m.Email] = m.Status
	}
	return out
}

const usersCSV = "Email,First Name,Last Name,Department\r\n" +
	"new1@acme.test,Ann,One,Sales\r\n" +
	"OLD@acme.test,,,Ops\r\n" +
	"not-an-e-mail,X,Y,Z\r\n" +
	"new1@acme.test,Dup,Dup,Dup\r\n" +
	"cm@globex.test,Carl,Other,\r\n" +
	"new2@acme.test,Bea,Two,Sales\r\n" +
	"new3@acme.test,Cy,Three,\r\n" +
	"new4@acme.test,Di,Four,\r\n"

var usersMapping = allot.Mapping{allot.FieldEmail: "Email", allot.FieldFirstName: "First Name",
	allot.FieldLastName: "Last Name", allot.FieldDepartment: "Department"}

func TestImportUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		pool := f.pool(f.company, 3)
		old := must(f.svc.AddUser(f.as(f.cm), allot.NewUser{Email: "old@acme.test", FirstName: "Olga", LastName: "Old", CompanyID: f.company.ID}))(t)
		globex, _ := must2(f.svc.CreateCompany(f.as(f.pm), allot.NewCompany{Name: "Globex"}))(t)
		must(f.svc.AddUser(f.as(f.pm), allot.NewUser{Email: "cm@globex.test", Role: allot.RoleCompanyManager, CompanyID: globex.ID}))(t)

		imp := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers, FileName: "people.csv"}, usersCSV)
		if !slices.Equal(imp.Header, []string{"Email", "First Name", "Last Name", "Department"}) || imp.Suggested[allot.FieldEmail] != "Email" {
			t.Fatalf("header %q, suggested %v", imp.Header, imp.Suggested)
		}
		before := f.members(t)
		imp = f.preview(imp.ID, usersMapping)
		want := allot.ImportCounts{Rows: 8, Create: 4, Update: 1, Errors: 3, Licensed: 2, Unlicensed: 2}
		if imp.Status != allot.ImportPreviewed || imp.Counts != want {
			t.Fatalf("preview: %s %+v, want %+v", imp.Status, imp.Counts, want)
		}
		wantReasons := []string{
			`04: column "Email": "not-an-e-mail" is not a valid e-mail address`,
			`05: column "Email": new1@acme.test is on line 2 already`,
			`06: the e-mail belongs to an account outside this company`,
		}
		if got := f.reasons(imp.ID); !slices.Equal(got, wantReasons) {
			t.Errorf("reasons\n%q\nwant\n%q", got, wantReasons)
		}
		if got := f.members(t); !maps.Equal(got, before) {
			t.Fatalf("the preview changed the members: %v, before %v", got, before)
		}

		seen := must(f.svc.Events(f.as(f.cm), allot.EventFilter{CompanyID: f.company.ID, Limit: 1}))(t)[0].ID
		imp = f.confirm(imp.ID)
		if imp.Status != allot.ImportApplied || imp.Counts != want {
			t.Fatalf("applied: %s %q %+v, want %+v", imp.Status, imp.Error, imp.Counts, want)
		}
		got := f.members(t)
		for email, st := range map[string]allot.Status{"new1@acme.test": allot.StatusActive, "new2@acme.test": allot.StatusActive,
			"new3@acme.test": allot.StatusUnlicensed, "new4@acme.test": allot.StatusUnlicensed, "old@acme.test": allot.StatusActive} {
			if got[email] != st {
				t.Errorf("%s is %q, want %q", email, got[email], st)
			}
		}
		if p := f.reload(pool); p.Used != 3 {
			t.Errorf("pool used %d, want 3", p.Used)
		}
		u := must(f.svc.User(f.as(f.cm), old.ID))(t)
		if u.FirstName != "Olga" || u.LastName != "Old" || u.Department != "Ops" {
			t.Errorf("old is %+v: want the department changed and the names kept", u)
		}
		n1 := must(f.svc.UserByEmail(f.as(f.cm), "new1@acme.test"))(t)
		if n1.FirstName != "Ann" || n1.Department != "Sales" || n1.Role != allot.RoleLearner {
			t.Errorf("new1 is %+v", n1)
		}
		if got := f.check(n1, "premium"); !got.Allowed {
			t.Errorf("new1 may not use premium: %+v", got)
		}
		// Each change is in the audit log, by the manager, with before and after.
		events := must(f.svc.Events(f.as(f.cm), allot.EventFilter{CompanyID: f.company.ID, Limit: allot.MaxLimit}))(t)
		byAction := map[string][]allot.Event{}
		for _, e := range events {
			if e.ID <= seen || e.ActorID != f.cm.UserID {
				continue
			}
			byAction[e.Action] = append(byAction[e.Action], e)
		}
		for action, n := range map[string]int{"user.add": 4, "user.update": 1, "seat.allocate": 2, "user.unlicensed": 2, "import.applied": 1} {
			if got := len(byAction[action]); got != n {
				t.Errorf("%d %s events by the manager, want %d", got, action, n)
			}
		}
		if up := byAction["user.update"]; len(up) == 1 && (up[0].SubjectID != old.ID ||
			!strings.Contains(up[0].Before, `"Department":""`) || !strings.Contains(up[0].After, `"Department":"Ops"`)) {
			t.Errorf("the update's event: %+v", up[0])
		}
		for _, e := range byAction["seat.allocate"] {
			var seat allot.Seat
			if err := json.Unmarshal([]byte(e.After), &seat); err != nil || seat.ID != e.SubjectID || seat.PoolID != pool.ID ||
				seat.UserID == 0 || !seat.EndsAt.Equal(pool.EndsAt) {
				t.Errorf("a seat's event after %s: %+v %v", e.After, seat, err)
			}
		}

		// The same file again changes nothing.
		again := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers}, usersCSV)
		again = f.preview(again.ID, usersMapping)
		if want := (allot.ImportCounts{Rows: 8, Unchanged: 5, Errors: 3}); again.Counts != want {
			t.Fatalf("second preview %+v, want %+v", again.Counts, want)
		}
		again = f.confirm(again.ID)
		if again.Status != allot.ImportApplied || f.reload(pool).Used != 3 || !maps.Equal(f.members(t), got) {
			t.Errorf("the second import changed something: %s, pool %d", again.Status, f.reload(pool).Used)
		}
	})
}

func TestImportChangedSincePreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		f.pool(f.company, 10)
		imp := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers}, "email\nann@acme.test\nbob@acme.test\n")
		imp = f.preview(imp.ID, allot.Mapping{allot.FieldEmail: "email"})
		f.learner(f.company, "bob@acme.test") // added by hand meanwhile
		imp = f.confirm(imp.ID)
		if imp.Status != allot.ImportFailed || !strings.Contains(imp.Error, "preview the file again") {
			t.Fatalf("confirm: %s %q, want failed asking for a new preview", imp.Status, imp.Error)
		}
		if _, err := f.svc.UserByEmail(f.as(f.cm), "ann@acme.test"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("ann was added by a failed import: %v", err)
		}
		// A new preview sees bob and applies.
		imp = f.preview(imp.ID, allot.Mapping{allot.FieldEmail: "email"})
		if imp = f.confirm(imp.ID); imp.Status != allot.ImportApplied || imp.Counts.Create != 1 || imp.Counts.Unchanged != 1 {
			t.Fatalf("after a new preview: %s %q %+v", imp.Status, imp.Error, imp.Counts)
		}
	})
}

// A preview renews its job's lease after each batch it stages, and stops
// when another process has claimed the job since, leaving the import to it
// rather than failing it.
func TestImportPreviewRenewsItsLease(t *testing.T) {
	f := setup(t, storetest.Backends[0])
	imp := f.previewing(12_000)

	renewals := 0
	lost := allot.WithLease(context.Background(), func() error {
		if renewals++; renewals == 2 {
			return allot.Errorf(allot.ECONFLICT, "claimed again")
		}
		return nil
	})
	if err := f.svc.RunImportStep(lost, imp.ID); !errors.Is(err, allot.ErrTakenOver) {
		t.Fatalf("preview whose lease was lost: %v, want ErrTakenOver", err)
	}
	if imp = must(f.svc.Import(f.as(f.cm), imp.ID))(t); imp.Status != allot.ImportPreviewing || imp.Done != 10_000 {
		t.Fatalf("after the lease was lost: %s with %d rows done, want previewing with the 2 batches staged before the lost renewal",
			imp.Status, imp.Done)
	}

	renewals = 0
	kept := allot.WithLease(context.Background(), func() error { renewals++; return nil })
	if err := f.svc.RunImportStep(kept, imp.ID); err != nil {
		t.Fatal(err)
	}
	if imp = must(f.svc.Import(f.as(f.cm), imp.ID))(t); imp.Status != allot.ImportPreviewed || imp.Total != 12_000 ||
		imp.Counts.Create != 12_000 || renewals != 3 {
		t.Errorf("preview: %s, %d rows, %d to create, lease renewed %d times; want previewed, 12000, 12000, once per batch of 5000",
			imp.Status, imp.Total, imp.Counts.Create, renewals)
	}
}

// Two runs of one import's step, as when a worker's lease runs out while
// it still runs, or the command line and a worker take the same import:
// the preview started last is the one kept, whole, and the import is
// applied once.
func TestImportRunTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		imp := f.previewing(12_000)

		// Another run starts once the first run's first batch is
		// staged: from then on, the first run stages nothing.
		renewals := 0
		first := allot.WithLease(context.Background(), func() error {
			if renewals++; renewals == 1 {
				return f.svc.Store.Write(context.Background(), func(tx allot.Tx) error {
					imp, err := tx.Import(imp.ID)
					if err != nil {
						return err
					}
					return tx.StartImportRun(&imp)
				})
			}
			return nil
		})
		if err := f.svc.RunImportStep(first, imp.ID); !errors.Is(err, allot.ErrTakenOver) {
			t.Errorf("the run taken over: %v, want ErrTakenOver", err)
		}
		staged := func() int {
			return len(must(f.svc.ImportRows(f.as(f.cm), allot.ImportRowFilter{ImportID: imp.ID, Limit: -1}))(t))
		}
		if imp = must(f.svc.Import(f.as(f.cm), imp.ID))(t); imp.Status != allot.ImportPreviewing || imp.Done != 0 || staged() != 0 {
			t.Fatalf("after the run was taken over: %s, %d done, %d staged; want previewing, nothing staged by the run taken over",
				imp.Status, imp.Done, staged())
		}
		if err := f.svc.RunImportStep(context.Background(), imp.ID); err != nil {
			t.Fatalf("the run that took over: %v", err)
		}
		imp = must(f.svc.Import(f.as(f.cm), imp.ID))(t)
		if imp.Status != allot.ImportPreviewed || imp.Total != 12_000 || imp.Counts.Create != 12_000 || staged() != 12_000 {
			t.Fatalf("preview: %s %q, %d rows, %d to create, %d staged; want previewed, 12000 each",
				imp.Status, imp.Error, imp.Total, imp.Counts.Create, staged())
		}

		// Applied by two runs at once: one applies it, the other finds
		// it applied and fails nothing.
		var logs strings.Builder
		f.svc.Log = slog.New(slog.NewTextHandler(&logs, nil))
		must(f.svc.ConfirmImport(f.as(f.cm), imp.ID))(t)
		errs := make(chan error, 2)
		for range 2 {
			go func() { errs <- f.svc.RunImportStep(context.Background(), imp.ID) }()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Errorf("applying run: %v", err)
			}
		}
		imp = must(f.svc.Import(f.as(f.cm), imp.ID))(t)
		if imp.Status != allot.ImportApplied || imp.Counts.Create != 12_000 {
			t.Errorf("applied twice at once: %s %q, %d created; want applied, 12000 created", imp.Status, imp.Error, imp.Counts.Create)
		}
		if _, err := f.svc.UserByEmail(f.as(f.cm), "learner11999@acme.test"); err != nil {
			t.Errorf("the file's last learner: %v", err)
		}
		if strings.Contains(logs.String(), "import failed") {
			t.Errorf("a run of the import failed:\n%s", logs.String())
		}
	})
}

// An import that keeps a value the file leaves empty does not undo a change
// made to it after its preview: it fails and asks for a new preview.
func TestImportKeepsNoStaleValue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		ann := must(f.svc.AddUser(f.as(f.cm), allot.NewUser{Email: "ann@acme.test", FirstName: "Ann", LastName: "Old", CompanyID: f.company.ID}))(t)
		dept := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers}, "email,department,last name\nann@acme.test,Sales,\n")
		dept = f.preview(dept.ID, allot.Mapping{allot.FieldEmail: "email", allot.FieldDepartment: "department", allot.FieldLastName: "last name"})
		name := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers}, "email,last name\nann@acme.test,New\n")
		name = f.preview(name.ID, allot.Mapping{allot.FieldEmail: "email", allot.FieldLastName: "last name"})
		if name = f.confirm(name.ID); name.Status != allot.ImportApplied || name.Counts.Update != 1 {
			t.Fatalf("the name import: %s %q %+v", name.Status, name.Error, name.Counts)
		}
		if dept = f.confirm(dept.ID); dept.Status != allot.ImportFailed || !strings.Contains(dept.Error, "preview the file again") {
			t.Fatalf("the department import: %s %q, want failed", dept.Status, dept.Error)
		}
		if u := must(f.svc.User(f.as(f.cm), ann.ID))(t); u.LastName != "New" || u.Department != "" {
			t.Errorf("ann is %q in %q: want the new name kept and no department", u.LastName, u.Department)
		}
		dept = f.preview(dept.ID, dept.Mapping)
		if dept = f.confirm(dept.ID); dept.Status != allot.ImportApplied {
			t.Fatalf("after a new preview: %s %q", dept.Status, dept.Error)
		}
		if u := must(f.svc.User(f.as(f.cm), ann.ID))(t); u.LastName != "New" || u.Department != "Sales" {
			t.Errorf("ann is %q in %q, want New in Sales", u.LastName, u.Department)
		}
	})
}

func TestImportRules(t *testing.T) {
	f := setup(t, storetest.Backends[0])
	imp := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers}, "Name;Mail\nAnn;ann@acme.test\n")
	for _, c := range []struct {
		name  string
		m     allot.Mapping
		field string
	}{
		{"no e-mail", allot.Mapping{allot.FieldFirstName: "Name"}, "mapping.email"},
		{"no such column", allot.Mapping{allot.FieldEmail: "E-mail"}, "mapping.email"},
		{"no such field", allot.Mapping{allot.FieldEmail: "Mail", "salary": "Name"}, "mapping.salary"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.PreviewImport(f.as(f.cm), imp.ID, c.m)
			wantError(t, err, allot.EINVALID, c.field)
		})
	}
	t.Run("confirm before preview", func(t *testing.T) {
		_, err := f.svc.ConfirmImport(f.as(f.cm), imp.ID)
		wantError(t, err, allot.ECONFLICT, "")
	})
	t.Run("empty file", func(t *testing.T) {
		_, err := f.svc.UploadImport(f.as(f.cm), allot.NewImport{CompanyID: f.company.ID, Kind: allot.ImportUsers})
		wantError(t, err, allot.EINVALID, "file")
	})
	t.Run("unknown kind", func(t *testing.T) {
		_, err := f.svc.UploadImport(f.as(f.cm), allot.NewImport{CompanyID: f.company.ID, Kind: "orders", Data: []byte("a\nb\n")})
		wantError(t, err, allot.EINVALID, "kind")
	})

	globex, _ := must2(f.svc.CreateCompany(f.as(f.pm), allot.NewCompany{Name: "Globex"}))(t)
	other := principal(must(f.svc.AddUser(f.as(f.pm), allot.NewUser{Email: "cm@globex.test", Role: allot.RoleCompanyManager, CompanyID: globex.ID}))(t))
	learner := principal(f.learner(f.company, "lea@acme.test"))
	t.Run("the company's imports, newest first", func(t *testing.T) {
		later := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers}, "email\nann@acme.test\n")
		got := must(f.svc.Imports(f.as(f.cm), f.company.ID, 10))(t)
		if len(got) < 2 || got[0].ID != later.ID || got[1].ID != imp.ID {
			t.Errorf("imports %+v, want %d then %d first", got, later.ID, imp.ID)
		}
	})
	t.Run("another company's manager finds nothing", func(t *testing.T) {
		_, err := f.svc.Imports(f.as(other), f.company.ID, 10)
		wantError(t, err, allot.ENOTFOUND, "")
		_, err = f.svc.Import(f.as(other), imp.ID)
		wantError(t, err, allot.ENOTFOUND, "")
		_, err = f.svc.ImportRows(f.as(other), allot.ImportRowFilter{ImportID: imp.ID})
		wantError(t, err, allot.ENOTFOUND, "")
		_, err = f.svc.PreviewImport(f.as(other), imp.ID, allot.Mapping{allot.FieldEmail: "Mail"})
		wantError(t, err, allot.ENOTFOUND, "")
	})
	t.Run("a learner may not import", func(t *testing.T) {
		_, err := f.svc.UploadImport(f.as(learner), allot.NewImport{CompanyID: f.company.ID, Kind: allot.ImportUsers, Data: []byte("a\nb\n")})
		if code := allot.ErrorCode(err); code != allot.EFORBIDDEN && code != allot.ENOTFOUND {
			t.Fatalf("a learner uploaded: %v", err)
		}
	})
	t.Run("the partner outside manage mode may only look", func(t *testing.T) {
		must(f.svc.Import(f.as(f.pm), imp.ID))(t)
		_, err := f.svc.PreviewImport(f.as(f.pm), imp.ID, allot.Mapping{allot.FieldEmail: "Mail"})
		wantError(t, err, allot.EFORBIDDEN, "")
	})
}

func TestRenewByCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		r := newRenewal(t, b, 1) // ann and bob expired; one free seat
		csv := "Name\tE-mail Address\n" +
			"Ann\tann@acme.test\n" +
			"Bob\tbob@acme.test\n" +
			"Cat\tcat@acme.test\n" +
			"Eve\teve@acme.test\n" +
			"Nobody\tnobody@acme.test\n" +
			"Ann again\tANN@acme.test\n" +
			"Broken\tann@@acme\n" +
			"Outsider\tpm@channel.test\n"
		imp := r.upload(r.cm, allot.NewImport{Kind: allot.ImportRenewals, ProductCode: "premium"}, csv)
		if imp.Suggested[allot.FieldEmail] != "E-mail Address" || imp.Delimiter != "\t" {
			t.Fatalf("suggested %v, delimiter %q", imp.Suggested, imp.Delimiter)
		}
		imp = r.preview(imp.ID, allot.Mapping{allot.FieldEmail: "E-mail Address"})
		if want := (allot.ImportCounts{Rows: 8, Renew: 1, Errors: 7}); imp.Counts != want {
			t.Fatalf("preview %+v, want %+v", imp.Counts, want)
		}
		wantReasons := []string{
			"03: no seat left: 1 free seats of Premium for 1 learners before this one",
			"04: has no expired licence of Premium",
			"05: already active: licensed until " + r.second.EndsAt.Format("2006-01-02"),
			"06: no one has this e-mail",
			`07: column "E-mail Address": ann@acme.test is on line 2 already`,
			`08: column "E-mail Address": "ann@@acme" is not a valid e-mail address`,
			"09: not a member of this company",
		}
		if got := r.reasons(imp.ID); !slices.Equal(got, wantReasons) {
			t.Errorf("reasons\n%q\nwant\n%q", got, wantReasons)
		}
		imp = r.confirm(imp.ID)
		if imp.Status != allot.ImportApplied {
			t.Fatalf("confirm: %s %q", imp.Status, imp.Error)
		}
		if got, want := r.expired(t), []string{"bob@acme.test"}; !slices.Equal(got, want) {
			t.Errorf("expired after the renewal: %v, want %v", got, want)
		}
		if s := r.seat(r.ann, "premium"); s.PoolID != r.second.ID {
			t.Errorf("ann renewed from pool %d, want %d", s.PoolID, r.second.ID)
		}
	})
}

func TestRenewByCSVSeatsRanOut(t *testing.T) {
	r := newRenewal(t, storetest.Backends[0], 2)
	imp := r.upload(r.cm, allot.NewImport{Kind: allot.ImportRenewals, ProductCode: "premium"}, "email\nann@acme.test\nbob@acme.test\n")
	imp = r.preview(imp.ID, allot.Mapping{allot.FieldEmail: "email"})
	if imp.Counts.Renew != 2 {
		t.Fatalf("preview %+v", imp.Counts)
	}
	r.learner(r.company, "zed@acme.test") // takes one of the two free seats
	imp = r.confirm(imp.ID)
	if imp.Status != allot.ImportFailed || !strings.Contains(imp.Error, "nothing was renewed") {
		t.Fatalf("confirm: %s %q, want failed with nothing renewed", imp.Status, imp.Error)
	}
	if got, want := r.expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
		t.Errorf("expired after the failed renewal: %v, want %v", got, want)
	}
}

// A renewal file that renews no one is applied as it was previewed: no
// one renewed, and no error.
func TestRenewByCSVNoOne(t *testing.T) {
	r := newRenewal(t, storetest.Backends[0], 1)
	imp := r.upload(r.cm, allot.NewImport{Kind: allot.ImportRenewals, ProductCode: "premium"}, "email\nnobody@acme.test\n")
	imp = r.preview(imp.ID, allot.Mapping{allot.FieldEmail: "email"})
	if want := (allot.ImportCounts{Rows: 1, Errors: 1}); imp.Counts != want {
		t.Fatalf("preview %+v, want %+v", imp.Counts, want)
	}
	imp = r.confirm(imp.ID)
	if imp.Status != allot.ImportApplied || imp.Error != "" {
		t.Fatalf("confirm: %s %q, want applied", imp.Status, imp.Error)
	}
	if got, want := r.expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
		t.Errorf("expired after renewing no one: %v, want %v", got, want)
	}
}

// A person's fields are at most 200 characters, counted as characters,
// whether the person is added by hand or by a file.
func TestPersonFieldLength(t *testing.T) {
	f := setup(t, storetest.Backends[0])
	must(f.svc.AddUser(f.as(f.cm), allot.NewUser{Email: "ok@acme.test", FirstName: strings.Repeat("é", 200), CompanyID: f.company.ID}))(t)
	_, err := f.svc.AddUser(f.as(f.cm), allot.NewUser{Email: "long@acme.test", FirstName: strings.Repeat("é", 201), CompanyID: f.company.ID})
	wantError(t, err, allot.EINVALID, "first_name")

	imp := f.upload(f.cm, allot.NewImport{Kind: allot.ImportUsers},
		"email,first\nfine@acme.test,"+strings.Repeat("é", 200)+"\nlong@acme.test,"+strings.Repeat("é", 201)+"\n")
	imp = f.preview(imp.ID, allot.Mapping{allot.FieldEmail: "email", allot.FieldFirstName: "first"})
	if want := []string{`03: column "first": at most 200 characters`}; imp.Counts.Create != 1 || !slices.Equal(f.reasons(imp.ID), want) {
		t.Errorf("preview %+v, reasons %q, want one to create and %q", imp.Counts, f.reasons(imp.ID), want)
	}
}
