package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/demo"
)

// run runs the allot program with args and returns its exit status and
// what it printed.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := NewMain(&stdout, &stderr)
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); cerr != nil {
		t.Fatalf("close: %v", cerr)
	}
	var exit exitCode
	switch {
	case errors.As(err, &exit):
		return int(exit), stdout.String(), stderr.String()
	case err != nil:
		t.Fatalf("allot %v: %v", args, err)
	}
	return 0, stdout.String(), stderr.String()
}

func TestServeWithDemoData(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	m := NewMain(&stdout, &bytes.Buffer{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-demo", "-data", dir}) }()
	var addr string
	select {
	case addr = <-m.Listening:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("serve did not start listening")
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", path, res.StatusCode)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	m.Close()
	for _, want := range []string{"admin@allot.demo", "manager@northwind.demo", demo.Password, "http://" + addr + "/"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("serve printed no %q:\n%s", want, stdout.String())
		}
	}
}

func TestCheckDemoLearners(t *testing.T) {
	db := filepath.Join(t.TempDir(), "allot.db")
	code, out, errout := run(t, "demo", "-database", db)
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errout)
	}
	learners := map[string]string{} // status → e-mail, as the demo printed them
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 2 && strings.Contains(f[0], "@") {
			learners[f[1]] = f[0]
		}
	}
	tests := []struct {
		status string
		exit   int
		want   []string
	}{
		{"active", 0, []string{"yes:", "(active)"}},
		{"expiring", 0, []string{"yes:", "(expiring)"}},
		{"expired", 1, []string{"no:", "expired on", "(expired)", "contact: Morgan Globex <manager@globex.demo>"}},
		{"released", 1, []string{"no:", "released on", "(released)", "contact:"}},
		{"unlicensed", 1, []string{"no:", "waiting for a free seat", "(unlicensed)", "contact:"}},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			email := learners[tt.status]
			if email == "" {
				t.Fatalf("the demo printed no %s learner:\n%s", tt.status, out)
			}
			code, got, _ := run(t, "check", "-database", db, strings.ToUpper(email), "premium")
			if code != tt.exit {
				t.Errorf("exit %d, want %d", code, tt.exit)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("check printed %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

func TestBadInvocations(t *testing.T) {
	db := filepath.Join(t.TempDir(), "allot.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage:"},
		{"unknown command", []string{"launch"}, `unknown command "launch"`},
		{"unknown flag", []string{"serve", "-port", "1"}, "flag provided but not defined: -port"},
		{"bad address", []string{"serve", "-addr", "localhost", "-database", db}, `-addr: "localhost" is not host:port`},
		{"bad database", []string{"migrate", "-database", "mysql://x/y"}, `"mysql" is not a database allot runs on`},
		{"check without product", []string{"check", "-database", db, "a@b.example"}, "give EMAIL and PRODUCT"},
		{"check unknown user", []string{"check", "-database", db, "nobody@b.example", "premium"}, "user not found"},
		{"stray argument", []string{"migrate", "-database", db, "now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errout := run(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errout, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", errout, tt.want)
			}
		})
	}
}

func TestFormatDecision(t *testing.T) {
	until := time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC)
	yes := FormatDecision(allot.Decision{Allowed: true, Email: "a@b.example", ProductCode: "premium", Until: until, Status: allot.StatusActive})
	if want := "yes: a@b.example may use premium until 2027-01-31T12:00:00Z (active)\n"; yes != want {
		t.Errorf("got %q, want %q", yes, want)
	}
}
