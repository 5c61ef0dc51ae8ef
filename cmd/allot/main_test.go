package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/demo"
	"allot/store"
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
		{"jobs with an argument", []string{"jobs", "-database", db, "all"}, `unexpected argument "all"`},
		{"mail without a limit", []string{"mail", "-database", db, "-limit", "0"}, "-limit: give 1 to 500, not 0"},
		{"mail with too high a limit", []string{"mail", "-database", db, "-limit", "501"}, "-limit: give 1 to 500, not 501"},
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

func TestJobsAndMail(t *testing.T) {
	db := filepath.Join(t.TempDir(), "allot.db")
	code, out, _ := run(t, "jobs", "-database", db)
	if code != 0 || out != "no job is pending or failed\n" {
		t.Errorf("jobs on an empty database: exit %d, %q", code, out)
	}
	if code, _, errout := run(t, "demo", "-database", db); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errout)
	}
	code, out, _ = run(t, "mail", "-database", db)
	if code != 0 || !strings.HasPrefix(out, "no mail yet") {
		t.Errorf("mail before any was sent: exit %d, %q", code, out)
	}

	// The demo's orders owe mail to those who assign them, to their
	// requesters and to the managers, its seats to their learners, its
	// new learner a welcome, its programme's members their invitations,
	// and its support requests their receipts, replies and the desk's
	// warnings: queued as jobs.
	code, out, _ = run(t, "jobs", "-database", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) < 2 || strings.Join(strings.Fields(lines[0]), " ") != "ID KIND KEY STATUS ATTEMPTS RUN AT LAST ERROR" {
		t.Fatalf("jobs after the demo: exit %d\n%s", code, out)
	}
	welcomes := 0
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) == 7 && strings.HasPrefix(f[2], "mail/welcome/") {
			welcomes++
		}
		kind, _, _ := strings.Cut(strings.TrimPrefix(f[min(2, len(f)-1)], "mail/"), "/")
		owed := []string{allot.MailWelcome, allot.MailAssigned, allot.MailRequested, allot.MailRejected, allot.MailCancelled,
			allot.MailSeatGiven, allot.MailSeatRenewed, allot.MailSeatReleased, allot.MailInvitation,
			allot.MailSupportReceived, allot.MailSupportReply, allot.MailSupportCopied, allot.MailSupportEscalated,
			allot.MailSupportWarning, allot.MailSupportBreach,
			allot.MailWebhookDisabled} // Northwind's endpoint, disabled after a 410
		if len(f) != 7 || f[1] != allot.JobMail || !slices.Contains(owed, kind) || f[3] != "pending" || f[4] != "0/8" || f[6] != "-" {
			t.Errorf("jobs: unexpected line %q", line)
		}
	}
	if welcomes != 1 {
		t.Errorf("jobs: %d welcome mails, want the new learner's", welcomes)
	}

	// A mail that failed for good, a sweep's reminders, and three mails
	// recorded as sent.
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claimed, err := st.ClaimJobs(ctx, now, time.Minute, 1)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim a job: %v, %v", claimed, err)
	}
	if err := st.FinishJob(ctx, claimed[0], now, errors.New("smtp: 550 mailbox\nunavailable"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	res, err := allot.NewService(st, allot.SystemClock{}, nil).Sweep(allot.WithPrincipal(ctx, allot.System))
	if err != nil || res.Reminders == 0 {
		t.Fatalf("sweep: %+v, %v: the demo's expiring licences owe reminders", res, err)
	}
	err = st.Write(ctx, func(tx allot.Tx) error {
		for i := range 3 {
			m := allot.SentMail{JobKey: fmt.Sprintf("mail/test/%d", i), Kind: allot.MailAssigned, To: fmt.Sprintf("m%d@acme.example", i),
				Subject: fmt.Sprintf("Mail number %d", i), Text: "Hello.", Status: allot.MailKept, At: now.Add(time.Duration(i) * time.Minute)}
			if _, err := tx.RecordMail(&m); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	_, out, _ = run(t, "jobs", "-database", db)
	failed := fmt.Sprintf("%d mail %s failed 1/8", claimed[0].ID, claimed[0].Key)
	if !strings.Contains(strings.Join(strings.Fields(out), " "), failed) || !strings.Contains(out, "smtp: 550 mailbox unavailable\n") {
		t.Errorf("jobs: want the failed job with its error on one line (%s)\n%s", failed, out)
	}
	if !strings.Contains(out, "mail/reminder/") {
		t.Errorf("jobs: want the sweep's reminders\n%s", out)
	}

	code, out, _ = run(t, "mail", "-database", db, "-limit", "2")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") ||
		!strings.Contains(lines[1], "Mail number 2") || !strings.Contains(lines[2], "Mail number 1") {
		t.Fatalf("mail -limit 2: exit %d, want the two newest mails\n%s", code, out)
	}
	for _, want := range []string{"kept", "assigned", "m2@acme.example"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("mail: want %q in %q", want, lines[1])
		}
	}
	if _, out, _ = run(t, "mail", "-database", db); strings.Count(out, "Mail number") != 3 {
		t.Errorf("mail: want all three mails\n%s", out)
	}
}
