package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"allot/mail"
)

// server is a real SMTP server (go-smtp) listening on a loopback port for one
// test. It keeps what it receives and can be told to refuse.
type server struct {
	host      string
	port      int
	clientTLS *tls.Config // trusts the server's certificate; nil without TLS
	serverTLS *tls.Config // the server's certificate; nil without TLS
	implicit  bool        // TLS from the first byte rather than STARTTLS

	mu       sync.Mutex
	sessions int  // EHLO/HELO exchanges that opened a session
	tlsMail  int  // MAIL FROM commands received over TLS
	keep     bool // keep the messages' data
	count    int  // messages accepted
	got      []delivery
	refuse   map[string]*smtp.SMTPError // by stage: "hello", "mail", "rcpt", "data"
	refuseTo map[string]*smtp.SMTPError // by recipient address, at RCPT TO
	user     string                     // with password: AUTH PLAIN offered and required
	stall    chan struct{}              // when set, DATA waits until it is closed
	password string
	delay    time.Duration // how long DATA takes to accept each message
	open     int           // sessions not yet ended
	read     int           // messages whose data was read
	holdAt   int           // with held and release: the message DATA holds
	held     chan struct{}
	release  chan bool // whether to accept the held message
}

// delivery is one message the server accepted.
type delivery struct {
	From string
	To   []string
	Data []byte
}

// serverOption changes a test server before it starts.
type serverOption func(*server)

// withTLS serves STARTTLS ("starttls") or TLS from the first byte ("tls")
// with a fresh self-signed certificate for 127.0.0.1.
func withTLS(t testing.TB, mode string) serverOption {
	t.Helper()
	cert, pool := selfSigned(t)
	return func(s *server) {
		s.serverTLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.clientTLS = &tls.Config{RootCAs: pool}
		s.implicit = mode == mail.TLSImplicit
	}
}

// withAuth requires AUTH PLAIN with these credentials before MAIL FROM.
func withAuth(user, password string) serverOption {
	return func(s *server) { s.user, s.password = user, password }
}

// discarding keeps only the count of messages, for benchmarks.
func discarding() serverOption {
	return func(s *server) { s.keep = false }
}

// slowed makes the server take d to accept each message, after it has read
// the message's data: a client that dies meanwhile never hears that its
// message was accepted.
func slowed(d time.Duration) serverOption {
	return func(s *server) { s.delay = d }
}

// startServer starts a server on 127.0.0.1:0 that stops with the test.
func startServer(t testing.TB, opts ...serverOption) *server {
	t.Helper()
	s := &server{keep: true, refuse: map[string]*smtp.SMTPError{}, refuseTo: map[string]*smtp.SMTPError{}}
	srv := smtp.NewServer(s)
	srv.Domain = "mx.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	for _, opt := range opts {
		opt(s)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	switch {
	case s.serverTLS != nil && s.implicit:
		l = tls.NewListener(l, s.serverTLS)
	case s.serverTLS != nil:
		srv.TLSConfig = s.serverTLS // offers STARTTLS
	}
	s.host = "127.0.0.1"
	s.port = l.Addr().(*net.TCPAddr).Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("smtp server: %v", err)
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		l.Close() // Close misses a listener Serve has not registered yet
		<-done
	})
	return s
}

// config returns a Config for the server, without TLS.
func (s *server) config() mail.Config {
	return mail.Config{
		Host:    s.host,
		Port:    s.port,
		TLS:     mail.TLSNone,
		From:    "Allot <noreply@allot.example>",
		Timeout: 5 * time.Second,
	}
}

// refuseAt makes the server answer err at a stage: "hello" (EHLO), "mail",
// "rcpt" or "data".
func (s *server) refuseAt(stage string, err *smtp.SMTPError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[stage] = err
}

// refuseRecipient makes the server answer err to RCPT TO for one address.
func (s *server) refuseRecipient(addr string, err *smtp.SMTPError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseTo[addr] = err
}

// stallData makes the server wait, after reading a message's data, until
// the test ends, without answering.
func (s *server) stallData(t testing.TB) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stall = make(chan struct{})
	t.Cleanup(func() { close(s.stall) })
}

// hold makes the server, once it has read the data of its nth message
// (from 1), close held and wait, without answering, until release is
// called: it then accepts the message or drops it, whatever became of its
// client. Only the first call of release counts; the end of the test calls
// it too, dropping the message.
func (s *server) hold(t testing.TB, n int) (held <-chan struct{}, release func(accept bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holdAt, s.held, s.release = n, make(chan struct{}), make(chan bool, 1)
	var once sync.Once
	release = func(accept bool) { once.Do(func() { s.release <- accept }) }
	t.Cleanup(func() { release(false) })
	return s.held, release
}

// received returns the messages accepted so far.
func (s *server) received() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivery(nil), s.got...)
}

// accepted returns how many messages were accepted and how many sessions
// were opened.
func (s *server) accepted() (messages, sessions int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count, s.sessions
}

// openSessions returns how many sessions have begun and not yet ended: a
// session ends when its connection closes, after any message it carried
// was accepted or refused.
func (s *server) openSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// overTLS returns how many MAIL FROM commands came over TLS.
func (s *server) overTLS() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tlsMail
}

// NewSession is called at EHLO or HELO.
func (s *server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refuse["hello"]; err != nil {
		return nil, err
	}
	s.sessions++
	s.open++
	return &session{s: s, conn: c}, nil
}

// session is one SMTP conversation.
type session struct {
	s      *server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

// AuthMechanisms offers PLAIN when the server requires authentication.
func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks the PLAIN credentials.
func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != ss.s.user || password != ss.s.password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	if err := ss.s.refuse["mail"]; err != nil {
		return err
	}
	if _, ok := ss.conn.TLSConnectionState(); ok {
		ss.s.tlsMail++
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if err := ss.s.refuse["rcpt"]; err != nil {
		return err
	}
	if err := ss.s.refuseTo[to]; err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	stall := ss.s.stall
	ss.s.read++
	var (
		held    chan struct{}
		release chan bool
	)
	if ss.s.read == ss.s.holdAt {
		held, release = ss.s.held, ss.s.release
	}
	ss.s.mu.Unlock()
	if stall != nil {
		<-stall
	}
	if held != nil {
		close(held)
		if !<-release {
			return &smtp.SMTPError{Code: 451, Message: "message dropped"}
		}
	}
	time.Sleep(ss.s.delay)
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if err := ss.s.refuse["data"]; err != nil {
		return err
	}
	ss.s.count++
	if ss.s.keep {
		ss.s.got = append(ss.s.got, delivery{From: ss.from, To: ss.to, Data: data})
	}
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.open--
	return nil
}

// selfSigned returns a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "allot test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// parsed is a received message, decoded.
type parsed struct {
	Header  netmail.Header
	Subject string
	To      []*netmail.Address
	Text    string // with LF line ends
	HTML    string // with LF line ends
}

// parse decodes a received message: its headers, and the text and HTML
// parts of its multipart/alternative body.
func parse(t *testing.T, d delivery) parsed {
	t.Helper()
	m, err := netmail.ReadMessage(strings.NewReader(string(d.Data)))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	var p parsed
	p.Header = m.Header
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	if p.To, err = m.Header.AddressList("To"); err != nil {
		t.Fatalf("To header %q: %v", m.Header.Get("To"), err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %q: want multipart/alternative (%v)", m.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := r.NextPart() // decodes quoted-printable
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		text := strings.ReplaceAll(string(body), "\r\n", "\n")
		switch ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct {
		case "text/plain":
			p.Text = text
		case "text/html":
			p.HTML = text
		default:
			t.Fatalf("unexpected part %q", ct)
		}
	}
	if p.Text == "" || p.HTML == "" {
		t.Fatalf("want a text and an HTML part, got text %d bytes, HTML %d bytes", len(p.Text), len(p.HTML))
	}
	return p
}
