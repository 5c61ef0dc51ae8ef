// Package mailtest runs a real SMTP server (go-smtp) on a loopback port for
// the tests of other packages: it accepts every message and keeps it, for a
// test to read as its recipient would.
package mailtest

import (
	"encoding/base64"
	"errors"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	allotmail "allot/mail"
)

// Message is a message as it arrived.
type Message struct {
	To      string
	Subject string
	Text    string // the plain-text part
}

// Server is an SMTP server that keeps what it is sent.
type Server struct {
	addr *net.TCPAddr

	mu       sync.Mutex
	messages []Message
	arrived  chan struct{} // closed and replaced at each arrival
}

// Start starts a server on 127.0.0.1 that stops with the test.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{arrived: make(chan struct{})}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "mx.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	s.addr = l.Addr().(*net.TCPAddr)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("mailtest: %v", err)
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		l.Close()
		<-done
	})
	return s
}

// Config is the configuration of allot's sender for this server.
func (s *Server) Config() allotmail.Config {
	return allotmail.Config{Host: s.addr.IP.String(), Port: s.addr.Port, TLS: allotmail.TLSNone, From: "allot@allot.test"}
}

// WaitFor returns the first message to address to whose subject holds
// subject, waiting up to timeout for it to arrive.
func (s *Server) WaitFor(t testing.TB, to, subject string, timeout time.Duration) Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		for _, m := range s.messages {
			if m.To == to && strings.Contains(m.Subject, subject) {
				s.mu.Unlock()
				return m
			}
		}
		arrived := s.arrived
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline:
			t.Fatalf("mailtest: no mail to %s about %q within %s", to, subject, timeout)
		}
	}
}

func (s *Server) keep(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

// session is one SMTP conversation.
type session struct {
	s  *Server
	to []string
}

func (ss *session) Mail(string, *smtp.MailOptions) error { return nil }

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	text, err := plainText(msg)
	if err != nil {
		return err
	}
	for _, to := range ss.to {
		ss.s.keep(Message{To: to, Subject: subject, Text: text})
	}
	return nil
}

func (ss *session) Reset()        { ss.to = nil }
func (ss *session) Logout() error { return nil }

// plainText returns the text/plain part of msg, decoded.
func plainText(msg *mail.Message) (string, error) {
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(media, "multipart/") {
		b, err := io.ReadAll(decode(msg.Header.Get("Content-Transfer-Encoding"), msg.Body))
		return string(b), err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(decode(p.Header.Get("Content-Transfer-Encoding"), p))
			return string(b), err
		}
	}
}

// decode undoes a part's transfer encoding.
func decode(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(encoding) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}
