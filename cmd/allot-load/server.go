package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"allot"
	"allot/account"
	"allot/loadtest"
	allotserver "allot/server"
	"allot/store"
)

// ledgerPrefix names the cached ledgers in the OS's temporary directory.
const ledgerPrefix = "allot-load-ledger"

// ledger returns the SQLite ledger to serve: file when given, seeded first
// when missing, else the cached one of this month in the OS's temporary
// directory. A ledger is seeded at the start of the current month, so its
// pools are live all month.
func ledger(ctx context.Context, file string, logf func(string, ...any)) (string, error) {
	now := time.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	if file != "" {
		if strings.Contains(file, "://") {
			return "", fmt.Errorf("-db %s: give a SQLite file: the load test measures SQLite", file)
		}
		if _, err := os.Stat(file); err == nil {
			logf("using the ledger %s", file)
			return file, nil
		}
		logf("seeding %d learners and seats into %s…", loadtest.Learners, file)
		if err := loadtest.SeedFile(ctx, file, month); err != nil {
			return "", err
		}
		logf("seeded in %s", time.Since(start).Round(time.Second))
		return file, nil
	}
	logf("looking for the cached ledger in %s (seeding %d learners and seats when missing)…", os.TempDir(), loadtest.Learners)
	path, seeded, err := loadtest.Cached(ctx, os.TempDir(), ledgerPrefix, month)
	if err != nil {
		return "", err
	}
	if !seeded {
		logf("using the cached ledger %s", path)
		return path, nil
	}
	logf("seeded %s in %s", path, time.Since(start).Round(time.Second))
	// Ledgers of other months or schemas are of no further use.
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), ledgerPrefix+"-*.db"))
	for _, o := range old {
		if o != path {
			logf("removing the outdated ledger %s", o)
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(o + suffix)
			}
		}
	}
	return path, nil
}

// server is allot's HTTP handler, served on a loopback port.
type server struct {
	db       *store.DB
	svc      *allot.Service
	http     *http.Server
	addr     string // host:port
	token    string // the vendor admin's API token
	tokenID  int64
	admin    context.Context // as the vendor admin
	procs    int             // GOMAXPROCS
	warnings *countingWriter // what the server logged
	watch    *watchdog
	stop     context.CancelFunc // stops the watchdog
}

// startServer opens the ledger at path and serves allot on it as allot
// serve does: the same Service on the wall clock, the same handler with
// sessions and idempotency keys in the database and the dashboard mounted,
// the same server timeouts.
// Only a watchdog counting the answers wraps the handler. It makes an API
// token for the ledger's vendor admin.
func startServer(ctx context.Context, path string, stderr io.Writer, logf func(string, ...any)) (*server, error) {
	if err := warmCache(path); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	s := &server{db: db, procs: runtime.GOMAXPROCS(0), warnings: &countingWriter{w: stderr}}
	log := slog.New(slog.NewTextHandler(s.warnings, nil))
	s.svc = allot.NewService(db, allot.SystemClock{}, log)
	admin, err := s.svc.UserByEmail(allot.WithPrincipal(ctx, allot.System), loadtest.AdminEmail)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s holds no ledger (no %s): %w; remove it to seed a new one", path, loadtest.AdminEmail, err)
	}
	s.admin = allot.WithPrincipal(context.Background(), admin.Principal())
	t, secret, err := s.svc.CreateToken(s.admin, "allot-load", time.Now().Add(time.Hour))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("make an API token: %w", err)
	}
	s.token, s.tokenID = secret, t.ID
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		db.Close()
		return nil, err
	}
	s.addr = ln.Addr().String()
	handler := allotserver.New(allotserver.Config{Ledger: s.svc, Accounts: &account.Service{Ledger: s.svc, Store: db.Account()},
		Log: log, Sessions: db.Sessions(), Keys: db})
	s.watch = &watchdog{next: handler}
	s.http = &http.Server{
		Handler:           s.watch,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	var watching context.Context
	watching, s.stop = context.WithCancel(context.Background())
	go s.watch.watch(watching, logf)
	go s.http.Serve(ln)
	return s, nil
}

// warmCache reads the ledger once, so that the first phase does not pay
// for reading it from disk.
func warmCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// close stops the server, revokes the token and closes the database.
func (s *server) close() {
	s.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.http.Shutdown(ctx)
	s.svc.RevokeToken(s.admin, s.tokenID)
	s.db.Close()
}

// checkURL is the URL of the entitlement check of learner i.
func (s *server) checkURL(i int64, product string) string {
	return fmt.Sprintf("http://%s/v1/check?user=%s&product=%s", s.addr, strings.Replace(loadtest.LearnerEmail(i), "@", "%40", 1), product)
}

// sanityCheck checks, through HTTP, that the health check answers and that
// the check allows a learner with a seat and refuses one whose seat was
// released: the ledger is live and the token works.
func (s *server) sanityCheck(ctx context.Context, product string) error {
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(url string, v any) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+s.token)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s: %s", url, res.Status, body)
		}
		return json.Unmarshal(body, v)
	}
	var health map[string]string
	if err := get("http://"+s.addr+"/healthz", &health); err != nil {
		return err
	}
	for _, c := range []struct {
		learner int64
		allowed bool
	}{{1, true}, {loadtest.ReleasedEvery, false}} {
		var d struct {
			Allowed bool   `json:"allowed"`
			Reason  string `json:"reason"`
		}
		url := s.checkURL(c.learner, product)
		if err := get(url, &d); err != nil {
			return fmt.Errorf("the check does not answer: %w", err)
		}
		if d.Allowed != c.allowed {
			return fmt.Errorf("GET %s: allowed %t (%s), want %t: the ledger is not live now; remove it to seed a new one",
				url, d.Allowed, d.Reason, c.allowed)
		}
	}
	return nil
}

// countingWriter counts the lines written through it, and those of them
// that tell of a request canceled because its client went away: wrk
// closes its connections at the end of a run, with requests in flight.
type countingWriter struct {
	w               io.Writer
	lines, canceled atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n := int64(bytes.Count(p, []byte("\n")))
	c.lines.Add(n)
	if bytes.Contains(p, []byte(context.Canceled.Error())) {
		c.canceled.Add(n)
	}
	return c.w.Write(p)
}
