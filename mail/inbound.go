package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"allot"
	"allot/support"
)

// Desk takes in the replies Inbound receives: support.Service does.
type Desk interface {
	// Receive adds a reply to the conversation of the request its token
	// names: ENOTFOUND when the token or the sender matches none,
	// ECONFLICT when the request is closed, EINVALID when the reply is
	// empty or its files are refused.
	Receive(ctx context.Context, in support.Inbound) (support.Message, error)
}

// Limits of what Inbound takes.
const (
	// MaxInboundSize is the largest mail Inbound accepts, in bytes, as
	// sent: attachments grow by a third in base64.
	MaxInboundSize = 10 << 20
	// inboundTimeout bounds each command's exchange and the handling of
	// one mail.
	inboundTimeout = time.Minute
)

// Inbound is the SMTP server that receives the replies to the support
// desk's mail: a mail to a request's own address (see ReplyAddress) joins
// the request's conversation, as a message of its sender. Mail to any
// other address is refused at RCPT, and a reply that matches no request,
// comes from someone who is not on it or answers a closed one is refused
// at DATA: nothing of it is kept. It offers neither AUTH nor STARTTLS; it
// listens where the mail exchanger of the reply address's domain relays
// to it.
type Inbound struct {
	desk    Desk
	address ReplyAddress
	log     *slog.Logger
	srv     *smtp.Server
	ctx     context.Context // ends when it closes, and ends the mail in hand
	stop    context.CancelFunc
	once    sync.Once
}

// NewInbound returns a server that hands the replies sent to address's
// requests to desk, logging each mail accepted or refused to log.
func NewInbound(desk Desk, address ReplyAddress, log *slog.Logger) (*Inbound, error) {
	if address.IsZero() {
		return nil, configError("the support reply address is needed to receive replies: set it, or turn the listener off")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	in := &Inbound{desk: desk, address: address, log: log}
	in.ctx, in.stop = context.WithCancel(context.Background())
	in.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &inboundSession{in: in, remote: c.Conn().RemoteAddr().String()}, nil
	}))
	in.srv.Domain = address.domain
	in.srv.MaxMessageBytes = MaxInboundSize
	in.srv.ReadTimeout, in.srv.WriteTimeout = inboundTimeout, inboundTimeout
	in.srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	return in, nil
}

// Serve accepts connections on l until Close; it returns nil then.
func (in *Inbound) Serve(l net.Listener) error {
	// The server's Close misses a listener Serve has not registered yet.
	defer context.AfterFunc(in.ctx, func() { l.Close() })()
	err := in.srv.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) || in.ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("mail: inbound: %w", err)
}

// Close stops accepting and ends the open connections; a mail being
// handled is cut short, and its sender, never told it was taken, sends it
// again later.
func (in *Inbound) Close() error {
	var err error
	in.once.Do(func() {
		in.stop()
		err = in.srv.Close()
	})
	// Serve may have closed its listener already, as the server ended.
	if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// inboundSession is one SMTP conversation: at most one request's mail at a
// time.
type inboundSession struct {
	in       *Inbound
	remote   string
	envelope string // MAIL FROM
	token    string // of the one recipient accepted
}

// Mail notes the envelope sender, for the log.
func (s *inboundSession) Mail(from string, _ *smtp.MailOptions) error {
	s.envelope = from
	return nil
}

// Rcpt accepts a request's address, once per mail: the sender's server
// sends the mail again for another.
func (s *inboundSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	token, ok := s.in.address.Token(to)
	switch {
	case !ok:
		s.in.log.Info("support mail refused", "remote", s.remote, "envelope_from", s.envelope, "to", masked(to), "why", "not a request's address")
		return smtpError(550, 5, 1, 1, "no such recipient: this server takes replies to %s+TOKEN@%s only",
			s.in.address.local, s.in.address.domain)
	case s.token != "" && token != s.token:
		return smtpError(452, 4, 5, 3, "one request per message: send to this recipient in another message")
	}
	s.token = token
	return nil
}

// Data reads the mail and hands it to the desk: accepted when it joined
// the request, refused as the desk's answer says.
func (s *inboundSession) Data(r io.Reader) error {
	rep, err := readReply(r)
	if err != nil {
		s.in.log.Info("support mail refused", "remote", s.remote, "envelope_from", s.envelope, "why", err.Error())
		return smtpError(550, 5, 6, 0, "the message cannot be read: %v", err)
	}
	log := s.in.log.With("remote", s.remote, "envelope_from", s.envelope, "from", rep.From,
		"attachments", len(rep.Attachments))
	if rep.Auto {
		log.Info("support mail dropped", "why", "sent automatically")
		return nil
	}
	ctx, cancel := context.WithTimeout(s.in.ctx, inboundTimeout)
	defer cancel()
	// The sender is the From header's address, not the envelope's:
	// forwarding and bounce-address schemes (SRS, VERP) rewrite the
	// envelope, never the From a person answers with. Neither proves who
	// wrote: what admits a reply is the request's token, a secret only its
	// mail carries; the sender decides whose message it is, and must be
	// one of the request's people.
	m, err := s.in.desk.Receive(allot.WithPrincipal(ctx, allot.System),
		support.Inbound{Token: s.token, From: rep.From, Body: rep.Text, Attachments: rep.Attachments})
	if err != nil {
		refusal := refusalOf(err)
		log.Info("support mail refused", "code", refusal.Code, "why", err.Error())
		return refusal
	}
	log.Info("support mail received", "request", m.RequestID, "message", m.ID)
	return nil
}

// refusalOf is the SMTP answer to a reply the desk refused: permanent for
// what sending again cannot change, temporary otherwise.
func refusalOf(err error) *smtp.SMTPError {
	switch allot.ErrorCode(err) {
	case allot.ENOTFOUND:
		return smtpError(550, 5, 1, 1, "no such request: the address matches no request this sender is on")
	case allot.ECONFLICT:
		return smtpError(550, 5, 2, 1, "the request is closed: open a new one")
	case allot.EINVALID:
		return smtpError(550, 5, 6, 0, "the reply cannot be added: %s", allot.ErrorMessage(err))
	}
	return smtpError(451, 4, 3, 0, "the reply cannot be added now: try again later")
}

// masked returns address with what follows a "+" before its "@" left out:
// a token, perhaps of a request, is a secret the log does not keep.
func masked(address string) string {
	at := strings.LastIndexByte(address, '@')
	if plus := strings.IndexByte(address, '+'); plus >= 0 && plus < at {
		return address[:plus+1] + "…" + address[at:]
	}
	return address
}

// smtpError returns an SMTP answer of code and enhanced code, its text in
// printable ASCII as SMTP requires.
func smtpError(code, class, subject, detail int, format string, args ...any) *smtp.SMTPError {
	text := []rune(fmt.Sprintf(format, args...))
	for i, r := range text {
		if r < ' ' || r > '~' {
			text[i] = '?'
		}
	}
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, subject, detail}, Message: string(text)}
}

// Reset forgets the mail in hand.
func (s *inboundSession) Reset() { s.envelope, s.token = "", "" }

// Logout ends the conversation.
func (s *inboundSession) Logout() error { return nil }
