package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// ErrNotConfigured is returned by NewSMTP for a Config without a host: mail
// must then stay in the outbox.
var ErrNotConfigured = errors.New("mail: no SMTP server is configured")

// SMTP sends messages through the SMTP server of a Config, with go-mail. It
// is safe for concurrent use: every Send and SendBatch opens a connection of
// its own.
type SMTP struct {
	cfg    Config
	from   netmail.Address
	tls    *tls.Config
	now    func() time.Time
	client *gomail.Client
}

var _ Sender = (*SMTP)(nil)

// Option changes how NewSMTP sets up the sender.
type Option func(*SMTP)

// WithTLSConfig makes the sender verify the server against this TLS
// configuration, for example one trusting a private certificate authority.
// Its ServerName defaults to the configured host.
func WithTLSConfig(c *tls.Config) Option {
	return func(s *SMTP) { s.tls = c.Clone() }
}

// WithClock makes the sender date its messages with now instead of the
// wall clock.
func WithClock(now func() time.Time) Option {
	return func(s *SMTP) { s.now = now }
}

// NewSMTP returns a sender for the server c names. It returns
// ErrNotConfigured when c has no host, and an error wrapping ErrInvalid when
// c does not pass Check. It does not connect.
func NewSMTP(c Config, opts ...Option) (*SMTP, error) {
	if !c.Enabled() {
		return nil, ErrNotConfigured
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	from, err := parseFrom(c.From)
	if err != nil {
		return nil, err
	}
	s := &SMTP{cfg: c, from: *from, now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	if s.tls == nil {
		s.tls = &tls.Config{}
	}
	if s.tls.ServerName == "" {
		s.tls.ServerName = strings.Trim(c.Host, "[]")
	}
	if s.tls.MinVersion == 0 {
		s.tls.MinVersion = tls.VersionTLS12
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	options := []gomail.Option{
		gomail.WithPort(c.port()),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(s.tls),
		gomail.WithDialContextFunc(s.dial),
		gomail.WithoutNoop(), // a dead connection shows at MAIL FROM anyway
	}
	switch c.TLS {
	case TLSImplicit:
		options = append(options, gomail.WithSSL()) // dial does the handshake
	case TLSNone:
		options = append(options, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		options = append(options, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.User != "" {
		options = append(options,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(c.User), gomail.WithPassword(c.Password))
	}
	if s.client, err = gomail.NewClient(c.Host, options...); err != nil {
		return nil, fmt.Errorf("mail: set up the SMTP client: %w", err)
	}
	return s, nil
}

// dialed is the context key under which dial leaves the connection it
// opened, so that SendBatch can close it whatever go-mail does with it.
type dialed struct{}

// dial opens the TCP connection, with TLS from the first byte in implicit
// TLS mode.
func (s *SMTP) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	var conn net.Conn
	var err error
	if s.cfg.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: s.tls}).DialContext(ctx, network, addr)
	} else {
		conn, err = d.DialContext(ctx, network, addr)
	}
	if err != nil {
		return nil, err
	}
	if p, ok := ctx.Value(dialed{}).(*net.Conn); ok {
		*p = conn
	}
	return conn, nil
}

// Send renders m and sends it over a connection of its own. The error, if
// any, is an *Error; see Sender.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	return s.SendBatch(ctx, []Message{m})[0]
}

// SendBatch renders the messages and sends them in order over one
// connection. It returns one error per message, nil for each message the
// server accepted; the errors are *Error values as described on Sender. An
// invalid message fails alone. When the connection cannot be opened or the
// context ends, every message not yet sent gets that temporary error. The
// context also cuts an exchange short; each exchange is otherwise bounded by
// the configured timeout.
func (s *SMTP) SendBatch(ctx context.Context, ms []Message) []error {
	errs := make([]error, len(ms))
	msgs := make([]*gomail.Msg, len(ms))
	pending := 0
	for i, m := range ms {
		msg, err := s.message(m)
		if err != nil {
			errs[i] = permanent(fmt.Errorf("send %s mail %s: %w", m.Kind, m.MessageID, err))
			continue
		}
		msgs[i] = msg
		pending++
	}
	if pending == 0 {
		return errs
	}
	failRest := func(err error) {
		for i, msg := range msgs {
			if msg != nil && errs[i] == nil {
				errs[i] = classify(fmt.Errorf("send %s mail %s: %w", ms[i].Kind, ms[i].MessageID, err))
			}
		}
	}
	if err := ctx.Err(); err != nil {
		failRest(err)
		return errs
	}

	var raw net.Conn
	client, err := s.client.DialToSMTPClientWithContext(context.WithValue(ctx, dialed{}, &raw))
	if raw != nil {
		// go-mail leaves the connection open when the greeting, STARTTLS or
		// AUTH fails; closing it here also cuts an exchange short when ctx
		// ends.
		defer raw.Close()
		defer context.AfterFunc(ctx, func() { raw.Close() })()
	}
	if err != nil {
		failRest(fmt.Errorf("connect to %s: %w", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.port())), err))
		return errs
	}
	for i, msg := range msgs {
		if msg == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			failRest(err)
			return errs
		}
		if err := s.client.SendWithSMTPClient(client, msg); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				err = errors.Join(ctxErr, err)
			}
			errs[i] = classify(fmt.Errorf("send %s mail %s: %w", ms[i].Kind, ms[i].MessageID, err))
		}
	}
	// The server has accepted or refused every message; whatever it answers
	// to QUIT changes nothing.
	_ = s.client.CloseWithSMTPClient(client)
	return errs
}

// message renders m into a go-mail message: From the configuration, To the
// recipient, Reply-To when m has one, the subject, a stable Message-ID, the
// language, and a multipart/alternative body of text and HTML.
func (s *SMTP) message(m Message) (*gomail.Msg, error) {
	r, err := Render(m)
	if err != nil {
		return nil, err
	}
	id := m.MessageID
	if !strings.Contains(id, "@") {
		id += "@" + domainOf(s.from.Address)
	}
	from := s.from
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(&from)
	msg.ToMailAddress(&netmail.Address{Name: strings.TrimSpace(m.To.Name), Address: m.To.Email})
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, invalid("the reply-to address %q: %v", m.ReplyTo, err)
		}
	}
	msg.Subject(r.Subject)
	msg.SetMessageIDWithValue(id)
	msg.SetDateWithValue(s.now())
	msg.SetGenHeader(gomail.HeaderContentLang, r.Lang)
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated") // RFC 3834: no auto-replies
	msg.SetBodyString(gomail.TypeTextPlain, r.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
	return msg, nil
}
