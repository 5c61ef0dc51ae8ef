package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"allot/directory"

	"allot"
)

var importTests = []test{
	{"RoundTrip", testImportRoundTrip},
	{"List", testImportList},
	{"Update", testUpdateImport},
	{"Rows", testImportRows},
	{"StageChunks", testStageChunks},
	{"StageLineTwice", testStageLineTwice},
	{"StartRun", testStartImportRun},
	{"StartRunWhileStaging", testStartRunWhileStaging},
}

// addImport creates a users import of company c, created at at, that is
// previewing: its rows may be staged.
func addImport(t *testing.T, s Stores, c allot.Company, at time.Time) directory.Import {
	t.Helper()
	i := directory.Import{CompanyID: c.ID, Kind: directory.ImportUsers, FileName: "people.csv", Encoding: "utf-8", Delimiter: ",",
		Header: []string{"email"}, Suggested: directory.Mapping{directory.FieldEmail: "email"},
		Mapping: directory.Mapping{directory.FieldEmail: "email"}, Status: directory.ImportPreviewing, CreatedAt: at, UpdatedAt: at}
	write(t, s.Directory(), func(tx directory.Tx) error { return tx.CreateImport(&i, []byte("email\n")) })
	return i
}

// stage stages rows for import imp and stops the test when it fails.
func stage(t *testing.T, s Stores, imp directory.Import, rows ...directory.ImportRow) {
	t.Helper()
	if err := s.Directory().StageImport(t.Context(), imp, rows); err != nil {
		t.Fatalf("StageImport of %d rows: %v", len(rows), err)
	}
}

// importRows returns the import rows f selects.
func importRows(t *testing.T, s Stores, f directory.ImportRowFilter) []directory.ImportRow {
	t.Helper()
	return read(t, s.Directory(), func(tx directory.Tx) ([]directory.ImportRow, error) { return tx.ImportRows(f) })
}

// lineRows returns an error row for each line, tagged with tag.
func lineRows(tag string, lines ...int) []directory.ImportRow {
	var out []directory.ImportRow
	for _, l := range lines {
		out = append(out, directory.ImportRow{Line: l, Email: fmt.Sprintf("line%d@acme.test", l), FirstName: tag,
			Action: directory.RowError, Reason: "staged by " + tag})
	}
	return out
}

// wantTakenOver fails the test unless err is the conflict of a run that
// another run took over.
func wantTakenOver(t *testing.T, what string, err error) {
	t.Helper()
	if allot.ErrorCode(err) != allot.ECONFLICT || !errors.Is(err, allot.ErrTakenOver) {
		t.Errorf("%s: error %v, want a conflict that is allot.ErrTakenOver", what, err)
	}
}

func rowLine(r directory.ImportRow) int64 { return int64(r.Line) }
func importID(i directory.Import) int64   { return i.ID }

// sameImport is same for imports, which hold maps and slices.
func sameImport(t *testing.T, what string, got, want directory.Import) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// sameRows fails the test when got is not want, row by row, naming the
// first row that differs.
func sameRows(t *testing.T, what string, got, want []directory.ImportRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("%s: row %d:\n got  %+v\n want %+v", what, i, got[i], want[i])
			return
		}
	}
}

func testImportRoundTrip(t *testing.T, s Stores) {
	w := seed(t, s)
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(day))
	i := directory.Import{CompanyID: w.acme.ID, Kind: directory.ImportRenewals, ProductID: w.premium.ID, PoolID: p.ID,
		FileName: "Expirés – mars.csv", Encoding: "windows-1252", Delimiter: ";",
		Header: []string{"E-mail", "Prénom", "Nom", ""}, HeaderLine: 3,
		Suggested: directory.Mapping{directory.FieldEmail: "E-mail", directory.FieldFirstName: "Prénom", directory.FieldLastName: "Nom"},
		Mapping:   directory.Mapping{directory.FieldEmail: "E-mail"},
		Status:    directory.ImportFailed, Total: 1200, Done: 1000,
		Counts: directory.ImportCounts{Rows: 1000, Create: 1, Update: 2, Unchanged: 3, Renew: 4, Errors: 5, Licensed: 6,
			Unlicensed: 7},
		Error: `line 3, column "E-mail": "ann@" is not an e-mail`,
		Actor: allot.Principal{UserID: 7, Email: "pm@channel.test", Role: allot.RolePartnerManager, PartnerID: w.partner.ID,
			CompanyID: 9, ActingCompanyID: w.acme.ID},
		CreatedAt: t0.In(elsewhere), UpdatedAt: t0.Add(time.Minute + time.Microsecond).In(elsewhere)}
	file := []byte("E-mail;Nom\r\nann@acme.test;M\xfcller\x00\r\n\xff\xfe\x80;\"a\"\"b\"\n")
	write(t, s.Directory(), func(tx directory.Tx) error { return tx.CreateImport(&i, bytes.Clone(file)) })
	if i.ID == 0 {
		t.Fatal("CreateImport set no ID")
	}
	want := i
	want.CreatedAt, want.UpdatedAt = t0, t0.Add(time.Minute+time.Microsecond)
	sameImport(t, "Import", read(t, s.Directory(), func(tx directory.Tx) (directory.Import, error) { return tx.Import(i.ID) }), want)
	got := read(t, s.Directory(), func(tx directory.Tx) ([]byte, error) { return tx.ImportFile(i.ID) })
	if !bytes.Equal(got, file) {
		t.Errorf("ImportFile: %q, want %q", got, file)
	}

	// An import just uploaded has no mapping or counts yet; its file is one NUL.
	bare := directory.Import{CompanyID: w.direct.ID, Kind: directory.ImportUsers, Status: directory.ImportUploaded,
		CreatedAt: t0, UpdatedAt: t0}
	write(t, s.Directory(), func(tx directory.Tx) error { return tx.CreateImport(&bare, []byte{0}) })
	sameImport(t, "uploaded Import", read(t, s.Directory(), func(tx directory.Tx) (directory.Import, error) { return tx.Import(bare.ID) }), bare)
	got = read(t, s.Directory(), func(tx directory.Tx) ([]byte, error) { return tx.ImportFile(bare.ID) })
	if !bytes.Equal(got, []byte{0}) {
		t.Errorf("ImportFile of the uploaded import: %q, want one NUL", got)
	}

	wantCode(t, "Import of a missing ID", readErr(t, s.Directory(), func(tx directory.Tx) error {
		_, err := tx.Import(bare.ID + 100)
		return err
	}), allot.ENOTFOUND)
	wantCode(t, "ImportFile of a missing ID", readErr(t, s.Directory(), func(tx directory.Tx) error {
		_, err := tx.ImportFile(bare.ID + 100)
		return err
	}), allot.ENOTFOUND)
}

func testImportList(t *testing.T, s Stores) {
	w := seed(t, s)
	a := addImport(t, s, w.acme, t0)
	b := addImport(t, s, w.direct, t0.Add(time.Minute))
	c := addImport(t, s, w.acme, t0.Add(2*time.Minute))
	d := addImport(t, s, w.acme, t0.Add(3*time.Minute))
	for _, tc := range []struct {
		name      string
		companyID int64
		limit     int
		want      []int64
	}{
		{"company, newest first", w.acme.ID, 0, []int64{d.ID, c.ID, a.ID}},
		{"limit", w.acme.ID, 2, []int64{d.ID, c.ID}},
		{"another company", w.direct.ID, 0, []int64{b.ID}},
		{"a company without imports", w.acme.ID + w.direct.ID + 100, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s.Directory(), func(tx directory.Tx) ([]directory.Import, error) { return tx.Imports(tc.companyID, tc.limit) })
			sameIDs(t, "Imports", got, importID, tc.want...)
		})
	}
	t.Run("found imports are whole", func(t *testing.T) {
		got := read(t, s.Directory(), func(tx directory.Tx) ([]directory.Import, error) { return tx.Imports(w.acme.ID, 0) })
		if len(got) == 3 {
			sameImport(t, "newest Import", got[0], d)
			sameImport(t, "oldest Import", got[2], a)
		}
	})
}

func testUpdateImport(t *testing.T, s Stores) {
	w := seed(t, s)
	i := addImport(t, s, w.acme, t0)
	other := addImport(t, s, w.acme, t0)
	get := func(id int64) directory.Import {
		t.Helper()
		return read(t, s.Directory(), func(tx directory.Tx) (directory.Import, error) { return tx.Import(id) })
	}

	up := i
	// What UpdateImport saves.
	up.Mapping = directory.Mapping{directory.FieldEmail: "email", directory.FieldFirstName: "email"}
	up.Status, up.Total, up.Done, up.Error = directory.ImportApplying, 500, 250, "not yet"
	up.Counts = directory.ImportCounts{Rows: 250, Create: 200, Update: 30, Unchanged: 10, Errors: 10, Licensed: 150, Unlicensed: 50}
	up.Actor = allot.Principal{UserID: 3, Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID}
	up.UpdatedAt = t0.Add(time.Hour).In(elsewhere)
	// What it keeps.
	up.CompanyID, up.Kind, up.ProductID, up.PoolID = w.direct.ID, directory.ImportRenewals, 9, 9
	up.FileName, up.Encoding, up.Delimiter = "other.csv", "utf-16", "\t"
	up.Header, up.Suggested, up.CreatedAt = []string{"x"}, directory.Mapping{directory.FieldEmail: "x"}, t0.Add(day)
	write(t, s.Directory(), func(tx directory.Tx) error { return tx.UpdateImport(up, directory.ImportPreviewing) })
	want := i
	want.Mapping, want.Status, want.Total, want.Done, want.Error = up.Mapping, up.Status, up.Total, up.Done, up.Error
	want.Counts, want.Actor, want.UpdatedAt = up.Counts, up.Actor, t0.Add(time.Hour)
	sameImport(t, "updated Import", get(i.ID), want)
	sameImport(t, "the other Import", get(other.ID), other)

	late := want
	late.Status, late.Error, late.Done, late.UpdatedAt = directory.ImportFailed, "too late", 1, t0.Add(2*time.Hour)
	wantCode(t, "UpdateImport from a status it is no longer in", writeErr(t, s.Directory(), func(tx directory.Tx) error {
		return tx.UpdateImport(late, directory.ImportPreviewing)
	}), allot.ECONFLICT)
	sameImport(t, "Import after a refused update", get(i.ID), want)
	wantCode(t, "UpdateImport of a missing ID", writeErr(t, s.Directory(), func(tx directory.Tx) error {
		missing := late
		missing.ID = other.ID + 100
		return tx.UpdateImport(missing, directory.ImportApplying)
	}), allot.ECONFLICT)

	done := want
	done.Status, done.Error, done.UpdatedAt = directory.ImportApplied, "", t0.Add(3*time.Hour)
	write(t, s.Directory(), func(tx directory.Tx) error { return tx.UpdateImport(done, directory.ImportApplying) })
	sameImport(t, "Import updated from its status", get(i.ID), done)
}

func testImportRows(t *testing.T, s Stores) {
	w := seed(t, s)
	a := addImport(t, s, w.acme, t0)
	b := addImport(t, s, w.acme, t0)
	rows := []directory.ImportRow{
		{Line: 2, Seq: 1, Email: "zoe@acme.test", FirstName: "Zoë", LastName: "O'Hara", Department: "R&D",
			Manager: "ann@acme.test", ExternalID: "E-0002", Action: directory.RowCreate, After: `{"Email":"zoe@acme.test"}`},
		{Line: 3, Email: "ann@acme.test", FirstName: "Ann", LastName: "Lee", Department: "Sales", UserID: 41,
			Action: directory.RowUpdate, Before: `{"FirstName":"Anne"}`, After: `{"FirstName":"Ann"}`},
		{Line: 4, Email: "bob@acme.test", UserID: 42, Disabled: true, Action: directory.RowUnchanged},
		// Line 5 continues line 4's quoted field.
		{Line: 6, Email: "not an e-mail", FirstName: " \t", Action: directory.RowError,
			Reason: `column "E-mail": "not an e-mail" is not an e-mail`},
		{Line: 7, Seq: 2, Email: "dee@acme.test", Disabled: true, Action: directory.RowCreate, Reason: "disabled in the file"},
		{Line: 9, Seq: 1, Email: "eve@acme.test", UserID: 43, Action: directory.RowRenew},
		{Line: 10, Action: directory.RowError, Reason: "line 10: a quote ends no field"},
	}
	stage(t, s, a, rows[4], rows[0], rows[6])
	stage(t, s, a, rows[1], rows[5], rows[3], rows[2])
	stage(t, s, b, lineRows("b", 2, 3)...)

	for _, tc := range []struct {
		name string
		f    directory.ImportRowFilter
		want []int64
	}{
		{"all, by line", directory.ImportRowFilter{ImportID: a.ID}, []int64{2, 3, 4, 6, 7, 9, 10}},
		{"create", directory.ImportRowFilter{ImportID: a.ID, Action: directory.RowCreate}, []int64{2, 7}},
		{"update", directory.ImportRowFilter{ImportID: a.ID, Action: directory.RowUpdate}, []int64{3}},
		{"renew", directory.ImportRowFilter{ImportID: a.ID, Action: directory.RowRenew}, []int64{9}},
		{"error", directory.ImportRowFilter{ImportID: a.ID, Action: directory.RowError}, []int64{6, 10}},
		{"disabled", directory.ImportRowFilter{ImportID: a.ID, Disabled: true}, []int64{4, 7}},
		{"disabled, to create", directory.ImportRowFilter{ImportID: a.ID, Action: directory.RowCreate, Disabled: true}, []int64{7}},
		{"after a line", directory.ImportRowFilter{ImportID: a.ID, AfterLine: 4}, []int64{6, 7, 9, 10}},
		{"after a line not staged", directory.ImportRowFilter{ImportID: a.ID, AfterLine: 5}, []int64{6, 7, 9, 10}},
		{"after the last line", directory.ImportRowFilter{ImportID: a.ID, AfterLine: 10}, nil},
		{"limit", directory.ImportRowFilter{ImportID: a.ID, Limit: 3}, []int64{2, 3, 4}},
		{"everything", directory.ImportRowFilter{ImportID: a.ID, Action: directory.RowError, AfterLine: 6, Limit: 1}, []int64{10}},
		{"another import", directory.ImportRowFilter{ImportID: b.ID}, []int64{2, 3}},
		{"another import's action", directory.ImportRowFilter{ImportID: b.ID, Action: directory.RowCreate}, nil},
		{"a missing import", directory.ImportRowFilter{ImportID: b.ID + 100}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sameIDs(t, "ImportRows", importRows(t, s, tc.f), rowLine, tc.want...)
		})
	}
	t.Run("found rows are whole", func(t *testing.T) {
		sameRows(t, "ImportRows", importRows(t, s, directory.ImportRowFilter{ImportID: a.ID}), rows)
		sameRows(t, "ImportRows of another import", importRows(t, s, directory.ImportRowFilter{ImportID: b.ID}),
			lineRows("b", 2, 3))
	})
	t.Run("paging", func(t *testing.T) {
		var pages [][]int64
		f := directory.ImportRowFilter{ImportID: a.ID, Limit: 3}
		for range len(rows) {
			page := importRows(t, s, f)
			if len(page) == 0 {
				break
			}
			var lines []int64
			for _, r := range page {
				lines = append(lines, rowLine(r))
			}
			pages = append(pages, lines)
			f.AfterLine = page[len(page)-1].Line
		}
		if want := [][]int64{{2, 3, 4}, {6, 7, 9}, {10}}; fmt.Sprint(pages) != fmt.Sprint(want) {
			t.Errorf("pages of 3 rows: %v, want %v", pages, want)
		}
	})
}

// testStageChunks stages batches around the sizes a backend may split them
// into, and finds every row again.
func testStageChunks(t *testing.T, s Stores) {
	w := seed(t, s)
	for _, n := range []int{0, 1, 63, 64, 65, 128, 1000} {
		t.Run(fmt.Sprintf("%d rows", n), func(t *testing.T) {
			imp := addImport(t, s, w.acme, t0)
			rows := make([]directory.ImportRow, n)
			for i := range rows {
				rows[i] = directory.ImportRow{Line: i + 2, Seq: i + 1, Email: fmt.Sprintf("u%04d@acme.test", i),
					FirstName: fmt.Sprintf("First %d", i), LastName: fmt.Sprintf("Last %d", i), Department: fmt.Sprintf("D%d", i%7),
					Manager: fmt.Sprintf("m%d@acme.test", i%3), ExternalID: fmt.Sprintf("X%05d", i), UserID: int64(1000 + i),
					Action: directory.RowActions[i%len(directory.RowActions)], Reason: fmt.Sprintf("reason %d", i),
					Before: fmt.Sprintf(`{"i":%d}`, i), After: fmt.Sprintf(`{"i":%d}`, -i)}
			}
			stage(t, s, imp, rows...)
			sameRows(t, "ImportRows", importRows(t, s, directory.ImportRowFilter{ImportID: imp.ID}), rows)
		})
	}
}

// testStageLineTwice checks that a batch with a line staged already is
// refused whole, wherever the line is in the batch.
func testStageLineTwice(t *testing.T, s Stores) {
	w := seed(t, s)
	imp := addImport(t, s, w.acme, t0)
	other := addImport(t, s, w.acme, t0)
	first := lineRows("first", 2, 3, 4)
	stage(t, s, imp, first...)
	var long []int // a full chunk of rows, then the first of them again
	for l := 100; l < 200; l++ {
		long = append(long, l)
	}
	long = append(long, 100)
	for _, tc := range []struct {
		name string
		rows []directory.ImportRow
	}{
		{"a line staged before", lineRows("again", 5, 6, 3, 7)},
		{"a line staged before, first", lineRows("again", 2, 5)},
		{"a line twice in the batch", lineRows("again", 10, 11, 10)},
		{"a line twice, many rows apart", lineRows("again", long...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Directory().StageImport(t.Context(), imp, tc.rows)
			if wantCode(t, "StageImport", err, allot.ECONFLICT); errors.Is(err, allot.ErrTakenOver) {
				t.Errorf("StageImport: %v, a line staged twice, reads as a run taken over", err)
			}
			sameRows(t, "ImportRows after the refused batch", importRows(t, s, directory.ImportRowFilter{ImportID: imp.ID}), first)
		})
	}
	t.Run("the same lines in another import", func(t *testing.T) {
		stage(t, s, other, lineRows("other", 2, 3, 4)...)
		sameRows(t, "ImportRows of the other import", importRows(t, s, directory.ImportRowFilter{ImportID: other.ID}),
			lineRows("other", 2, 3, 4))
	})
}

// testStartImportRun checks that a new run of a preview clears the rows of
// the runs before, and that only the latest run may stage rows, record
// progress or finish the preview.
func testStartImportRun(t *testing.T, s Stores) {
	w := seed(t, s)
	a := addImport(t, s, w.acme, t0)
	b := addImport(t, s, w.acme, t0)
	get := func(id int64) directory.Import {
		t.Helper()
		return read(t, s.Directory(), func(tx directory.Tx) (directory.Import, error) { return tx.Import(id) })
	}
	first := a
	first.Done = 3
	stage(t, s, first, lineRows("first", 2, 3, 4)...)
	stage(t, s, b, lineRows("b", 2, 3)...)
	if got := get(a.ID); got.Done != 3 || got.Run != 0 {
		t.Errorf("after staging: done %d, run %d; want the 3 rows staged, run 0", got.Done, got.Run)
	}

	second := get(a.ID)
	write(t, s.Directory(), func(tx directory.Tx) error { return tx.StartImportRun(&second) })
	if second.Run != 1 || second.Done != 0 {
		t.Errorf("StartImportRun: run %d, done %d; want run 1, done 0", second.Run, second.Done)
	}
	sameImport(t, "the import of the new run", get(a.ID), second)
	sameIDs(t, "ImportRows of the new run", importRows(t, s, directory.ImportRowFilter{ImportID: a.ID}), rowLine)
	sameRows(t, "the other import's rows", importRows(t, s, directory.ImportRowFilter{ImportID: b.ID}), lineRows("b", 2, 3))

	// The first run goes on as if nothing happened: all it does is refused.
	first.Done = 5
	wantTakenOver(t, "StageImport by the run before", s.Directory().StageImport(t.Context(), first, lineRows("late", 5, 6)))
	wantTakenOver(t, "StartImportRun by the run before", writeErr(t, s.Directory(), func(tx directory.Tx) error { return tx.StartImportRun(&first) }))
	finished := first
	finished.Status = directory.ImportPreviewed
	wantTakenOver(t, "UpdateImport by the run before", writeErr(t, s.Directory(), func(tx directory.Tx) error {
		return tx.UpdateImport(finished, directory.ImportPreviewing)
	}))
	sameImport(t, "the import after the run before was refused", get(a.ID), second)
	sameIDs(t, "ImportRows after the run before was refused", importRows(t, s, directory.ImportRowFilter{ImportID: a.ID}), rowLine)

	second.Done = 1
	stage(t, s, second, lineRows("second", 2)...)
	sameRows(t, "ImportRows of the new run", importRows(t, s, directory.ImportRowFilter{ImportID: a.ID}), lineRows("second", 2))
	if got := get(a.ID); got.Done != 1 {
		t.Errorf("progress of the new run: %d rows done, want 1", got.Done)
	}
	second.Status = directory.ImportPreviewed
	write(t, s.Directory(), func(tx directory.Tx) error { return tx.UpdateImport(second, directory.ImportPreviewing) })
	wantTakenOver(t, "StartImportRun of a previewed import", writeErr(t, s.Directory(), func(tx directory.Tx) error { return tx.StartImportRun(&second) }))
	wantTakenOver(t, "StageImport into a previewed import", s.Directory().StageImport(t.Context(), second, lineRows("late", 7)))
	sameRows(t, "ImportRows of the previewed import", importRows(t, s, directory.ImportRowFilter{ImportID: a.ID}), lineRows("second", 2))
}

// testStartRunWhileStaging starts a new run while the run before stages a
// batch, many times: whichever commits first, no row of the run before is
// left.
func testStartRunWhileStaging(t *testing.T, s Stores) {
	w := seed(t, s)
	imp := addImport(t, s, w.acme, t0)
	var lines []int
	for l := 2; l < 2002; l++ {
		lines = append(lines, l)
	}
	batch := lineRows("before", lines...)
	for i := range 20 {
		staged := make(chan error, 1)
		go func(before directory.Import) { staged <- s.Directory().StageImport(t.Context(), before, batch) }(imp)
		write(t, s.Directory(), func(tx directory.Tx) error {
			cur, err := tx.Import(imp.ID)
			if err != nil {
				return err
			}
			imp = cur
			return tx.StartImportRun(&imp)
		})
		if err := <-staged; err != nil {
			wantTakenOver(t, "StageImport by the run before", err)
		}
		if rows := importRows(t, s, directory.ImportRowFilter{ImportID: imp.ID, Limit: -1}); len(rows) != 0 {
			t.Fatalf("round %d: %d rows of the run before left after run %d started", i, len(rows), imp.Run)
		}
	}
}
