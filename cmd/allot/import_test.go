package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/csvio"
	"allot/directory"
	"allot/jobs"
	"allot/store"
)

func TestImportUsers(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "allot.db")
	if code, _, errout := run(t, "demo", "-database", db); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errout)
	}
	file := filepath.Join(dir, "people.csv")
	// Excel in a German locale: semicolons, Windows-1252 (ä is 0xE4), CRLF.
	data := "E-Mail-Adresse;Vorname;Nachname;Abteilung\r\n" +
		"jana.kr\xe4mer@initech.demo;Jana;Kr\xe4mer;Vertrieb\r\n" +
		"kein-e-mail;X;Y;Z\r\n" +
		"otto@initech.demo;Otto;Neu;\r\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errout := run(t, "import", "users", file, "-company", "Initech", "-database", db, "-dry-run")
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errout)
	}
	for _, want := range []string{"Windows-1252, semicolon-separated", "email       ← E-Mail-Adresse",
		"first_name  ← Vorname", "3 rows: 2 to create", "1 with errors",
		`line 3: column "E-Mail-Adresse": "kein-e-mail" is not a valid e-mail address`, "dry run: nothing changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run printed\n%s\nwant it to contain %q", out, want)
		}
	}
	if code, out, _ := run(t, "check", "-database", db, "otto@initech.demo", "premium"); code != 2 || strings.Contains(out, "yes") {
		t.Fatalf("the dry run added otto: exit %d %s", code, out)
	}

	code, out, errout = run(t, "import", "-database", db, "users", file, "-company", "Initech", "-map", "department=Abteilung")
	if code != 0 || !strings.Contains(out, "imported: 2 created") {
		t.Fatalf("import: exit %d:\n%s\n%s", code, out, errout)
	}
	// The user is there: the check knows them, licensed or waiting.
	if code, out, _ := run(t, "check", "-database", db, "jana.kr\u00e4mer@initech.demo", "premium"); code == 2 {
		t.Fatalf("jana was not imported: %s", out)
	}
	code, out, _ = run(t, "import", "users", file, "-company", "Initech", "-database", db)
	if code != 0 || !strings.Contains(out, "0 created") || !strings.Contains(out, "2 unchanged") {
		t.Fatalf("the second import: exit %d:\n%s", code, out)
	}

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no company", []string{"users", file}, "give users FILE -company COMPANY"},
		{"unknown company", []string{"users", file, "-company", "Nope"}, `no company is named "Nope"`},
		{"no such file", []string{"users", filepath.Join(dir, "missing.csv"), "-company", "Initech"}, "no such file"},
		{"a column not in the file", []string{"users", file, "-company", "Initech", "-map", "email=Mail"}, `mapping.email: the file has no column "Mail"`},
		{"a bad -map", []string{"users", file, "-company", "Initech", "-map", "email"}, "give field=Column"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errout := run(t, append([]string{"import", "-database", db}, tt.args...)...)
			if code != 2 || !strings.Contains(errout, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errout, tt.want)
			}
		})
	}
}

// An import from the command line while a server's worker runs on the same
// database: whichever takes a step, the import is whole and done once.
func TestImportUsersBesideAWorker(t *testing.T) {
	db, file := importBeside(t, func(dir *directory.Service) jobs.Handler { return dir.RunImport })
	code, out, errout := run(t, "import", "users", file, "-company", "Initech", "-database", db)
	if code != 0 || !strings.Contains(out, "preview: 30000 rows: 30000 to create") || !strings.Contains(out, "imported: 30000 created") {
		t.Fatalf("import: exit %d:\n%s\n%s", code, out, errout)
	}
}

// A worker that takes a preview over from the command line and then stops
// making progress: the command line runs the preview again.
func TestImportUsersAfterAStalledRun(t *testing.T) {
	defer func(d time.Duration) { importStalled = d }(importStalled)
	importStalled = 300 * time.Millisecond
	var took atomic.Int64 // the import the stalled run took over
	stuck := func(dir *directory.Service) jobs.Handler {
		return func(ctx context.Context, j allot.Job) error {
			var job struct {
				ImportID int64 `json:"import_id"`
			}
			if err := json.Unmarshal([]byte(j.Payload), &job); err != nil {
				return err
			}
			// Once the command line's run has begun, a run starts, takes
			// the preview over, and makes no progress.
			for ctx.Err() == nil {
				taken := false
				err := dir.Store.Write(ctx, func(tx directory.Tx) error {
					imp, err := tx.Import(job.ImportID)
					if err != nil || imp.Status != directory.ImportPreviewing || imp.Run == 0 {
						return err
					}
					taken = true
					took.Store(imp.ID)
					return tx.StartImportRun(&imp)
				})
				if err != nil || taken {
					break
				}
				time.Sleep(time.Millisecond)
			}
			<-ctx.Done()
			return nil
		}
	}
	db, file := importBeside(t, stuck)
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.code, r.out, r.err = run(t, "import", "users", file, "-company", "Initech", "-database", db)
		done <- r
	}()
	select {
	case r := <-done:
		if r.code != 0 || !strings.Contains(r.out, "imported: 30000 created") {
			t.Fatalf("import: exit %d:\n%s\n%s", r.code, r.out, r.err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the import still waits for the stalled run after a minute")
	}
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var imp directory.Import
	if err := st.Directory().Read(t.Context(), func(tx directory.Tx) (err error) {
		imp, err = tx.Import(took.Load())
		return err
	}); err != nil {
		t.Fatalf("the import the stalled run took over: %v", err)
	}
	if imp.Run != 3 {
		t.Errorf("the preview's runs: %d, want 3: the command line's, the stalled one, the command line's again", imp.Run)
	}
}

// importBeside makes a demo database and a file of 30,000 new people for
// Initech, and runs a worker on that database for the length of the test,
// with handler's job handler for imports.
func importBeside(t *testing.T, handler func(*directory.Service) jobs.Handler) (db, file string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "allot.db")
	if code, _, errout := run(t, "demo", "-database", db); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errout)
	}
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	svc := allot.NewService(st, allot.SystemClock{}, nil)
	people := &directory.Service{Ledger: svc, Store: st.Directory(), Files: csvio.Files{}}
	ctx, stop := context.WithCancel(context.Background())
	w := &jobs.Worker{Store: st, Clock: svc.Clock, Poll: time.Millisecond,
		Handlers: map[string]jobs.Handler{directory.JobImport: handler(people)}}
	stopped := make(chan struct{})
	go func() { w.Run(ctx); close(stopped) }()
	t.Cleanup(func() {
		stop()
		<-stopped
		st.Close()
	})

	var csv strings.Builder
	csv.WriteString("email\n")
	for i := range 30_000 {
		fmt.Fprintf(&csv, "person%d@initech.demo\n", i)
	}
	file = filepath.Join(dir, "people.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return db, file
}
