package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/jobs"
	"allot/mail"
	"allot/storetest"
	"allot/support"
	testworld "allot/world"
)

// desk is a world whose mail goes out through the deliverer to a real SMTP
// server, and whose support desk takes replies through a real Inbound
// listener on a loopback port.
type desk struct {
	*testworld.World
	out     *server
	worker  *jobs.Worker
	inbound string // the listener's address
	log     *lockedBuffer
}

// newDesk starts a desk whose reply address is replyTo; without one, it
// has no listener.
func newDesk(t *testing.T, b storetest.Backend, replyTo string) *desk {
	t.Helper()
	w := testworld.New(t, b)
	d := &desk{World: w, out: startServer(t), log: &lockedBuffer{}}
	reply, err := mail.ParseReplyAddress(replyTo)
	if err != nil {
		t.Fatal(err)
	}
	deliverer := &mail.Deliverer{Store: w.DB, Clock: w.Clock, Sender: newSender(t, d.out.config()), BaseURL: "https://allot.example/",
		ReplyTo: reply}
	d.worker = &jobs.Worker{Store: w.DB, Clock: w.Clock, Handlers: map[string]jobs.Handler{allot.JobMail: deliverer.Handle}}
	if replyTo != "" {
		d.inbound = startInbound(t, w.Support, reply, slog.New(slog.NewTextHandler(d.log, nil)))
	}
	return d
}

// startInbound serves replies to reply's requests on 127.0.0.1:0 until the
// test ends, and returns the address.
func startInbound(t *testing.T, desk mail.Desk, reply mail.ReplyAddress, log *slog.Logger) string {
	t.Helper()
	in, err := mail.NewInbound(desk, reply, log)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- in.Serve(l) }()
	t.Cleanup(func() {
		if err := in.Close(); err != nil {
			t.Errorf("close the listener: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return l.Addr().String()
}

// lockedBuffer is a log the listener's connections write to at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// deliver runs the mail jobs due until none is left.
func (d *desk) deliver(t *testing.T) {
	t.Helper()
	for range 100 {
		n, err := d.worker.Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("mail jobs keep coming")
}

// mailTo returns the one message delivered to address whose subject holds
// subject.
func (d *desk) mailTo(t *testing.T, address, subject string) parsed {
	t.Helper()
	var found []parsed
	for _, got := range d.out.received() {
		if len(got.To) != 1 || got.To[0] != address {
			continue
		}
		if p := parse(t, got); strings.Contains(p.Subject, subject) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d mails to %s about %q, want 1", len(found), address, subject)
	}
	return found[0]
}

// person adds a learner to Acme who reads lang in zone.
func (d *desk) person(t *testing.T, email, lang, zone string) allot.User {
	t.Helper()
	return testworld.Must(d.Svc.AddUser(d.As(testworld.Acting(d.Admin, d.Acme.Company)), allot.NewUser{Email: email, FirstName: "Sam",
		LastName: "Reader", CompanyID: d.Acme.Company.ID, Lang: lang, Zone: zone}))(t)
}

// ask opens a request as u, which the agent answers.
func (d *desk) ask(t *testing.T, u allot.User, answer string) support.Request {
	t.Helper()
	r := testworld.Must(d.Support.Open(d.As(u.Principal()), support.NewRequest{Subject: "Cannot sign in",
		Body: "The page says I have no seat.", Category: "member_access"}))(t)
	testworld.Must(d.Support.Reply(d.Ctx(t, "agent"), r.ID, support.Reply{Body: answer, Status: support.StatusWaiting}))(t)
	return r
}

// messages returns request id's conversation, as the desk reads it.
func (d *desk) messages(t *testing.T, id int64) []support.Message {
	t.Helper()
	return testworld.Must(d.Support.Get(d.Ctx(t, "agent"), id))(t).Messages
}

// TestSupportMailOut follows the desk's mail to a real SMTP server: the
// receipt says when the first answer is due, and the reply carries the
// desk's message and the request's own address in Reply-To, each in its
// reader's language and zone.
func TestSupportMailOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		d := newDesk(t, b, "support@allot.test")
		tests := []struct {
			email, lang, zone string
			receipt, due      string // the receipt's subject, and its due time
			reply, replyHow   string // the reply's subject, and what it says of answering
		}{
			{"ann@acme.test", "en", "America/New_York", "We received your request: Cannot sign in", "2 March 2026 at 16:00 (America/New_York)",
				"New answer on request #", "To answer, reply to this e-mail, writing above the quoted text"},
			{"lena@acme.test", "de", "Europe/Berlin", "Ihre Anfrage ist eingegangen: Cannot sign in", "2. März 2026 um 22:00 Uhr (Europe/Berlin)",
				"Neue Antwort zur Anfrage #", "antworten Sie auf diese E-Mail und schreiben über dem zitierten Text"},
		}
		for _, tt := range tests {
			u := d.person(t, tt.email, tt.lang, tt.zone)
			r := d.ask(t, u, "Which page shows it?\nA screenshot helps.")
			if want := testworld.T0.Add(12 * time.Hour); !r.DueAt.Equal(want) {
				t.Fatalf("the first answer is due %s, want %s", r.DueAt, want)
			}
			d.deliver(t)
			receipt := d.mailTo(t, tt.email, tt.receipt)
			if !strings.Contains(receipt.Text, tt.due) || receipt.Header.Get("Content-Language") != tt.lang {
				t.Errorf("%s: the receipt, in %s, does not say the answer is due %s:\n%s", tt.lang,
					receipt.Header.Get("Content-Language"), tt.due, receipt.Text)
			}
			reply := d.mailTo(t, tt.email, tt.reply)
			want := fmt.Sprintf("support+%s@allot.test", r.Token)
			if got := reply.Header.Get("Reply-To"); got != "<"+want+">" && got != want {
				t.Errorf("%s: the reply's Reply-To is %q, want %s", tt.lang, got, want)
			}
			for _, w := range []string{"Which page shows it?\nA screenshot helps.", tt.replyHow,
				fmt.Sprintf("https://allot.example/support/requests/%d", r.ID)} {
				if !strings.Contains(reply.Text, w) {
					t.Errorf("%s: the reply lacks %q:\n%s", tt.lang, w, reply.Text)
				}
			}
			if reply.Header.Get("Content-Language") != tt.lang || !strings.Contains(reply.Subject, "Cannot sign in") {
				t.Errorf("%s: the reply is %q in %s", tt.lang, reply.Subject, reply.Header.Get("Content-Language"))
			}
		}
	})
}

// TestSupportMailOutWithoutReplyAddress checks that, with no reply address,
// the desk's reply has no Reply-To and sends its reader to the request's
// page.
func TestSupportMailOutWithoutReplyAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		d := newDesk(t, b, "")
		r := d.ask(t, d.Acme.Learner, "Which page shows it?")
		d.deliver(t)
		reply := d.mailTo(t, d.Acme.Learner.Email, "New answer on request #")
		if got := reply.Header.Get("Reply-To"); got != "" {
			t.Errorf("Reply-To %q, want none", got)
		}
		page := fmt.Sprintf("To answer, write on the request's page.\n\nOpen the request\nhttps://allot.example/support/requests/%d", r.ID)
		if !strings.Contains(reply.Text, page) || strings.Contains(reply.Text, "reply to this e-mail") {
			t.Errorf("the reply does not send its reader to the page:\n%s", reply.Text)
		}
	})
}

// send sends raw from from to to through the listener at addr with a
// real SMTP client, and returns the server's refusal's code, 0 when it
// accepted.
func send(t *testing.T, addr, from, to, raw string) (int, string) {
	t.Helper()
	err := smtp.SendMail(addr, nil, from, []string{to}, []byte(strings.ReplaceAll(raw, "\n", "\r\n")))
	var te *textproto.Error
	switch {
	case err == nil:
		return 0, ""
	case errors.As(err, &te):
		return te.Code, te.Msg
	}
	t.Fatalf("send to %s: %v", to, err)
	return 0, ""
}

// replyMail is a reply from from to to, of text, attaching files by name.
func replyMail(from, to, text string, files map[string][]byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\nTo: %s\nSubject: Re: Cannot sign in\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n", from, to)
	fmt.Fprintf(&b, "--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n", text)
	for name, data := range files {
		fmt.Fprintf(&b, "--b1\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=%q\nContent-Transfer-Encoding: base64\n\n", name)
		encoded := base64.StdEncoding.EncodeToString(data)
		for len(encoded) > 76 {
			b.WriteString(encoded[:76] + "\n")
			encoded = encoded[76:]
		}
		b.WriteString(encoded + "\n")
	}
	b.WriteString("--b1--\n")
	return b.String()
}

// png is the start of a PNG image, as its bytes say.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")

// TestSupportReplyByMail sends replies to a request's address through the
// listener: one from the requester joins the conversation, without the
// history it quotes and with its attachment; one to another address, to a
// token of no request, from someone not on the request, to a closed
// request or with a file too large is refused and leaves nothing.
func TestSupportReplyByMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		d := newDesk(t, b, "support@allot.test")
		learner := d.Acme.Learner
		r := d.ask(t, learner, "Which page?")
		to := "support+" + r.Token + "@allot.test"
		text := "It is the sign-in page, see the screenshot.\n\nOn Mon, 2 Mar 2026 at 11:00, Allot <" + to + "> wrote:\n> Which page?"
		code, msg := send(t, d.inbound, learner.Email, to, replyMail("Lee Learner <"+learner.Email+">", to, text,
			map[string][]byte{"screen.png": png}))
		if code != 0 {
			t.Fatalf("the requester's reply was refused: %d %s", code, msg)
		}
		th := testworld.Must(d.Support.Get(d.Ctx(t, "agent"), r.ID))(t)
		last := th.Messages[len(th.Messages)-1]
		if last.Kind != support.MessageCustomer || last.Via != support.ViaMail || last.Author != learner.Email ||
			last.Body != "It is the sign-in page, see the screenshot." {
			t.Errorf("the reply joined as %+v", last)
		}
		if len(last.Attachments) != 1 || last.Attachments[0].Name != "screen.png" || last.Attachments[0].Type != "image/png" {
			t.Errorf("its attachments are %+v, want screen.png", last.Attachments)
		}
		if th.Request.Status != support.StatusOpen {
			t.Errorf("the request is %s after the customer wrote, want open", th.Request.Status)
		}
		n := len(th.Messages)

		refusals := []struct {
			name, from, to, text string
			files                map[string][]byte
			code                 int
			says                 string
		}{
			{"another address", learner.Email, "sales@allot.test", "Hello", nil, 550, "support+TOKEN@allot.test"},
			{"the desk's own address", learner.Email, "support@allot.test", "Hello", nil, 550, "support+TOKEN@allot.test"},
			{"another domain", learner.Email, "support+" + r.Token + "@elsewhere.test", "Hello", nil, 550, "no such recipient"},
			{"a token of no request", learner.Email, "support+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@allot.test", "Hello", nil, 550, "no such request"},
			{"someone of another company", d.Beta.Learner.Email, to, "Hello", nil, 550, "no such request"},
			{"someone unknown", "eve@evil.test", to, "Hello", nil, 550, "no such request"},
			{"a file too large", learner.Email, to, "Here", map[string][]byte{"big.png": append(png, make([]byte, support.MaxAttachmentSize)...)}, 550, "big.png"},
			{"nothing new", learner.Email, to, "On Mon, 2 Mar 2026, Allot <" + to + "> wrote:\n> Which page?", nil, 550, "write a message"},
		}
		for _, tt := range refusals {
			code, msg := send(t, d.inbound, tt.from, tt.to, replyMail(tt.from, tt.to, tt.text, tt.files))
			if code != tt.code || !strings.Contains(msg, tt.says) {
				t.Errorf("%s: answered %d %q, want %d saying %q", tt.name, code, msg, tt.code, tt.says)
			}
		}
		if got := len(d.messages(t, r.ID)); got != n {
			t.Errorf("the refused replies left %d messages, want %d", got-n, 0)
		}

		closed := support.StatusClosed
		testworld.Must(d.Support.Update(d.Ctx(t, "agent"), r.ID, support.Change{Status: &closed}))(t)
		if code, msg := send(t, d.inbound, learner.Email, to, replyMail(learner.Email, to, "One more thing", nil)); code != 550 ||
			!strings.Contains(msg, "the request is closed: open a new one") {
			t.Errorf("a reply to the closed request: %d %q, want 550 saying it is closed", code, msg)
		}
		if got := len(d.messages(t, r.ID)); got != n {
			t.Errorf("the closed request has %d messages more", got-n)
		}

		log := d.log.String()
		if strings.Count(log, "support mail received") != 1 || strings.Count(log, "support mail refused") != len(refusals)+1 ||
			strings.Contains(log, "sign-in page") || strings.Contains(log, r.Token) {
			t.Errorf("the log does not say each mail once, without bodies nor tokens:\n%s", log)
		}
	})
}

// TestSupportMailRoundTrip answers the desk's reply as it arrived: its
// Reply-To is the recipient, and its text is quoted below the answer. The
// answer alone joins the request.
func TestSupportMailRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		d := newDesk(t, b, "support@allot.test")
		u := d.person(t, "lena@acme.test", "de", "Europe/Berlin")
		r := d.ask(t, u, "Welche Seite zeigt den Fehler?")
		d.deliver(t)
		got := d.mailTo(t, u.Email, "Neue Antwort zur Anfrage")
		to := strings.Trim(got.Header.Get("Reply-To"), "<>")
		quoted := "> " + strings.ReplaceAll(strings.TrimSpace(got.Text), "\n", "\n> ")
		answer := "Die Anmeldeseite, nach dem Passwort.\n\nAm Mo., 2. März 2026 um 10:00 Uhr schrieb Allot <" + to + ">:\n" + quoted
		if code, msg := send(t, d.inbound, u.Email, to, replyMail("Lena <"+u.Email+">", to, answer, nil)); code != 0 {
			t.Fatalf("the answer to %s was refused: %d %s", to, code, msg)
		}
		ms := d.messages(t, r.ID)
		if last := ms[len(ms)-1]; last.Body != "Die Anmeldeseite, nach dem Passwort." || last.Via != support.ViaMail || last.Author != u.Email {
			t.Errorf("the answer joined as %+v", last)
		}
	})
}
