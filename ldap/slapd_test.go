package ldap_test

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"allot/ldap"
)

// The throw-away directory every slapd test starts.
const (
	suffix   = "dc=example,dc=com"
	adminDN  = "cn=admin," + suffix
	adminPW  = "admin-secret"
	readerDN = "cn=sync,ou=services," + suffix
	readerPW = "sync-secret"
	people   = "ou=people," + suffix
	groupsOU = "ou=groups," + suffix
)

// slapd is a real OpenLDAP server the test started on 127.0.0.1, with its
// own config and database in a temporary folder, stopped when the test ends.
type slapd struct {
	URL   string // ldap://127.0.0.1:port
	LDAPS string // ldaps://127.0.0.1:port
	CA    string // PEM of the server's self-signed certificate
	dir   string
}

// slapdBinary returns the path of slapd, skipping the test when it is not
// installed.
func slapdBinary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/slapd"); err == nil {
		return "/usr/sbin/slapd"
	}
	t.Skip("slapd not installed: apt-get install slapd ldap-utils")
	return ""
}

// startSlapd loads ldif (after the suffix, the sync account and the OUs)
// offline with slapadd, then starts slapd on free ports. The server returns
// at most 500 entries to a search without paging (sizelimit 500, as
// OpenLDAP's default) and any number page by page (size.prtotal unlimited,
// which a directory's sync account is given).
func startSlapd(t testing.TB, ldif string) *slapd {
	t.Helper()
	return startSlapdFrom(t, func(w io.Writer) error {
		_, err := io.WriteString(w, ldif)
		return err
	})
}

// startSlapdFrom is startSlapd with the LDIF written by write, for
// directories too large to hold in memory as one string.
func startSlapdFrom(t testing.TB, write func(io.Writer) error) *slapd {
	t.Helper()
	bin := slapdBinary(t)
	dir := t.TempDir()
	s := &slapd{dir: dir}
	s.CA = writeCert(t, dir)
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(conf, []byte(slapdConf(dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data.ldif")
	if err := writeLDIF(data, write); err != nil {
		t.Fatal(err)
	}
	slapadd := filepath.Join(filepath.Dir(bin), "slapadd")
	if out, err := exec.Command(slapadd, "-q", "-f", conf, "-l", data).CombinedOutput(); err != nil {
		t.Fatalf("slapadd: %v\n%s", err, out)
	}
	var lastErr error
	for range 3 { // a free port may be taken between choosing and binding
		if lastErr = s.start(t, bin, conf); lastErr == nil {
			return s
		}
	}
	t.Fatalf("start slapd: %v", lastErr)
	return nil
}

// start runs slapd in the foreground on two free ports and waits until it
// answers.
func (s *slapd) start(t testing.TB, bin, conf string) error {
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
			t.Cleanup(stop)
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return fmt.Errorf("slapd did not answer on %s\n%s", s.URL, out.String())
}

// admin returns a connection bound as the server's root DN, to change the
// directory during a test.
func (s *slapd) admin(t testing.TB) *goldap.Conn {
	t.Helper()
	c, err := goldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Bind(adminDN, adminPW); err != nil {
		t.Fatal(err)
	}
	return c
}

// config returns the OpenLDAP preset for this server, read as the sync
// account over plain ldap:// on loopback.
func (s *slapd) config() ldap.Config {
	return ldap.Config{
		Preset:      ldap.PresetOpenLDAP,
		URL:         s.URL,
		TLS:         ldap.TLSNone,
		BindDN:      readerDN,
		Password:    readerPW,
		BaseDN:      people,
		GroupBaseDN: groupsOU,
	}
}

func slapdConf(dir string) string {
	return fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload ppolicy
pidfile %[1]s/slapd.pid
argsfile %[1]s/slapd.args
TLSCertificateFile %[1]s/cert.pem
TLSCertificateKeyFile %[1]s/key.pem
sizelimit size.soft=500 size.hard=500 size.prtotal=unlimited

database mdb
maxsize 4294967296
suffix "%[2]s"
rootdn "%[3]s"
rootpw %[4]s
directory %[1]s/db
dbnosync
index objectClass eq
index uid eq
index member eq
overlay memberof
overlay ppolicy
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="%[5]s" read by * none
`, dir, suffix, adminDN, adminPW, readerDN)
}

// baseLDIF holds the suffix, the sync account and the OUs.
func baseLDIF() string {
	return fmt.Sprintf(`dn: %[1]s
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=services,%[1]s
objectClass: organizationalUnit
ou: services

dn: %[2]s
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: sync
userPassword: %[3]s

dn: %[4]s
objectClass: organizationalUnit
ou: people

dn: %[5]s
objectClass: organizationalUnit
ou: groups

`, suffix, readerDN, readerPW, people, groupsOU)
}

// writeLDIF writes the base entries and then write's into file name.
func writeLDIF(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if _, err := io.WriteString(w, baseLDIF()); err != nil {
		f.Close()
		return err
	}
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// freePort returns a TCP port free on 127.0.0.1 a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key into
// dir, and returns the certificate's PEM.
func writeCert(t testing.TB, dir string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return string(certPEM)
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

// personLDIF is one inetOrgPerson of the test directory.
type personLDIF struct {
	uid, ou    string // ou below ou=people; empty for ou=people itself
	dept       string
	manager    string // a DN
	locked     bool
	memberOf   []string
	modifiedAt string // a GeneralizedTime
}

func (p personLDIF) dn() string {
	if p.ou != "" {
		return "uid=" + p.uid + ",ou=" + p.ou + "," + people
	}
	return "uid=" + p.uid + "," + people
}

func (p personLDIF) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dn: %s\nobjectClass: inetOrgPerson\nuid: %s\ncn: Person %s\ngivenName: Given-%s\nsn: Family-%s\nmail: %s@example.com\n",
		p.dn(), p.uid, p.uid, p.uid, p.uid, p.uid)
	fmt.Fprintf(&b, "employeeNumber: E-%s\n", p.uid)
	if p.dept != "" {
		fmt.Fprintf(&b, "departmentNumber: %s\n", p.dept)
	}
	if p.manager != "" {
		fmt.Fprintf(&b, "manager: %s\n", p.manager)
	}
	if p.locked {
		b.WriteString("pwdAccountLockedTime: 000001010000Z\n")
	}
	for _, g := range p.memberOf {
		fmt.Fprintf(&b, "memberOf: %s\n", g)
	}
	if p.modifiedAt != "" {
		fmt.Fprintf(&b, "modifyTimestamp: %s\n", p.modifiedAt)
	}
	b.WriteString("\n")
	return b.String()
}

// groupLDIF is a groupOfNames of the test directory.
func groupLDIF(cn string, members []string, modifiedAt string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dn: cn=%s,%s\nobjectClass: groupOfNames\ncn: %s\n", cn, groupsOU, cn)
	for _, m := range members {
		fmt.Fprintf(&b, "member: %s\n", m)
	}
	fmt.Fprintf(&b, "modifyTimestamp: %s\n\n", modifiedAt)
	return b.String()
}
