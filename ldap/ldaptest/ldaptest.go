// Package ldaptest runs a real OpenLDAP server (Debian's slapd) for the
// tests of other packages: on free ports of 127.0.0.1, with a throw-away
// config and database in the test's temporary folder, stopped when the test
// ends. A test that finds no slapd is skipped and says how to install it.
//
// Every server holds the same frame (the suffix, a sync account allowed to
// read everything, ou=people and ou=groups) and what the test loads: offline
// with slapadd before it starts (fast, and the only way to give entries
// modifyTimestamp or memberOf values of one's choosing), and online once it
// runs, as the root DN (Add, Modify, Delete, Move).
//
// It returns at most 500 entries to a search without paging, as OpenLDAP
// does by default, and any number page by page; its memberof overlay keeps
// the members' memberOf, and its ppolicy overlay lets an account be locked
// (pwdAccountLockedTime).
package ldaptest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"allot/ldap"
)

// The frame every server holds.
const (
	Suffix         = "dc=example,dc=com"
	AdminDN        = "cn=admin," + Suffix
	AdminPassword  = "admin-secret"
	ReaderDN       = "cn=sync,ou=services," + Suffix
	ReaderPassword = "sync-secret"
	People         = "ou=people," + Suffix
	Groups         = "ou=groups," + Suffix
)

// Server is a slapd the test started.
type Server struct {
	URL   string // ldap://127.0.0.1:port
	LDAPS string // ldaps://127.0.0.1:port
	CA    string // PEM of the server's self-signed certificate for 127.0.0.1

	dir string

	mu    sync.Mutex
	admin *goldap.Conn // opened by the first change
	stop  func()       // nil once stopped
}

// Start loads ldif (entries below the frame, empty for none) offline with
// slapadd, then starts slapd on it until the test ends.
func Start(t testing.TB, ldif string) *Server {
	t.Helper()
	return StartFrom(t, func(w io.Writer) error {
		_, err := io.WriteString(w, ldif)
		return err
	})
}

// StartFrom is Start with the LDIF written by write, for directories too
// large to hold in memory as one string.
func StartFrom(t testing.TB, write func(io.Writer) error) *Server {
	t.Helper()
	bin := binary(t)
	dir := t.TempDir()
	s := &Server{dir: dir}
	s.CA = writeCert(t, dir)
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	conf := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(conf, []byte(config(dir)), 0o600); err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	data := filepath.Join(dir, "data.ldif")
	if err := writeLDIF(data, write); err != nil {
		t.Fatalf("ldaptest: write %s: %v", data, err)
	}
	slapadd := filepath.Join(filepath.Dir(bin), "slapadd")
	if out, err := exec.Command(slapadd, "-q", "-f", conf, "-l", data).CombinedOutput(); err != nil {
		t.Fatalf("ldaptest: slapadd: %v\n%s", err, out)
	}
	if err := os.Remove(data); err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	var lastErr error
	for range 3 { // a free port may be taken between choosing and binding
		if lastErr = s.start(t, bin, conf); lastErr == nil {
			t.Cleanup(s.Stop)
			return s
		}
	}
	t.Fatalf("ldaptest: start slapd: %v", lastErr)
	return nil
}

// binary returns the path of slapd, skipping the test when it is not
// installed.
func binary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/slapd"); err == nil {
		return "/usr/sbin/slapd"
	}
	t.Skip("ldaptest: slapd is not installed (apt-get install slapd ldap-utils)")
	return ""
}

// start runs slapd in the foreground on two free ports and waits until it
// answers.
func (s *Server) start(t testing.TB, bin, conf string) error {
	p1, p2 := freePort(t), freePort(t)
	s.URL = fmt.Sprintf("ldap://127.0.0.1:%d", p1)
	s.LDAPS = fmt.Sprintf("ldaps://127.0.0.1:%d", p2)
	var out syncBuffer
	cmd := exec.Command(bin, "-f", conf, "-h", s.URL+"/ "+s.LDAPS+"/", "-d", "0")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	for range 200 {
		select {
		case err := <-exited:
			return fmt.Errorf("slapd exited: %v\n%s", err, out.String())
		default:
		}
		if c, err := goldap.DialURL(s.URL); err == nil {
			c.Close()
			s.stop = stop
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return fmt.Errorf("slapd did not answer on %s\n%s", s.URL, out.String())
}

// Stop stops the server now, as a directory going away does; it is
// stopped anyway when the test ends.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.admin != nil {
		s.admin.Close()
		s.admin = nil
	}
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
}

// Config returns the OpenLDAP preset for this server, read as the sync
// account over plain ldap:// on loopback: people below People, groups
// below Groups.
func (s *Server) Config() ldap.Config {
	return ldap.Config{
		Preset:      ldap.PresetOpenLDAP,
		URL:         s.URL,
		TLS:         ldap.TLSNone,
		BindDN:      ReaderDN,
		Password:    ReaderPassword,
		BaseDN:      People,
		GroupBaseDN: Groups,
	}
}

// Admin returns a connection bound as the root DN, closed when the test
// ends, to read or change the directory in ways the helpers do not.
func (s *Server) Admin(t testing.TB) *goldap.Conn {
	t.Helper()
	c, err := goldap.DialURL(s.URL)
	if err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Bind(AdminDN, AdminPassword); err != nil {
		t.Fatalf("ldaptest: bind as the root DN: %v", err)
	}
	return c
}

// root runs fn on the server's own root DN connection, opened the first
// time.
func (s *Server) root(fn func(c *goldap.Conn) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop == nil {
		return fmt.Errorf("the server is stopped")
	}
	if s.admin == nil {
		c, err := goldap.DialURL(s.URL)
		if err != nil {
			return err
		}
		if err := c.Bind(AdminDN, AdminPassword); err != nil {
			c.Close()
			return err
		}
		s.admin = c
	}
	return fn(s.admin)
}

// Add adds the entries of ldif, in order, as the root DN. Operational
// attributes (modifyTimestamp, memberOf, entryUUID) are the server's to
// set online: give them only to Start.
func (s *Server) Add(t testing.TB, ldif string) {
	t.Helper()
	entries, err := ParseLDIF(ldif)
	if err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	err = s.root(func(c *goldap.Conn) error {
		for _, e := range entries {
			add := goldap.NewAddRequest(e.DN, nil)
			for _, a := range e.Attributes {
				add.Attribute(a.Name, a.Values)
			}
			if err := c.Add(add); err != nil {
				return fmt.Errorf("add %s: %w", e.DN, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
}

// Modify changes entry dn as change says, as the root DN: its
// modifyTimestamp becomes now.
func (s *Server) Modify(t testing.TB, dn string, change func(m *goldap.ModifyRequest)) {
	t.Helper()
	m := goldap.NewModifyRequest(dn, nil)
	change(m)
	if err := s.root(func(c *goldap.Conn) error { return c.Modify(m) }); err != nil {
		t.Fatalf("ldaptest: modify %s: %v", dn, err)
	}
}

// Delete deletes the entries, as the root DN.
func (s *Server) Delete(t testing.TB, dns ...string) {
	t.Helper()
	err := s.root(func(c *goldap.Conn) error {
		for _, dn := range dns {
			if err := c.Del(goldap.NewDelRequest(dn, nil)); err != nil {
				return fmt.Errorf("delete %s: %w", dn, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
}

// Move renames entry dn to rdn below parent, as the root DN: the entry
// keeps its entryUUID.
func (s *Server) Move(t testing.TB, dn, rdn, parent string) {
	t.Helper()
	req := goldap.NewModifyDNRequest(dn, rdn, true, parent)
	if err := s.root(func(c *goldap.Conn) error { return c.ModifyDN(req) }); err != nil {
		t.Fatalf("ldaptest: move %s below %s: %v", dn, parent, err)
	}
}

// EntryUUID returns entry dn's entryUUID, the anchor the OpenLDAP preset
// reads.
func (s *Server) EntryUUID(t testing.TB, dn string) string {
	t.Helper()
	var id string
	err := s.root(func(c *goldap.Conn) error {
		res, err := c.Search(goldap.NewSearchRequest(dn, goldap.ScopeBaseObject, 0, 0, 0, false,
			"(objectClass=*)", []string{"entryUUID"}, nil))
		if err != nil {
			return err
		}
		id = res.Entries[0].GetAttributeValue("entryUUID")
		return nil
	})
	if err != nil || id == "" {
		t.Fatalf("ldaptest: read %s's entryUUID: %q, %v", dn, id, err)
	}
	return id
}

// freePort returns a TCP port free on 127.0.0.1 a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects a process's output safely while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
