package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"allot"
	"allot/storetest"
)

// smtpServer is a real SMTP server (go-smtp) on a given address for one
// test. It keeps the recipients of what it accepts, and refuses MAIL FROM
// with a temporary error when told to.
type smtpServer struct {
	mu     sync.Mutex
	refuse bool
	to     []string // one entry per message accepted
}

// serveSMTP starts an SMTP server on addr that stops with the test.
func serveSMTP(t *testing.T, addr string) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	srv := smtp.NewServer(s)
	srv.Domain = "mx.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("smtp server: %v", err)
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		l.Close()
		<-done
	})
	return s
}

// refusing makes the server answer 451 to MAIL FROM, or stop doing so.
func (s *smtpServer) refusing(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = on
}

// received returns the recipients of the messages accepted so far.
func (s *smtpServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.to...)
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }

// smtpSession is one SMTP conversation.
type smtpSession struct {
	s  *smtpServer
	to []string
}

func (ss *smtpSession) Mail(string, *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.refuse {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.to = append(ss.s.to, ss.to...)
	return nil
}

func (ss *smtpSession) Reset()        { ss.to = nil }
func (ss *smtpSession) Logout() error { return nil }

// lockedBuffer is a buffer the program may write to from its goroutines
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// serve runs m's allot serve with args until the test calls the function
// it returns, which stops it; it returns once serve listens.
func serve(t *testing.T, m *Main, args ...string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, append([]string{"serve"}, args...)) }()
	stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	}
	select {
	case <-m.Listening:
	case err := <-done:
		m.Close()
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(time.Minute):
		stop()
		t.Fatal("serve did not start listening")
	}
	return stop
}

// serveT is the time of allot serve's clock in TestMailWaitsForTheSMTPServer.
var serveT = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// TestMailWaitsForTheSMTPServer runs allot serve with its background jobs
// against an SMTP server that is down, then refuses, then accepts. The mail
// stays queued with the reason, tried again after each backoff; allot jobs
// and the company's notifications show why; once the server takes it, it is
// delivered, once.
func TestMailWaitsForTheSMTPServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		clock := allot.NewManualClock(serveT)
		st := storetest.OpenURL(t, url)
		svc := allot.NewService(st, clock, nil)
		manager, companyID := queueOneMail(t, svc)

		// A port nothing listens on, until the server comes up on it.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_, port, _ := net.SplitHostPort(addr)
		l.Close()

		m := NewMain(&lockedBuffer{}, &lockedBuffer{})
		m.Clock = clock
		stop := serve(t, m, "-addr", "127.0.0.1:0", "-database", url,
			"-smtp-host", "127.0.0.1", "-smtp-port", port, "-smtp-tls", "none", "-mail-from", "Allot <noreply@allot.example>")
		defer stop()

		// Down: the first attempt cannot connect.
		j := waitForMailJob(t, st, "the first attempt", func(j allot.Job) bool { return j.Attempts == 1 && j.LeaseUntil.IsZero() })
		retry := serveT.Add(allot.Backoff(1))
		if j.Status != allot.JobPending || !strings.Contains(j.LastError, "connect to "+addr) || !j.RunAt.Equal(retry) {
			t.Fatalf("with the server down: %s, attempt %d, run at %v, error %q; want pending, run at %v, an error on connecting to %s",
				j.Status, j.Attempts, j.RunAt, j.LastError, retry, addr)
		}
		checkJobsLists(t, url, j, "1/8", retry, "connect to "+addr)
		n, err := svc.Notifications(allot.WithPrincipal(context.Background(), manager), companyID)
		if err != nil || len(n.Queued) != 1 || n.Queued[0].ID != j.ID || n.Queued[0].LastError != j.LastError {
			t.Errorf("the company's notifications: %+v, %v; want the mail queued with its error", n.Queued, err)
		}

		// Up, but refusing: the second attempt, after the backoff, is
		// answered 451.
		srv := serveSMTP(t, addr)
		srv.refusing(true)
		clock.Advance(allot.Backoff(1))
		j = waitForMailJob(t, st, "the second attempt", func(j allot.Job) bool { return j.Attempts == 2 && j.LeaseUntil.IsZero() })
		retry = retry.Add(allot.Backoff(2))
		if j.Status != allot.JobPending || !strings.Contains(j.LastError, "451") || !j.RunAt.Equal(retry) {
			t.Fatalf("with the server refusing: %s, attempt %d, run at %v, error %q; want pending, run at %v, the 451",
				j.Status, j.Attempts, j.RunAt, j.LastError, retry)
		}
		checkJobsLists(t, url, j, "2/8", retry, "451")

		// Accepting: the third attempt delivers it.
		srv.refusing(false)
		clock.Advance(allot.Backoff(2))
		j = waitForMailJob(t, st, "delivery", func(j allot.Job) bool { return j.Status != allot.JobPending })
		if j.Status != allot.JobDone || j.Attempts != 3 {
			t.Errorf("once the server accepts: %s after %d attempts, want done at the third", j.Status, j.Attempts)
		}
		if got := srv.received(); len(got) != 1 || got[0] != manager.Email {
			t.Errorf("the server received mail for %v, want one for %s", got, manager.Email)
		}
		if _, out, _ := run(t, "jobs", "-database", url); out != "no job is pending or failed\n" {
			t.Errorf("allot jobs once delivered:\n%s", out)
		}
		if _, out, _ := run(t, "mail", "-database", url); !strings.Contains(out, manager.Email) || !strings.Contains(out, allot.MailSent) {
			t.Errorf("allot mail once delivered: want the mail to %s, sent\n%s", manager.Email, out)
		}
	})
}

// queueOneMail adds a company whose manager is owed one mail, the
// assignment of its order, and returns the manager and the company.
func queueOneMail(t *testing.T, svc *allot.Service) (allot.Principal, int64) {
	t.Helper()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		t.Fatal(err)
	}
	c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.AddUser(sys, allot.NewUser{Email: "ana@acme.test", Role: allot.RoleCompanyManager, CompanyID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.AssignOrder(sys, o.ID); err != nil {
		t.Fatal(err)
	}
	return allot.Principal{UserID: u.ID, Email: u.Email, Role: u.Role, CompanyID: c.ID}, c.ID
}

// waitForMailJob waits until the one mail job of st is as done says, and
// returns it. An attempt is over when the job holds no lease. The worker of allot serve ticks on its own: the wait is
// bounded, and says what it waited for when it gives up.
func waitForMailJob(t *testing.T, st allot.Store, what string, done func(allot.Job) bool) allot.Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var js []allot.Job
		if err := st.Read(context.Background(), func(tx allot.Tx) error {
			var err error
			js, err = tx.Jobs(allot.JobFilter{Kind: allot.JobMail})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(js) != 1 {
			t.Fatalf("%d mail jobs, want 1", len(js))
		}
		if done(js[0]) {
			return js[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited for %s in vain: the mail job is %+v", what, js[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkJobsLists checks that allot jobs, run on the database at url, lists
// job j pending with its attempts, its next run and its error.
func checkJobsLists(t *testing.T, url string, j allot.Job, attempts string, runAt time.Time, errPart string) {
	t.Helper()
	code, out, _ := run(t, "jobs", "-database", url)
	want := strings.Join([]string{strconv.FormatInt(j.ID, 10), allot.JobMail, j.Key, string(allot.JobPending), attempts, runAt.Format(time.RFC3339)}, " ")
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 6 && strings.Join(f[:6], " ") == want {
			if rest := strings.Join(f[6:], " "); code != 0 || !strings.Contains(rest, errPart) || rest != strings.Join(strings.Fields(j.LastError), " ") {
				t.Errorf("allot jobs: exit %d, error %q; want %q, containing %q", code, rest, j.LastError, errPart)
			}
			return
		}
	}
	t.Errorf("allot jobs: no line %q with the error\n%s", want, out)
}
