package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"allot/mail"
)

// TestSendBatch checks that a batch goes over one connection, in order, and
// that an invalid message or a refused recipient fails alone.
func TestSendBatch(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.refuseRecipient("gone@acme.example", &smtp.SMTPError{Code: 550, Message: "no such user"})
	var batch []mail.Message
	for i, email := range []string{"a@acme.example", "b@acme.example", "not an address", "gone@acme.example", "c@acme.example"} {
		m := message(mail.KindReminder, "fr", "Europe/Paris")
		m.To.Email = email
		m.MessageID = fmt.Sprintf("reminder.%d@allot.example", i)
		batch = append(batch, m)
	}
	errs := newSender(t, srv.config()).SendBatch(context.Background(), batch)
	if len(errs) != len(batch) {
		t.Fatalf("%d errors for %d messages", len(errs), len(batch))
	}
	for i, want := range []struct {
		fail    bool
		invalid bool
		code    int
	}{{}, {}, {fail: true, invalid: true}, {fail: true, code: 550}, {}} {
		err := errs[i]
		if (err != nil) != want.fail {
			t.Errorf("message %d: error %v, want failure %v", i, err, want.fail)
			continue
		}
		if err == nil {
			continue
		}
		var me *mail.Error
		if !errors.As(err, &me) || me.Temp || me.Code != want.code || errors.Is(err, mail.ErrInvalid) != want.invalid {
			t.Errorf("message %d: error %#v, want permanent, code %d, invalid %v", i, err, want.code, want.invalid)
		}
	}
	got := srv.received()
	var to []string
	for _, d := range got {
		to = append(to, strings.Join(d.To, ","))
	}
	if want := "a@acme.example b@acme.example c@acme.example"; strings.Join(to, " ") != want {
		t.Errorf("delivered to %q, want %q in that order", to, want)
	}
	if _, sessions := srv.accepted(); sessions != 1 {
		t.Errorf("batch used %d sessions, want 1", sessions)
	}
}

// TestSendBatchServerDown checks that every valid message of a batch gets a
// temporary error when the server cannot be reached.
func TestSendBatchServerDown(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	sender := newSender(t, mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: "noreply@allot.example"})
	bad := message(mail.KindReminder, "en", "UTC")
	bad.To.Email = "bad"
	errs := sender.SendBatch(context.Background(), []mail.Message{message(mail.KindReminder, "en", "UTC"), bad, message(mail.KindExpired, "en", "UTC")})
	for i, temp := range []bool{true, false, true} {
		if errs[i] == nil || mail.Temporary(errs[i]) != temp {
			t.Errorf("message %d: error %v, want temporary %v", i, errs[i], temp)
		}
	}
}
