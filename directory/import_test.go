package directory_test

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
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

// upload uploads csv to company c as p and returns the import.
func upload(f *world.Fixture, p allot.Principal, in directory.NewImport, csv string) directory.Import {
	f.T.Helper()
	if in.CompanyID == 0 {
		in.CompanyID = f.Company.ID
	}
	in.Data = []byte(csv)
	return world.Must(f.Dir.UploadImport(f.As(p), in))(f.T)
}

// step starts a step of import id with start, runs it as the job would,
// and returns the import after it.
func step(f *world.Fixture, id int64, start func(context.Context, int64) (directory.Import, error)) directory.Import {
	f.T.Helper()
	world.Must(start(f.As(f.CM), id))(f.T)
	if err := f.Dir.RunImportStep(context.Background(), id); err != nil {
		f.T.Fatal(err)
	}
	return world.Must(f.Dir.Import(f.As(f.CM), id))(f.T)
}

// preview previews import id with mapping m.
func preview(f *world.Fixture, id int64, m directory.Mapping) directory.Import {
	f.T.Helper()
	return step(f, id, func(ctx context.Context, id int64) (directory.Import, error) { return f.Dir.PreviewImport(ctx, id, m) })
}

// confirm applies import id.
func confirm(f *world.Fixture, id int64) directory.Import {
	f.T.Helper()
	return step(f, id, func(ctx context.Context, id int64) (directory.Import, error) {
		return f.Dir.ConfirmImport(ctx, id, false)
	})
}

// previewing uploads a file of n new learners and starts its preview,
// which no job has run yet.
func previewing(f *world.Fixture, n int) directory.Import {
	f.T.Helper()
	var csv strings.Builder
	csv.WriteString("email\n")
	for i := range n {
		fmt.Fprintf(&csv, "learner%d@acme.test\n", i)
	}
	imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, csv.String())
	return world.Must(f.Dir.PreviewImport(f.As(f.CM), imp.ID, directory.Mapping{directory.FieldEmail: "email"}))(f.T)
}

// reasons returns the import's error rows as "line: reason".
func reasons(f *world.Fixture, id int64) []string {
	f.T.Helper()
	var out []string
	for _, r := range world.Must(f.Dir.ImportRows(f.As(f.CM), directory.ImportRowFilter{ImportID: id, Action: directory.RowError}))(f.T) {
		out = append(out, fmt.Sprintf("%02d: %s", r.Line, r.Reason))
	}
	return out
}

// members returns the company's members' e-mails with their licence status.
func members(f *world.Fixture, t *testing.T) map[string]allot.Status {
	t.Helper()
	out := map[string]allot.Status{}
	for _, m := range world.Must(f.Svc.Members(f.As(f.CM), f.Company.ID, allot.MemberFilter{UserFilter: allot.UserFilter{Limit: allot.MaxLimit}}))(t) {
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

var usersMapping = directory.Mapping{directory.FieldEmail: "Email", directory.FieldFirstName: "First Name",
	directory.FieldLastName: "Last Name", directory.FieldDepartment: "Department"}

func TestImportUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		pool := f.Pool(f.Company, 3)
		old := world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "old@acme.test", FirstName: "Olga", LastName: "Old", CompanyID: f.Company.ID}))(t)
		globex, _ := world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Globex"}))(t)
		world.Must(f.Svc.AddUser(f.As(f.PM), allot.NewUser{Email: "cm@globex.test", Role: allot.RoleCompanyManager, CompanyID: globex.ID}))(t)

		imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers, FileName: "people.csv"}, usersCSV)
		if !slices.Equal(imp.Header, []string{"Email", "First Name", "Last Name", "Department"}) || imp.Suggested[directory.FieldEmail] != "Email" {
			t.Fatalf("header %q, suggested %v", imp.Header, imp.Suggested)
		}
		before := members(f, t)
		imp = preview(f, imp.ID, usersMapping)
		want := directory.ImportCounts{Rows: 8, Create: 4, Update: 1, Errors: 3, Licensed: 2, Unlicensed: 2}
		if imp.Status != directory.ImportPreviewed || imp.Counts != want {
			t.Fatalf("preview: %s %+v, want %+v", imp.Status, imp.Counts, want)
		}
		wantReasons := []string{
			`04: column "Email": "not-an-e-mail" is not a valid e-mail address`,
			`05: column "Email": new1@acme.test is on line 2 already`,
			`06: the e-mail belongs to an account outside this company`,
		}
		if got := reasons(f, imp.ID); !slices.Equal(got, wantReasons) {
			t.Errorf("reasons\n%q\nwant\n%q", got, wantReasons)
		}
		if got := members(f, t); !maps.Equal(got, before) {
			t.Fatalf("the preview changed the members: %v, before %v", got, before)
		}

		seen := world.Must(f.Svc.Events(f.As(f.CM), allot.EventFilter{CompanyID: f.Company.ID, Limit: 1}))(t)[0].ID
		imp = confirm(f, imp.ID)
		if imp.Status != directory.ImportApplied || imp.Counts != want {
			t.Fatalf("applied: %s %q %+v, want %+v", imp.Status, imp.Error, imp.Counts, want)
		}
		got := members(f, t)
		for email, st := range map[string]allot.Status{"new1@acme.test": allot.StatusActive, "new2@acme.test": allot.StatusActive,
			"new3@acme.test": allot.StatusUnlicensed, "new4@acme.test": allot.StatusUnlicensed, "old@acme.test": allot.StatusActive} {
			if got[email] != st {
				t.Errorf("%s is %q, want %q", email, got[email], st)
			}
		}
		if p := f.Reload(pool); p.Used != 3 {
			t.Errorf("pool used %d, want 3", p.Used)
		}
		u := world.Must(f.Svc.User(f.As(f.CM), old.ID))(t)
		if u.FirstName != "Olga" || u.LastName != "Old" || u.Department != "Ops" {
			t.Errorf("old is %+v: want the department changed and the names kept", u)
		}
		n1 := world.Must(f.Svc.UserByEmail(f.As(f.CM), "new1@acme.test"))(t)
		if n1.FirstName != "Ann" || n1.Department != "Sales" || n1.Role != allot.RoleLearner {
			t.Errorf("new1 is %+v", n1)
		}
		if got := f.Check(n1, "premium"); !got.Allowed {
			t.Errorf("new1 may not use premium: %+v", got)
		}
		// Each change is in the audit log, by the manager, with before and after.
		events := world.Must(f.Svc.Events(f.As(f.CM), allot.EventFilter{CompanyID: f.Company.ID, Limit: allot.MaxLimit}))(t)
		byAction := map[string][]allot.Event{}
		for _, e := range events {
			if e.ID <= seen || e.ActorID != f.CM.UserID {
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
		again := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, usersCSV)
		again = preview(f, again.ID, usersMapping)
		if want := (directory.ImportCounts{Rows: 8, Unchanged: 5, Errors: 3}); again.Counts != want {
			t.Fatalf("second preview %+v, want %+v", again.Counts, want)
		}
		again = confirm(f, again.ID)
		if again.Status != directory.ImportApplied || f.Reload(pool).Used != 3 || !maps.Equal(members(f, t), got) {
			t.Errorf("the second import changed something: %s, pool %d", again.Status, f.Reload(pool).Used)
		}
	})
}

func TestImportChangedSincePreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Pool(f.Company, 10)
		imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, "email\nann@acme.test\nbob@acme.test\n")
		imp = preview(f, imp.ID, directory.Mapping{directory.FieldEmail: "email"})
		f.Learner(f.Company, "bob@acme.test") // added by hand meanwhile
		imp = confirm(f, imp.ID)
		if imp.Status != directory.ImportFailed || !strings.Contains(imp.Error, "preview the file again") {
			t.Fatalf("confirm: %s %q, want failed asking for a new preview", imp.Status, imp.Error)
		}
		if _, err := f.Svc.UserByEmail(f.As(f.CM), "ann@acme.test"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("ann was added by a failed import: %v", err)
		}
		// A new preview sees bob and applies.
		imp = preview(f, imp.ID, directory.Mapping{directory.FieldEmail: "email"})
		if imp = confirm(f, imp.ID); imp.Status != directory.ImportApplied || imp.Counts.Create != 1 || imp.Counts.Unchanged != 1 {
			t.Fatalf("after a new preview: %s %q %+v", imp.Status, imp.Error, imp.Counts)
		}
	})
}

// A preview renews its job's lease after each batch it stages, and stops
// when another process has claimed the job since, leaving the import to it
// rather than failing it.
func TestImportPreviewRenewsItsLease(t *testing.T) {
	f := world.Setup(t, storetest.Backends[0])
	imp := previewing(f, 12_000)

	renewals := 0
	lost := allot.WithLease(context.Background(), func() error {
		if renewals++; renewals == 2 {
			return allot.Errorf(allot.ECONFLICT, "claimed again")
		}
		return nil
	})
	if err := f.Dir.RunImportStep(lost, imp.ID); !errors.Is(err, allot.ErrTakenOver) {
		t.Fatalf("preview whose lease was lost: %v, want ErrTakenOver", err)
	}
	if imp = world.Must(f.Dir.Import(f.As(f.CM), imp.ID))(t); imp.Status != directory.ImportPreviewing || imp.Done != 10_000 {
		t.Fatalf("after the lease was lost: %s with %d rows done, want previewing with the 2 batches staged before the lost renewal",
			imp.Status, imp.Done)
	}

	renewals = 0
	kept := allot.WithLease(context.Background(), func() error { renewals++; return nil })
	if err := f.Dir.RunImportStep(kept, imp.ID); err != nil {
		t.Fatal(err)
	}
	if imp = world.Must(f.Dir.Import(f.As(f.CM), imp.ID))(t); imp.Status != directory.ImportPreviewed || imp.Total != 12_000 ||
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
		f := world.Setup(t, b)
		imp := previewing(f, 12_000)

		// Another run starts once the first run's first batch is
		// staged: from then on, the first run stages nothing.
		renewals := 0
		first := allot.WithLease(context.Background(), func() error {
			if renewals++; renewals == 1 {
				return f.Dir.Store.Write(context.Background(), func(tx directory.Tx) error {
					imp, err := tx.Import(imp.ID)
					if err != nil {
						return err
					}
					return tx.StartImportRun(&imp)
				})
			}
			return nil
		})
		if err := f.Dir.RunImportStep(first, imp.ID); !errors.Is(err, allot.ErrTakenOver) {
			t.Errorf("the run taken over: %v, want ErrTakenOver", err)
		}
		staged := func() int {
			return len(world.Must(f.Dir.ImportRows(f.As(f.CM), directory.ImportRowFilter{ImportID: imp.ID, Limit: -1}))(t))
		}
		if imp = world.Must(f.Dir.Import(f.As(f.CM), imp.ID))(t); imp.Status != directory.ImportPreviewing || imp.Done != 0 || staged() != 0 {
			t.Fatalf("after the run was taken over: %s, %d done, %d staged; want previewing, nothing staged by the run taken over",
				imp.Status, imp.Done, staged())
		}
		if err := f.Dir.RunImportStep(context.Background(), imp.ID); err != nil {
			t.Fatalf("the run that took over: %v", err)
		}
		imp = world.Must(f.Dir.Import(f.As(f.CM), imp.ID))(t)
		if imp.Status != directory.ImportPreviewed || imp.Total != 12_000 || imp.Counts.Create != 12_000 || staged() != 12_000 {
			t.Fatalf("preview: %s %q, %d rows, %d to create, %d staged; want previewed, 12000 each",
				imp.Status, imp.Error, imp.Total, imp.Counts.Create, staged())
		}

		// Applied by two runs at once: one applies it, the other finds
		// it applied and fails nothing.
		var logs strings.Builder
		f.Svc.Log = slog.New(slog.NewTextHandler(&logs, nil))
		world.Must(f.Dir.ConfirmImport(f.As(f.CM), imp.ID, false))(t)
		errs := make(chan error, 2)
		for range 2 {
			go func() { errs <- f.Dir.RunImportStep(context.Background(), imp.ID) }()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Errorf("applying run: %v", err)
			}
		}
		imp = world.Must(f.Dir.Import(f.As(f.CM), imp.ID))(t)
		if imp.Status != directory.ImportApplied || imp.Counts.Create != 12_000 {
			t.Errorf("applied twice at once: %s %q, %d created; want applied, 12000 created", imp.Status, imp.Error, imp.Counts.Create)
		}
		if _, err := f.Svc.UserByEmail(f.As(f.CM), "learner11999@acme.test"); err != nil {
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
		f := world.Setup(t, b)
		ann := world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "ann@acme.test", FirstName: "Ann", LastName: "Old", CompanyID: f.Company.ID}))(t)
		dept := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, "email,department,last name\nann@acme.test,Sales,\n")
		dept = preview(f, dept.ID, directory.Mapping{directory.FieldEmail: "email", directory.FieldDepartment: "department", directory.FieldLastName: "last name"})
		name := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, "email,last name\nann@acme.test,New\n")
		name = preview(f, name.ID, directory.Mapping{directory.FieldEmail: "email", directory.FieldLastName: "last name"})
		if name = confirm(f, name.ID); name.Status != directory.ImportApplied || name.Counts.Update != 1 {
			t.Fatalf("the name import: %s %q %+v", name.Status, name.Error, name.Counts)
		}
		if dept = confirm(f, dept.ID); dept.Status != directory.ImportFailed || !strings.Contains(dept.Error, "preview the file again") {
			t.Fatalf("the department import: %s %q, want failed", dept.Status, dept.Error)
		}
		if u := world.Must(f.Svc.User(f.As(f.CM), ann.ID))(t); u.LastName != "New" || u.Department != "" {
			t.Errorf("ann is %q in %q: want the new name kept and no department", u.LastName, u.Department)
		}
		dept = preview(f, dept.ID, dept.Mapping)
		if dept = confirm(f, dept.ID); dept.Status != directory.ImportApplied {
			t.Fatalf("after a new preview: %s %q", dept.Status, dept.Error)
		}
		if u := world.Must(f.Svc.User(f.As(f.CM), ann.ID))(t); u.LastName != "New" || u.Department != "Sales" {
			t.Errorf("ann is %q in %q, want New in Sales", u.LastName, u.Department)
		}
	})
}

func TestImportRules(t *testing.T) {
	f := world.Setup(t, storetest.Backends[0])
	imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, "Name;Mail\nAnn;ann@acme.test\n")
	for _, c := range []struct {
		name  string
		m     directory.Mapping
		field string
	}{
		{"no e-mail", directory.Mapping{directory.FieldFirstName: "Name"}, "mapping.email"},
		{"no such column", directory.Mapping{directory.FieldEmail: "E-mail"}, "mapping.email"},
		{"no such field", directory.Mapping{directory.FieldEmail: "Mail", "salary": "Name"}, "mapping.salary"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.Dir.PreviewImport(f.As(f.CM), imp.ID, c.m)
			world.WantError(t, err, allot.EINVALID, c.field)
		})
	}
	t.Run("confirm before preview", func(t *testing.T) {
		_, err := f.Dir.ConfirmImport(f.As(f.CM), imp.ID, false)
		world.WantError(t, err, allot.ECONFLICT, "")
	})
	t.Run("empty file", func(t *testing.T) {
		_, err := f.Dir.UploadImport(f.As(f.CM), directory.NewImport{CompanyID: f.Company.ID, Kind: directory.ImportUsers})
		world.WantError(t, err, allot.EINVALID, "file")
	})
	t.Run("unknown kind", func(t *testing.T) {
		_, err := f.Dir.UploadImport(f.As(f.CM), directory.NewImport{CompanyID: f.Company.ID, Kind: "orders", Data: []byte("a\nb\n")})
		world.WantError(t, err, allot.EINVALID, "kind")
	})

	globex, _ := world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Globex"}))(t)
	other := world.Must(f.Svc.AddUser(f.As(f.PM), allot.NewUser{Email: "cm@globex.test", Role: allot.RoleCompanyManager, CompanyID: globex.ID}))(t).Principal()
	learner := f.Learner(f.Company, "lea@acme.test").Principal()
	t.Run("the company's imports, newest first", func(t *testing.T) {
		later := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, "email\nann@acme.test\n")
		got := world.Must(f.Dir.Imports(f.As(f.CM), f.Company.ID, 10))(t)
		if len(got) < 2 || got[0].ID != later.ID || got[1].ID != imp.ID {
			t.Errorf("imports %+v, want %d then %d first", got, later.ID, imp.ID)
		}
	})
	t.Run("another company's manager finds nothing", func(t *testing.T) {
		_, err := f.Dir.Imports(f.As(other), f.Company.ID, 10)
		world.WantError(t, err, allot.ENOTFOUND, "")
		_, err = f.Dir.Import(f.As(other), imp.ID)
		world.WantError(t, err, allot.ENOTFOUND, "")
		_, err = f.Dir.ImportRows(f.As(other), directory.ImportRowFilter{ImportID: imp.ID})
		world.WantError(t, err, allot.ENOTFOUND, "")
		_, err = f.Dir.PreviewImport(f.As(other), imp.ID, directory.Mapping{directory.FieldEmail: "Mail"})
		world.WantError(t, err, allot.ENOTFOUND, "")
	})
	t.Run("a learner may not import", func(t *testing.T) {
		_, err := f.Dir.UploadImport(f.As(learner), directory.NewImport{CompanyID: f.Company.ID, Kind: directory.ImportUsers, Data: []byte("a\nb\n")})
		if code := allot.ErrorCode(err); code != allot.EFORBIDDEN && code != allot.ENOTFOUND {
			t.Fatalf("a learner uploaded: %v", err)
		}
	})
	t.Run("the partner outside manage mode may only look", func(t *testing.T) {
		world.Must(f.Dir.Import(f.As(f.PM), imp.ID))(t)
		_, err := f.Dir.PreviewImport(f.As(f.PM), imp.ID, directory.Mapping{directory.FieldEmail: "Mail"})
		world.WantError(t, err, allot.EFORBIDDEN, "")
	})
}

func TestRenewByCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		r := world.NewRenewal(t, b, 1) // ann and bob expired; one free seat
		csv := "Name\tE-mail Address\n" +
			"Ann\tann@acme.test\n" +
			"Bob\tbob@acme.test\n" +
			"Cat\tcat@acme.test\n" +
			"Eve\teve@acme.test\n" +
			"Nobody\tnobody@acme.test\n" +
			"Ann again\tANN@acme.test\n" +
			"Broken\tann@@acme\n" +
			"Outsider\tpm@channel.test\n"
		imp := upload(r.Fixture, r.CM, directory.NewImport{Kind: directory.ImportRenewals, ProductCode: "premium"}, csv)
		if imp.Suggested[directory.FieldEmail] != "E-mail Address" || imp.Delimiter != "\t" {
			t.Fatalf("suggested %v, delimiter %q", imp.Suggested, imp.Delimiter)
		}
		imp = preview(r.Fixture, imp.ID, directory.Mapping{directory.FieldEmail: "E-mail Address"})
		if want := (directory.ImportCounts{Rows: 8, Renew: 1, Errors: 7}); imp.Counts != want {
			t.Fatalf("preview %+v, want %+v", imp.Counts, want)
		}
		wantReasons := []string{
			"03: no seat left: 1 free seats of Premium for 1 learners before this one",
			"04: has no expired licence of Premium",
			"05: already active: licensed until " + r.Second.EndsAt.Format("2006-01-02"),
			"06: no one has this e-mail",
			`07: column "E-mail Address": ann@acme.test is on line 2 already`,
			`08: column "E-mail Address": "ann@@acme" is not a valid e-mail address`,
			"09: not a member of this company",
		}
		if got := reasons(r.Fixture, imp.ID); !slices.Equal(got, wantReasons) {
			t.Errorf("reasons\n%q\nwant\n%q", got, wantReasons)
		}
		imp = confirm(r.Fixture, imp.ID)
		if imp.Status != directory.ImportApplied {
			t.Fatalf("confirm: %s %q", imp.Status, imp.Error)
		}
		if got, want := r.Expired(t), []string{"bob@acme.test"}; !slices.Equal(got, want) {
			t.Errorf("expired after the renewal: %v, want %v", got, want)
		}
		if s := r.Seat(r.Ann, "premium"); s.PoolID != r.Second.ID {
			t.Errorf("ann renewed from pool %d, want %d", s.PoolID, r.Second.ID)
		}
	})
}

func TestRenewByCSVSeatsRanOut(t *testing.T) {
	r := world.NewRenewal(t, storetest.Backends[0], 2)
	imp := upload(r.Fixture, r.CM, directory.NewImport{Kind: directory.ImportRenewals, ProductCode: "premium"}, "email\nann@acme.test\nbob@acme.test\n")
	imp = preview(r.Fixture, imp.ID, directory.Mapping{directory.FieldEmail: "email"})
	if imp.Counts.Renew != 2 {
		t.Fatalf("preview %+v", imp.Counts)
	}
	r.Learner(r.Company, "zed@acme.test") // takes one of the two free seats
	imp = confirm(r.Fixture, imp.ID)
	if imp.Status != directory.ImportFailed || !strings.Contains(imp.Error, "nothing was renewed") {
		t.Fatalf("confirm: %s %q, want failed with nothing renewed", imp.Status, imp.Error)
	}
	if got, want := r.Expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
		t.Errorf("expired after the failed renewal: %v, want %v", got, want)
	}
}

// A renewal file that renews no one is applied as it was previewed: no
// one renewed, and no error.
func TestRenewByCSVNoOne(t *testing.T) {
	r := world.NewRenewal(t, storetest.Backends[0], 1)
	imp := upload(r.Fixture, r.CM, directory.NewImport{Kind: directory.ImportRenewals, ProductCode: "premium"}, "email\nnobody@acme.test\n")
	imp = preview(r.Fixture, imp.ID, directory.Mapping{directory.FieldEmail: "email"})
	if want := (directory.ImportCounts{Rows: 1, Errors: 1}); imp.Counts != want {
		t.Fatalf("preview %+v, want %+v", imp.Counts, want)
	}
	imp = confirm(r.Fixture, imp.ID)
	if imp.Status != directory.ImportApplied || imp.Error != "" {
		t.Fatalf("confirm: %s %q, want applied", imp.Status, imp.Error)
	}
	if got, want := r.Expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
		t.Errorf("expired after renewing no one: %v, want %v", got, want)
	}
}

// A person's fields are at most 200 characters, counted as characters,
// whether the person is added by hand or by a file.
func TestPersonFieldLength(t *testing.T) {
	f := world.Setup(t, storetest.Backends[0])
	world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "ok@acme.test", FirstName: strings.Repeat("é", 200), CompanyID: f.Company.ID}))(t)
	_, err := f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "long@acme.test", FirstName: strings.Repeat("é", 201), CompanyID: f.Company.ID})
	world.WantError(t, err, allot.EINVALID, "first_name")

	imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers},
		"email,first\nfine@acme.test,"+strings.Repeat("é", 200)+"\nlong@acme.test,"+strings.Repeat("é", 201)+"\n")
	imp = preview(f, imp.ID, directory.Mapping{directory.FieldEmail: "email", directory.FieldFirstName: "first"})
	if want := []string{`03: column "first": at most 200 characters`}; imp.Counts.Create != 1 || !slices.Equal(reasons(f, imp.ID), want) {
		t.Errorf("preview %+v, reasons %q, want one to create and %q", imp.Counts, reasons(f, imp.ID), want)
	}
}

// A row whose name holds a control character, or whose e-mail holds an
// invisible one, is refused through the kernel's rule, saying its line and
// column; the other rows are imported. (A quoted line break reads as LF,
// and its row takes two lines of the file.)
func TestImportRefusesControlCharacters(t *testing.T) {
	f := world.Setup(t, storetest.Backends[0])
	imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers},
		"email,first,last\n"+
			"fine@acme.test,Ann,Smith\n"+
			"cr@acme.test,\"Bob\rBcc: all@acme.test\",Jones\n"+
			"bell@acme.test,Cy,Lee\a\n"+
			"rlo\u202e@acme.test,Di,Fox\n"+
			"zw\u200b@acme.test,Ed,Moe\n")
	imp = preview(f, imp.ID, directory.Mapping{directory.FieldEmail: "email", directory.FieldFirstName: "first",
		directory.FieldLastName: "last"})
	want := []string{
		`03: column "first": character 4 is a control character such as a line break (U+000A); remove it`,
		`05: column "last": character 4 is a control character such as a line break (U+0007); remove it`,
		`06: column "email": character 4 is a direction control, which makes text read other than it is written (U+202E); remove it`,
		`07: column "email": character 3 is an invisible character (U+200B); remove it`,
	}
	if got := reasons(f, imp.ID); imp.Counts.Create != 1 || !slices.Equal(got, want) {
		t.Errorf("preview %+v, reasons\n%s\nwant\n%s", imp.Counts, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
