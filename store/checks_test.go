package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenChecksSaysWhatFailed(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	file := emptyDB(t)
	for _, tc := range []struct {
		name, file, byID, want string
	}{
		{"no such directory", filepath.Join(notADir, "ledger.db"), "SELECT $1", "open: unable to open database file"},
		{"a statement that does not parse", file, "SELEC $1", `prepare: near "SELEC": syntax error`},
		{"a parameter not numbered", file, "SELECT :id", `prepare: parameter ":id" is not $1 to $1`},
		{"a parameter missing", file, "SELECT $2", `prepare: parameter "$2" is not $1 to $1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checks, err := openChecks(2, tc.file, []string{"query_only = 1"}, tc.byID, "SELECT $1")
			if err == nil {
				checks.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestChecksBindByNumber(t *testing.T) {
	checks, err := openChecks(1, emptyDB(t), nil, "SELECT $2, $1, $2 || $1", "SELECT $1")
	if err != nil {
		t.Fatal(err)
	}
	defer checks.Close()
	c := <-checks
	defer func() { checks <- c }()
	found, err := c.step(c.byID, []any{int64(7), "seat "})
	if err != nil || !found {
		t.Fatalf("found %v, %v", found, err)
	}
	r := sqliteRow{c.tls, c.byID.stmt}
	if a, b, ab := r.text(0), r.integer(1), r.text(2); a != "seat " || b != 7 || ab != "seat 7" {
		t.Errorf("row %q %d %q, want \"seat \" 7 \"seat 7\"", a, b, ab)
	}
	c.reset(c.byID)
	if found, err := c.step(c.byEmail, []any{1.5}); err == nil || found {
		t.Errorf("bound a float: found %v, %v", found, err)
	}
	c.reset(c.byEmail)
}

// emptyDB returns a new, empty SQLite file: the check's connections open
// a database, never create one.
func emptyDB(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ledger.db")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}
