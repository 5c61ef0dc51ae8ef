package main

import (
	"context"
	"errors"
	"net/smtp"
	"net/textproto"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"allot"
	"allot/storetest"
	"allot/support"
)

// TestServeTakesSupportReplies runs allot serve with the support desk's
// reply address and its SMTP listener on a free port: a reply to a
// request's address, sent there by a real SMTP client, joins the request;
// one to an address of no request is refused.
func TestServeTakesSupportReplies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		st := storetest.OpenURL(t, url)
		svc := allot.NewService(st, allot.NewManualClock(serveT), nil)
		desk := &support.Service{Ledger: svc, Store: st.Support()}
		sys := allot.WithPrincipal(context.Background(), allot.System)
		c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		managing := allot.System
		managing.ActingCompanyID = c.ID
		u, err := svc.AddUser(allot.WithPrincipal(context.Background(), managing), allot.NewUser{Email: "lee@acme.test", CompanyID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		r, err := desk.Open(allot.WithPrincipal(context.Background(), u.Principal()),
			support.NewRequest{Subject: "Cannot sign in", Body: "No seat, it says.", Category: "member_access"})
		if err != nil {
			t.Fatal(err)
		}

		out := &lockedBuffer{}
		m := NewMain(out, &lockedBuffer{})
		stop := serve(t, m, "-addr", "127.0.0.1:0", "-database", url, "-workers=false",
			"-support-reply-to", "support@allot.test", "-support-smtp-listen", "127.0.0.1:0")
		defer stop()
		found := regexp.MustCompile(`replies to the support desk's mail \(support@allot\.test\) come in by SMTP on (\S+)`).FindStringSubmatch(out.String())
		if found == nil {
			t.Fatalf("serve does not say where replies come in:\n%s", out)
		}
		to := "support+" + r.Token + "@allot.test"
		reply := "From: Lee <lee@acme.test>\r\nTo: " + to + "\r\nSubject: Re: Cannot sign in\r\n\r\nStill no seat.\r\n\r\n" +
			"On Mon, 4 May 2026, Allot <" + to + "> wrote:\r\n> Which page?\r\n"
		if err := smtp.SendMail(found[1], nil, "lee@acme.test", []string{to}, []byte(reply)); err != nil {
			t.Fatalf("send the reply: %v", err)
		}
		th, err := desk.Get(sys, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := th.Messages[len(th.Messages)-1]; len(th.Messages) != 2 || last.Body != "Still no seat." || last.Via != support.ViaMail {
			t.Errorf("the request's messages are %+v, want the reply by mail after the first", th.Messages)
		}
		err = smtp.SendMail(found[1], nil, "lee@acme.test", []string{"support+nosuchtoken@allot.test"}, []byte(reply))
		var te *textproto.Error
		if !errors.As(err, &te) || te.Code != 550 {
			t.Errorf("a reply to no request: %v, want 550", err)
		}
	})
}

// TestSupportMailSettings checks that serve refuses a listener without a
// reply address, and a reply address it cannot add a token to.
func TestSupportMailSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "allot.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a listener without a reply address", []string{"-support-smtp-listen", "127.0.0.1:2525"}, "set -support-reply-to too"},
		{"a reply address with a token", []string{"-support-reply-to", "support+x@allot.test"}, `may not hold a "+"`},
		{"a reply address with a name", []string{"-support-reply-to", "Support <support@allot.test>"}, "not a bare e-mail address"},
		{"a listener without a port", []string{"-support-reply-to", "support@allot.test", "-support-smtp-listen", "localhost"}, "is not host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errout := run(t, append([]string{"serve", "-database", db}, tt.args...)...)
			if code != 2 || !strings.Contains(errout, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 saying %q", code, errout, tt.want)
			}
		})
	}
}
