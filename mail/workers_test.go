package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/jobs"
	"allot/mail"
	"allot/programme"
	"allot/store"
	"allot/storetest"
)

// The tests of mail across processes run the test binary again as workers,
// as invariant_test.go at the root does. A child learns what to do from
// these environment variables; it runs a worker wired as Main.worker
// (cmd/allot/serve.go) wires it, on a database it shares with the parent and
// its siblings, sending to the parent's SMTP server.
const (
	workerEnv     = "ALLOT_MAIL_WORKER"     // set in a child only: its number
	workerDBEnv   = "ALLOT_MAIL_DATABASE"   // the store's URL
	workerNowEnv  = "ALLOT_MAIL_NOW"        // the child's clock, stopped, in RFC 3339
	workerSMTPEnv = "ALLOT_MAIL_SMTP"       // host:port of the parent's SMTP server
	workerLine    = "mail-worker: "         // prefixes the child's one line of JSON
	workerBase    = "https://allot.example" // where the links of its mail point

	// workerBatch is how many jobs a tick claims: fewer than Main.worker's
	// default of 16, so that the processes share the mail between them.
	workerBatch = 4
	// workerLease is Main.worker's lease (the default).
	workerLease = time.Minute
	// workerLimit bounds a child's run: it gives up when jobs are still due
	// after this long, rather than hang the parent.
	workerLimit = 40 * time.Second
)

// workerReport is what a child did. It travels to the parent as JSON.
type workerReport struct {
	Worker int            `json:"worker"`
	Ticks  int            `json:"ticks"`
	Runs   map[string]int `json:"runs"` // handler runs by job kind
}

// mailWorker is a child's side: it ticks a worker until no job is due, then
// prints its report.
func mailWorker(t *testing.T) {
	k, err := strconv.Atoi(os.Getenv(workerEnv))
	if err != nil {
		t.Fatalf("%s: %v", workerEnv, err)
	}
	now, err := time.Parse(time.RFC3339Nano, os.Getenv(workerNowEnv))
	if err != nil {
		t.Fatalf("%s: %v", workerNowEnv, err)
	}
	host, port, err := net.SplitHostPort(os.Getenv(workerSMTPEnv))
	if err != nil {
		t.Fatalf("%s: %v", workerSMTPEnv, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		t.Fatalf("%s: %v", workerSMTPEnv, err)
	}
	db := storetest.OpenURL(t, os.Getenv(workerDBEnv))
	clock := allot.NewManualClock(now)
	rep := workerReport{Worker: k, Runs: map[string]int{}}
	w := mainWorker(t, db, clock, mail.Config{Host: host, Port: p, TLS: mail.TLSNone,
		From: "Allot <noreply@allot.example>", Timeout: 5 * time.Second}, rep.Runs)

	ctx := context.Background()
	deadline := time.Now().Add(workerLimit)
	for {
		n, err := w.Tick(ctx)
		if err != nil {
			t.Fatalf("worker %d, tick %d: %v", k, rep.Ticks, err)
		}
		rep.Ticks++
		if n > 0 {
			continue
		}
		// Nothing to claim: done when no job is due, including those a
		// sibling holds and will finish.
		due := dueJobs(t, db, clock.Now())
		if due == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("worker %d: %d jobs still due after %d ticks", k, due, rep.Ticks)
		}
		time.Sleep(5 * time.Millisecond)
	}
	line, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s%s\n", workerLine, line)
}

// mainWorker returns the worker Main.worker returns, on db and clock and
// sending through the SMTP server of cfg, with a smaller batch; it counts
// the runs of each kind of job in runs. As Main's, its deliverer makes
// links with the accounts and writes invitations with the programmes.
func mainWorker(t *testing.T, db *store.DB, clock allot.Clock, cfg mail.Config, runs map[string]int) *jobs.Worker {
	t.Helper()
	sender, err := mail.NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc := allot.NewService(db, clock, nil)
	d := &mail.Deliverer{Store: db, Clock: clock, Sender: sender, BaseURL: workerBase,
		Links: &account.Service{Ledger: svc, Store: db.Account()}, Invitations: &programme.Service{Ledger: svc, Store: db.Programme()}}
	sweep := func(ctx context.Context, _ allot.Job) error {
		_, err := svc.Sweep(ctx)
		return err
	}
	counted := func(h jobs.Handler) jobs.Handler {
		return func(ctx context.Context, j allot.Job) error {
			runs[j.Kind]++
			return h(ctx, j)
		}
	}
	return &jobs.Worker{Store: db, Clock: clock, Log: slog.New(slog.NewTextHandler(os.Stderr, nil)),
		Handlers: map[string]jobs.Handler{allot.JobMail: counted(d.Handle), allot.JobSweep: counted(sweep)},
		Periodic: []jobs.Periodic{{Kind: allot.JobSweep, Every: time.Minute}},
		Lease:    workerLease, Batch: workerBatch}
}

// dueJobs returns how many jobs are pending and due at now.
func dueJobs(t *testing.T, db allot.Store, now time.Time) int {
	t.Helper()
	n := 0
	for _, j := range storedJobs(t, db) {
		if j.Status == allot.JobPending && !j.RunAt.After(now) {
			n++
		}
	}
	return n
}

// storedJobs returns every job of the store.
func storedJobs(t *testing.T, db allot.Store) []allot.Job {
	t.Helper()
	var out []allot.Job
	if err := db.Read(context.Background(), func(tx allot.Tx) error {
		var err error
		out, err = tx.Jobs(allot.JobFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// child is a worker process of the parent's.
type child struct {
	k    int
	cmd  *exec.Cmd
	out  *bytes.Buffer // what it printed; read it once done has answered
	done chan error    // its exit
}

// startWorker starts worker k as a child running test, on the database at
// url with its clock stopped at now, sending to srv.
func startWorker(t *testing.T, test string, k int, url string, now time.Time, srv *server) *child {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		workerEnv+"="+strconv.Itoa(k),
		workerDBEnv+"="+url,
		workerNowEnv+"="+now.Format(time.RFC3339Nano),
		workerSMTPEnv+"="+net.JoinHostPort(srv.host, strconv.Itoa(srv.port)))
	c := &child{k: k, cmd: cmd, out: new(bytes.Buffer), done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start worker %d: %v", k, err)
	}
	go func() { c.done <- cmd.Wait() }()
	return c
}

// finish waits for the child to end and returns its report. A child that
// failed or printed no report fails the test.
func (c *child) finish(t *testing.T) workerReport {
	t.Helper()
	err := <-c.done
	var rep workerReport
	found := false
	sc := bufio.NewScanner(bytes.NewReader(c.out.Bytes()))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), workerLine); ok {
			found = json.Unmarshal([]byte(rest), &rep) == nil
		}
	}
	if err != nil || !found {
		t.Errorf("worker %d: %v; its output:\n%s", c.k, err, c.out)
	}
	return rep
}

// inbox is what the SMTP server received, decoded.
type inbox struct {
	ids    []string            // the Message-ID of each message, in the order received
	byID   map[string][]parsed // the copies of each Message-ID
	byMail map[string][]string // the Message-IDs received for each recipient and subject
}

// read decodes what the server received; the mail is told apart by
// recipient and subject, unique in the tests' ledgers.
func read(t *testing.T, got []delivery) inbox {
	t.Helper()
	in := inbox{byID: map[string][]parsed{}, byMail: map[string][]string{}}
	for _, d := range got {
		p := parse(t, d)
		id := p.Header.Get("Message-Id")
		if id == "" || len(p.To) != 1 {
			t.Fatalf("a message without a Message-ID or one recipient: %s", d.Data)
		}
		in.ids = append(in.ids, id)
		in.byID[id] = append(in.byID[id], p)
		toSubject := p.To[0].Address + " " + p.Subject
		in.byMail[toSubject] = append(in.byMail[toSubject], id)
	}
	return in
}

// recorded returns the mail the store recorded, by job key, failing the
// test when a key was recorded twice.
func recorded(t *testing.T, db allot.Store) map[string]allot.SentMail {
	t.Helper()
	var ms []allot.SentMail
	if err := db.Read(context.Background(), func(tx allot.Tx) error {
		var err error
		ms, err = tx.Mails(allot.MailFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	out := map[string]allot.SentMail{}
	for _, m := range ms {
		if _, ok := out[m.JobKey]; ok {
			t.Errorf("mail %s recorded twice", m.JobKey)
		}
		out[m.JobKey] = m
	}
	return out
}

// owed is a mail owed: its kind and its recipient.
type owed struct{ Kind, To string }

// checkRecorded checks that the store recorded exactly the wanted mail, by
// job key, each once as sent, and that what the server
// received is that mail: each recorded mail is a recipient and subject the
// server received under one Message-ID, and the server received nothing
// else.
func checkRecorded(t *testing.T, db allot.Store, want map[string]owed, in inbox) {
	t.Helper()
	rec := recorded(t, db)
	for key, w := range want {
		m, ok := rec[key]
		switch {
		case !ok:
			t.Errorf("mail %s to %s: not recorded", key, w.To)
			continue
		case m.To != w.To || m.Kind != w.Kind || m.Status != allot.MailSent:
			t.Errorf("mail %s: recorded as %s mail to %s, %s; want %s mail to %s, sent", key, m.Kind, m.To, m.Status, w.Kind, w.To)
		}
		if ids := in.byMail[m.To+" "+m.Subject]; len(ids) == 0 {
			t.Errorf("mail %s (%q to %s): recorded, never received", key, m.Subject, m.To)
		}
	}
	for key := range rec {
		if _, ok := want[key]; !ok {
			t.Errorf("mail %s: recorded, not owed", key)
		}
	}
	if len(in.byMail) != len(rec) {
		t.Errorf("the server received %d distinct mails, the store recorded %d", len(in.byMail), len(rec))
	}
	for toSubject, ids := range in.byMail {
		for _, id := range ids[1:] {
			if id != ids[0] {
				t.Errorf("%s: received under Message-IDs %s and %s: one mail must keep one Message-ID", toSubject, ids[0], id)
			}
		}
	}
}
