package mail_test

import (
	"context"
	"errors"
	"testing"

	"allot/mail"
)

// TestSendTLS checks both TLS modes with authentication: the message
// arrives over TLS; a wrong password is a permanent 535; a certificate the
// sender does not trust, or a server without STARTTLS, delivers nothing.
func TestSendTLS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mode     string // the server's and the sender's TLS mode
		serve    bool   // the server speaks TLS
		trust    bool   // the sender trusts the server's certificate
		password string
		code     int // expected refusal code; 0 for none
		deliver  bool
	}{
		{name: "starttls", mode: mail.TLSStartTLS, serve: true, trust: true, password: "s3cret", deliver: true},
		{name: "implicit tls", mode: mail.TLSImplicit, serve: true, trust: true, password: "s3cret", deliver: true},
		{name: "starttls wrong password", mode: mail.TLSStartTLS, serve: true, trust: true, password: "wrong", code: 535},
		{name: "implicit tls wrong password", mode: mail.TLSImplicit, serve: true, trust: true, password: "wrong", code: 535},
		{name: "starttls untrusted certificate", mode: mail.TLSStartTLS, serve: true, password: "s3cret"},
		{name: "implicit tls untrusted certificate", mode: mail.TLSImplicit, serve: true, password: "s3cret"},
		{name: "starttls refused by the server", mode: mail.TLSStartTLS, password: "s3cret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := []serverOption{withAuth("allot", "s3cret")}
			if tt.serve {
				opts = append(opts, withTLS(t, tt.mode))
			}
			srv := startServer(t, opts...)
			cfg := srv.config()
			cfg.TLS, cfg.User, cfg.Password = tt.mode, "allot", tt.password
			var sopts []mail.Option
			if tt.trust {
				sopts = append(sopts, mail.WithTLSConfig(srv.clientTLS))
			}
			err := newSender(t, cfg, sopts...).Send(context.Background(), message(mail.KindAssigned, "es", "Europe/Madrid"))
			n, _ := srv.accepted()
			if tt.deliver {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				if tlsMail := srv.overTLS(); n != 1 || tlsMail != 1 {
					t.Errorf("server accepted %d messages, %d over TLS, want 1 and 1", n, tlsMail)
				}
				return
			}
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			if n != 0 {
				t.Errorf("server accepted %d messages, want 0", n)
			}
			var me *mail.Error
			if !errors.As(err, &me) {
				t.Fatalf("error %T %v is not a *mail.Error", err, err)
			}
			if tt.code != 0 && (me.Code != tt.code || me.Temp) {
				t.Errorf("error %v: code %d temporary %v, want code %d, permanent", err, me.Code, me.Temp, tt.code)
			}
		})
	}
}
