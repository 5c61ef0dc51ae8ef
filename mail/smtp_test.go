package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"allot/mail"
)

// poolEnd is the instant the test pools expire: the evening of 31 January
// in the Americas, already 1 February in Europe.
var poolEnd = time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC)

const link = "https://allot.example/companies/7/licences?pool=42&tab=renew"

// message returns a valid message of a kind, in a language and zone: 25
// Premium licences of Acme Ltd, 5 of them free, ending at poolEnd.
func message(kind mail.Kind, lang, zone string) mail.Message {
	return mail.Message{
		Kind:      kind,
		To:        mail.Recipient{Name: "Ana Martín", Email: "ana@acme.example", Lang: lang, Zone: zone},
		Company:   "Acme Ltd",
		Product:   "Premium",
		Seats:     25,
		Free:      5,
		EndsAt:    poolEnd,
		Offset:    72 * time.Hour,
		Link:      link,
		MessageID: fmt.Sprintf("%s.pool-42@allot.example", kind),
		Endpoint:  "https://hooks.acme.example/allot", // a webhook endpoint's mail's
	}
}

// newSender returns an SMTP sender for cfg, failing the test on error.
func newSender(t testing.TB, cfg mail.Config, opts ...mail.Option) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(cfg, opts...)
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	return s
}

// sendErr sends m and returns the error as an *mail.Error, failing the test
// when sending succeeds or the error has another type.
func sendErr(t *testing.T, s *mail.SMTP, m mail.Message) *mail.Error {
	t.Helper()
	err := s.Send(context.Background(), m)
	if err == nil {
		t.Fatal("Send succeeded, want an error")
	}
	var me *mail.Error
	if !errors.As(err, &me) {
		t.Fatalf("Send error %T %v is not a *mail.Error", err, err)
	}
	return me
}

// TestSendDelivers sends every kind in every language to a real SMTP server
// and checks what arrives: envelope, headers, the end in the recipient's
// zone, the numbers and the link, and bodies identical to Render's.
func TestSendDelivers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind      mail.Kind
		lang      string
		zone      string
		subject   string
		ends      string   // the end as the recipient reads it
		sentences []string // what shows the language and the numbers
	}{
		{mail.KindAssigned, "en", "Europe/Paris", "25 Premium licences are ready for Acme Ltd",
			"1 February 2027 at 00:30 (Europe/Paris)",
			[]string{"Hello Ana Martín,", "Acme Ltd has received 25 Premium licences, valid until 1 February 2027 at 00:30 (Europe/Paris).",
				"Free to allocate: 5", "20 already went to learners", "Allocate the licences"}},
		{mail.KindReminder, "en", "America/New_York", "Your Premium licences for Acme Ltd expire in 3 days",
			"31 January 2027 at 18:30 (America/New_York)",
			[]string{"The 25 Premium licences of Acme Ltd end on 31 January 2027 at 18:30 (America/New_York).",
				"Allocated: 20", "20 learners lose access then", "Renew the licences"}},
		{mail.KindExpired, "en", "Asia/Tokyo", "Your Premium licences for Acme Ltd have expired",
			"1 February 2027 at 08:30 (Asia/Tokyo)",
			[]string{"ended on 1 February 2027 at 08:30 (Asia/Tokyo)", "20 learners have lost access", "Ended: 1 February 2027"}},

		{mail.KindAssigned, "fr", "Europe/Paris", "25 licences Premium prêtes pour Acme Ltd",
			"1er février 2027 à 00:30 (Europe/Paris)",
			[]string{"Bonjour Ana Martín,", "Acme Ltd a reçu 25 licences Premium, valables jusqu'au 1er février 2027 à 00:30 (Europe/Paris).",
				"À attribuer\u00a0: 5", "Il en reste 5 à attribuer.", "Attribuer les licences"}},
		{mail.KindReminder, "fr", "America/Montreal", "Vos licences Premium pour Acme Ltd expirent dans 3 jours",
			"31 janvier 2027 à 18:30 (America/Montreal)",
			[]string{"Les 25 licences Premium de Acme Ltd prennent fin le 31 janvier 2027 à 18:30 (America/Montreal).",
				"20 apprenants perdront alors l'accès", "Renouveler les licences"}},
		{mail.KindExpired, "fr-CA", "Europe/Paris", "Vos licences Premium pour Acme Ltd ont expiré",
			"1er février 2027 à 00:30 (Europe/Paris)",
			[]string{"ont pris fin le 1er février 2027 à 00:30", "20 apprenants ont perdu l'accès."}},

		{mail.KindAssigned, "de", "Europe/Berlin", "Acme Ltd: 25 Lizenzen für Premium bereit",
			"1. Februar 2027 um 00:30 Uhr (Europe/Berlin)",
			[]string{"Hallo Ana Martín,", "gültig bis zum 1. Februar 2027 um 00:30 Uhr (Europe/Berlin).",
				"Noch zu vergeben: 5", "5 sind noch zu vergeben.", "Lizenzen vergeben"}},
		{mail.KindReminder, "de", "Europe/Vienna", "Ihre Lizenzen für Premium (Acme Ltd) laufen in 3 Tagen ab",
			"1. Februar 2027 um 00:30 Uhr (Europe/Vienna)",
			[]string{"Die 25 Lizenzen für Premium von Acme Ltd enden am 1. Februar 2027", "20 Personen verlieren dann den Zugang", "Lizenzen verlängern"}},
		{mail.KindExpired, "de", "America/Los_Angeles", "Ihre Lizenzen für Premium (Acme Ltd) sind abgelaufen",
			"31. Januar 2027 um 15:30 Uhr (America/Los_Angeles)",
			[]string{"endeten am 31. Januar 2027 um 15:30 Uhr", "Vergeben: 20"}},

		{mail.KindAssigned, "es", "Europe/Madrid", "25 licencias de Premium listas para Acme Ltd",
			"1 de febrero de 2027 a las 00:30 (Europe/Madrid)",
			[]string{"Hola, Ana Martín:", "Acme Ltd ha recibido 25 licencias de Premium, válidas hasta el 1 de febrero de 2027 a las 00:30 (Europe/Madrid).",
				"Por asignar: 5", "quedan 5 por asignar", "Asignar las licencias"}},
		{mail.KindReminder, "es", "America/Mexico_City", "Sus licencias de Premium para Acme Ltd vencen en 3 días",
			"31 de enero de 2027 a las 17:30 (America/Mexico_City)",
			[]string{"Las 25 licencias de Premium para Acme Ltd vencen el 31 de enero de 2027 a las 17:30", "20 participantes perderán", "Renovar las licencias"}},
		{mail.KindExpired, "es", "Atlantic/Canary", "Sus licencias de Premium para Acme Ltd han vencido",
			"31 de enero de 2027 a las 23:30 (Atlantic/Canary)",
			[]string{"vencieron el 31 de enero de 2027 a las 23:30", "20 participantes han perdido el acceso"}},
	}
	srv := startServer(t)
	sender := newSender(t, srv.config())
	for _, tt := range tests {
		m := message(tt.kind, tt.lang, tt.zone)
		if err := sender.Send(context.Background(), m); err != nil {
			t.Fatalf("send %s %s: %v", tt.kind, tt.lang, err)
		}
	}
	got := srv.received()
	if len(got) != len(tests) {
		t.Fatalf("server received %d messages, want %d", len(got), len(tests))
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s", tt.kind, tt.lang, tt.zone), func(t *testing.T) {
			m := message(tt.kind, tt.lang, tt.zone)
			d := got[i]
			if d.From != "noreply@allot.example" {
				t.Errorf("MAIL FROM %q, want noreply@allot.example", d.From)
			}
			if len(d.To) != 1 || d.To[0] != "ana@acme.example" {
				t.Errorf("RCPT TO %q, want exactly ana@acme.example", d.To)
			}
			p := parse(t, d)
			if len(p.To) != 1 || p.To[0].Name != "Ana Martín" || p.To[0].Address != "ana@acme.example" {
				t.Errorf("To header %q, want Ana Martín <ana@acme.example>", p.Header.Get("To"))
			}
			if p.Subject != tt.subject {
				t.Errorf("subject %q, want %q", p.Subject, tt.subject)
			}
			if want := "<" + m.MessageID + ">"; p.Header.Get("Message-ID") != want {
				t.Errorf("Message-ID %q, want %q", p.Header.Get("Message-ID"), want)
			}
			wantLang := strings.SplitN(tt.lang, "-", 2)[0]
			if got := p.Header.Get("Content-Language"); got != wantLang {
				t.Errorf("Content-Language %q, want %q", got, wantLang)
			}
			if got := p.Header.Get("Auto-Submitted"); got != "auto-generated" {
				t.Errorf("Auto-Submitted %q, want auto-generated", got)
			}
			r, err := mail.Render(m)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if strings.TrimRight(p.Text, "\n") != strings.TrimRight(r.Text, "\n") {
				t.Errorf("received text differs from the rendered one:\n%s\n--- want ---\n%s", p.Text, r.Text)
			}
			if strings.TrimRight(p.HTML, "\n") != strings.TrimRight(r.HTML, "\n") {
				t.Errorf("received HTML differs from the rendered one:\n%s\n--- want ---\n%s", p.HTML, r.HTML)
			}
			for _, want := range append([]string{tt.ends, link}, tt.sentences...) {
				if !strings.Contains(p.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, p.Text)
				}
			}
			for _, want := range []string{tt.ends, `href="` + strings.ReplaceAll(link, "&", "&amp;") + `"`, `<html lang="` + wantLang + `">`} {
				if !strings.Contains(p.HTML, want) {
					t.Errorf("HTML lacks %q:\n%s", want, p.HTML)
				}
			}
		})
	}
}

// TestSendKeepsMessageID checks that sending the same mail twice carries the
// same Message-ID, and that an ID without a domain gets the sender's.
func TestSendKeepsMessageID(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	sender := newSender(t, srv.config())
	m := message(mail.KindReminder, "en", "UTC")
	m.MessageID = "reminder.pool-42.72h"
	for range 2 {
		if err := sender.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	got := srv.received()
	if len(got) != 2 {
		t.Fatalf("received %d messages, want 2", len(got))
	}
	for i, d := range got {
		if id := parse(t, d).Header.Get("Message-ID"); id != "<reminder.pool-42.72h@allot.example>" {
			t.Errorf("message %d: Message-ID %q, want <reminder.pool-42.72h@allot.example>", i, id)
		}
	}
}

// TestSendRefusesInvalidMessages checks that header injection attempts,
// invalid addresses and incomplete messages fail with a permanent
// ErrInvalid error before any connection is made.
func TestSendRefusesInvalidMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*mail.Message)
	}{
		{"CRLF in name", func(m *mail.Message) { m.To.Name = "Ana\r\nBcc: eve@evil.example" }},
		{"LF in name", func(m *mail.Message) { m.To.Name = "Ana\nBcc: eve@evil.example" }},
		{"CR in name", func(m *mail.Message) { m.To.Name = "Ana\rBcc: eve@evil.example" }},
		{"CRLF in company (subject)", func(m *mail.Message) { m.Company = "Acme\r\nBcc: eve@evil.example" }},
		{"LF in product (subject)", func(m *mail.Message) { m.Product = "Premium\nBcc: eve@evil.example" }},
		{"NUL in product", func(m *mail.Message) { m.Product = "Prem\x00ium" }},
		{"line separator in company", func(m *mail.Message) { m.Company = "Acme\u2028Bcc: eve@evil.example" }},
		{"invalid UTF-8 in name", func(m *mail.Message) { m.To.Name = "Ana \xff" }},
		{"CRLF in address", func(m *mail.Message) { m.To.Email = "ana@acme.example\r\nBcc: eve@evil.example" }},
		{"CRLF in Message-ID", func(m *mail.Message) { m.MessageID = "id@allot.example>\r\nBcc: eve@evil.example" }},
		{"LF in link", func(m *mail.Message) { m.Link = "https://allot.example/\nBcc: eve@evil.example" }},

		{"empty address", func(m *mail.Message) { m.To.Email = "" }},
		{"no at sign", func(m *mail.Message) { m.To.Email = "ana.acme.example" }},
		{"no domain", func(m *mail.Message) { m.To.Email = "ana@" }},
		{"no local part", func(m *mail.Message) { m.To.Email = "@acme.example" }},
		{"two at signs", func(m *mail.Message) { m.To.Email = "ana@acme@example" }},
		{"two addresses", func(m *mail.Message) { m.To.Email = "ana@acme.example, eve@evil.example" }},
		{"display name in address", func(m *mail.Message) { m.To.Email = "Eve <eve@evil.example>" }},
		{"spaces around address", func(m *mail.Message) { m.To.Email = " ana@acme.example " }},
		{"space inside address", func(m *mail.Message) { m.To.Email = "ana martin@acme.example" }},

		{"unknown kind", func(m *mail.Message) { m.Kind = "invoice" }},
		{"no company", func(m *mail.Message) { m.Company = " " }},
		{"no product", func(m *mail.Message) { m.Product = "" }},
		{"no seats", func(m *mail.Message) { m.Seats, m.Free = 0, 0 }},
		{"more free than seats", func(m *mail.Message) { m.Free = 26 }},
		{"negative free", func(m *mail.Message) { m.Free = -1 }},
		{"no end", func(m *mail.Message) { m.EndsAt = time.Time{} }},
		{"negative offset", func(m *mail.Message) { m.Offset = -time.Hour }},
		{"no link", func(m *mail.Message) { m.Link = "" }},
		{"relative link", func(m *mail.Message) { m.Link = "/companies/7" }},
		{"javascript link", func(m *mail.Message) { m.Link = "javascript:alert(1)" }},
		{"no Message-ID", func(m *mail.Message) { m.MessageID = "" }},
		{"Message-ID with brackets", func(m *mail.Message) { m.MessageID = "<id@allot.example>" }},
		{"Message-ID with space", func(m *mail.Message) { m.MessageID = "an id@allot.example" }},
	}
	srv := startServer(t)
	sender := newSender(t, srv.config())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := message(mail.KindAssigned, "en", "Europe/Paris")
			tt.change(&m)
			err := sendErr(t, sender, m)
			if !errors.Is(err, mail.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if err.Temporary() || mail.Temporary(err) {
				t.Errorf("error %v is temporary, want permanent", err)
			}
			if _, rerr := mail.Render(m); !errors.Is(rerr, mail.ErrInvalid) {
				t.Errorf("Render error %v, want ErrInvalid", rerr)
			}
		})
	}
	if n, sessions := srv.accepted(); n != 0 || sessions != 0 {
		t.Errorf("server saw %d messages in %d sessions, want none", n, sessions)
	}
}

// TestSendServerRefuses checks that 4xx answers give temporary errors and
// 5xx answers permanent ones, with the code, and that nothing is delivered.
func TestSendServerRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stage string
		code  int
		temp  bool
	}{
		{"hello", 421, true},
		{"hello", 554, false},
		{"mail", 421, true},
		{"mail", 451, true},
		{"mail", 550, false},
		{"rcpt", 450, true},
		{"rcpt", 452, true},
		{"rcpt", 550, false},
		{"rcpt", 553, false},
		{"data", 451, true},
		{"data", 552, false},
		{"data", 554, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", tt.stage, tt.code), func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			srv.refuseAt(tt.stage, &smtp.SMTPError{Code: tt.code, Message: "refused by the test"})
			err := sendErr(t, newSender(t, srv.config()), message(mail.KindReminder, "en", "UTC"))
			if err.Temporary() != tt.temp || mail.Temporary(err) != tt.temp {
				t.Errorf("Temporary() = %v, want %v (error %v)", err.Temporary(), tt.temp, err)
			}
			if err.Code != tt.code {
				t.Errorf("Code = %d, want %d (error %v)", err.Code, tt.code, err)
			}
			if errors.Is(err, mail.ErrInvalid) {
				t.Errorf("error %v wraps ErrInvalid, the message was fine", err)
			}
			if n, _ := srv.accepted(); n != 0 {
				t.Errorf("server accepted %d messages, want 0", n)
			}
		})
	}
}

// TestSendServerUnreachable checks that a server that is down, or that
// accepts the connection and never answers, gives a temporary error.
func TestSendServerUnreachable(t *testing.T) {
	t.Parallel()
	down := func(t *testing.T) mail.Config {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		return mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: "noreply@allot.example"}
	}
	silent := func(t *testing.T) mail.Config {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		conns := make(chan net.Conn, 1)
		go func() {
			c, err := l.Accept()
			if err == nil {
				conns <- c // held open, never greeted
			}
		}()
		t.Cleanup(func() {
			l.Close()
			select {
			case c := <-conns:
				c.Close()
			default:
			}
		})
		return mail.Config{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: mail.TLSNone,
			From: "noreply@allot.example", Timeout: 200 * time.Millisecond}
	}
	tests := []struct {
		name   string
		config func(*testing.T) mail.Config
	}{
		{"connection refused", down},
		{"no greeting", silent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := sendErr(t, newSender(t, tt.config(t)), message(mail.KindExpired, "de", "Europe/Berlin"))
			if !err.Temporary() || !mail.Temporary(err) {
				t.Errorf("error %v is permanent, want temporary", err)
			}
			if err.Code != 0 {
				t.Errorf("Code = %d, want 0: no server answered", err.Code)
			}
		})
	}
}

// TestSendCancelled checks that an ended context gives a temporary error
// without connecting.
func TestSendCancelled(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := newSender(t, srv.config()).Send(ctx, message(mail.KindAssigned, "en", "UTC"))
	if !errors.Is(err, context.Canceled) || !mail.Temporary(err) {
		t.Errorf("error %v, want a temporary error wrapping context.Canceled", err)
	}
	if n, sessions := srv.accepted(); n != 0 || sessions != 0 {
		t.Errorf("server saw %d messages in %d sessions, want none", n, sessions)
	}
}

// TestSendCancelledMidway checks that ending the context cuts short an
// exchange the server does not answer, with a temporary error, long before
// the connection's own timeout.
func TestSendCancelledMidway(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.stallData(t)
	cfg := srv.config()
	cfg.Timeout = time.Hour
	sender := newSender(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sender.Send(ctx, message(mail.KindReminder, "en", "UTC")) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) || !mail.Temporary(err) {
			t.Errorf("error %v, want a temporary error wrapping context.DeadlineExceeded", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Send still waits for the server 30s after its context ended")
	}
}
