package mail_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"allot/mail"
)

// supportDue is when the test requests' answers and targets are due:
// 22:00 in Paris.
var supportDue = time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)

// supportMessage returns a valid support mail of kind in lang, about
// request 12 of Acme Ltd, answered by mail when byMail.
func supportMessage(kind mail.Kind, lang string, byMail bool) mail.Message {
	m := mail.Message{Kind: kind, To: mail.Recipient{Name: "Ana Martín", Email: "ana@acme.example", Lang: lang, Zone: "Europe/Paris"},
		Company: "Acme Ltd", Link: "https://allot.example" + mail.SupportPage(kind, 12), MessageID: "abc",
		Request: mail.SupportRequest{ID: 12, Subject: "Cannot <sign> in", Priority: "urgent", DueAt: supportDue}}
	switch kind {
	case mail.KindSupportReply, mail.KindSupportUpdate, mail.KindSupportEscalated:
		m.Request.Body = "Which page shows it?\r\n\r\nA screenshot & the time help."
	case mail.KindSupportWarning, mail.KindSupportBreach:
		m.Request.Target = "next_response"
	}
	if byMail {
		m.ReplyTo = "support+tok@allot.example"
	}
	return m
}

// supportKinds are the kinds of the support desk's mail.
var supportKinds = []mail.Kind{mail.KindSupportReceived, mail.KindSupportReply, mail.KindSupportUpdate, mail.KindSupportCopied,
	mail.KindSupportEscalated, mail.KindSupportWarning, mail.KindSupportBreach}

// TestRenderSupport renders every kind of the support desk's mail in every
// language: each is complete and translated, its subject one line naming
// the request, its body the request, its priority, the message it carries
// (escaped in HTML), the due time in the recipient's zone where it has one,
// and its link, to the request's page or the desk's.
func TestRenderSupport(t *testing.T) {
	t.Parallel()
	priority := map[string]string{"en": "Urgent", "fr": "Urgente", "de": "Dringend", "es": "Urgente"}
	due := map[string]string{"en": "2 March 2026 at 22:00 (Europe/Paris)", "fr": "2 mars 2026 à 22:00 (Europe/Paris)",
		"de": "2. März 2026 um 22:00 Uhr (Europe/Paris)", "es": "2 de marzo de 2026 a las 22:00 (Europe/Paris)"}
	target := map[string]string{"en": "next response", "fr": "réponse suivante", "de": "nächste Antwort", "es": "siguiente respuesta"}
	subjects := map[string]string{} // by subject, the mail that has it
	for _, kind := range supportKinds {
		for _, lang := range []string{"en", "fr", "de", "es"} {
			name := fmt.Sprintf("%s %s", kind, lang)
			m := supportMessage(kind, lang, true)
			r := render(t, m)
			if r.Lang != lang {
				t.Errorf("%s: language %q", name, r.Lang)
			}
			if r.Subject == "" || strings.ContainsAny(r.Subject, "\r\n") || strings.Contains(r.Subject, "  ") ||
				!strings.Contains(r.Subject, "Cannot <sign> in") || !strings.Contains(r.Subject, "12") {
				t.Errorf("%s: subject %q is not one line naming the request", name, r.Subject)
			}
			if other, ok := subjects[r.Subject]; ok {
				t.Errorf("%s: subject %q is the same as of %s", name, r.Subject, other)
			}
			subjects[r.Subject] = name
			for _, bad := range []string{"<no value>", "{{", "%!", "  .", " .", "()"} {
				if strings.Contains(r.Text, bad) || strings.Contains(r.HTML, bad) {
					t.Errorf("%s: a body holds %q:\n%s", name, bad, r.Text)
				}
			}
			want := []string{"Cannot <sign> in", priority[lang], m.Link}
			if m.Request.Body != "" {
				want = append(want, "Which page shows it?\n\nA screenshot & the time help.")
			}
			if !m.Request.DueAt.IsZero() && kind != mail.KindSupportReply && kind != mail.KindSupportUpdate &&
				kind != mail.KindSupportCopied && kind != mail.KindSupportEscalated {
				want = append(want, due[lang])
			}
			if kind == mail.KindSupportWarning || kind == mail.KindSupportBreach {
				want = append(want, target[lang], "Acme Ltd")
			}
			for _, w := range want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("%s: text lacks %q:\n%s", name, w, r.Text)
				}
			}
			for _, w := range []string{"Cannot &lt;sign&gt; in", "A screenshot &amp; the time help.", `<html lang="` + lang + `">`} {
				if (w != "A screenshot &amp; the time help." || m.Request.Body != "") && !strings.Contains(r.HTML, w) {
					t.Errorf("%s: HTML lacks %q:\n%s", name, w, r.HTML)
				}
			}
			if strings.Contains(r.HTML, "<sign>") {
				t.Errorf("%s: HTML holds the subject unescaped", name)
			}
		}
	}
}

// TestRenderSupportAnswer checks what the requester's mails say about
// answering: by replying when the mail has a reply address, on the
// request's page when not; and that the mails to the desk link to the
// desk's page.
func TestRenderSupportAnswer(t *testing.T) {
	t.Parallel()
	byMail := map[string]string{"en": "reply to this e-mail", "fr": "répondez à cet e-mail", "de": "antworten Sie auf diese E-Mail",
		"es": "responda a este correo"}
	onPage := map[string]string{"en": "write on the request's page", "fr": "écrivez sur la page de la demande",
		"de": "schreiben Sie auf der Seite der Anfrage", "es": "escriba en la página de la solicitud"}
	for _, kind := range []mail.Kind{mail.KindSupportReceived, mail.KindSupportReply} {
		for lang := range byMail {
			name := fmt.Sprintf("%s %s", kind, lang)
			mailed, paged := render(t, supportMessage(kind, lang, true)), render(t, supportMessage(kind, lang, false))
			if !strings.Contains(mailed.Text, byMail[lang]) || strings.Contains(mailed.Text, onPage[lang]) {
				t.Errorf("%s with a reply address does not say to reply:\n%s", name, mailed.Text)
			}
			if !strings.Contains(paged.Text, onPage[lang]) || strings.Contains(paged.Text, byMail[lang]) {
				t.Errorf("%s without a reply address does not say to answer on the page:\n%s", name, paged.Text)
			}
			if !strings.Contains(paged.Text, "https://allot.example/support/requests/12") {
				t.Errorf("%s: no link to the request's page:\n%s", name, paged.Text)
			}
		}
	}
	for _, kind := range supportKinds {
		want := "/desk/requests/12"
		if kind == mail.KindSupportReceived || kind == mail.KindSupportReply {
			want = "/support/requests/12"
		}
		if got := mail.SupportPage(kind, 12); got != want {
			t.Errorf("the page of %s is %q, want %q", kind, got, want)
		}
	}
}

// TestRenderSupportRefusesInvalid checks what a support mail must tell.
func TestRenderSupportRefusesInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		kind   mail.Kind
		change func(m *mail.Message)
	}{
		{"no request", mail.KindSupportReceived, func(m *mail.Message) { m.Request.ID = 0 }},
		{"no subject", mail.KindSupportReceived, func(m *mail.Message) { m.Request.Subject = " " }},
		{"a subject of two lines", mail.KindSupportReceived, func(m *mail.Message) { m.Request.Subject = "Help\r\nBcc: eve@evil.example" }},
		{"an unknown priority", mail.KindSupportReceived, func(m *mail.Message) { m.Request.Priority = "asap" }},
		{"a receipt without its due time", mail.KindSupportReceived, func(m *mail.Message) { m.Request.DueAt = time.Time{} }},
		{"a reply without its message", mail.KindSupportReply, func(m *mail.Message) { m.Request.Body = "" }},
		{"a message with a control character", mail.KindSupportReply, func(m *mail.Message) { m.Request.Body = "a\x00b" }},
		{"a warning without its target", mail.KindSupportWarning, func(m *mail.Message) { m.Request.Target = "" }},
		{"a breach of an unknown target", mail.KindSupportBreach, func(m *mail.Message) { m.Request.Target = "lunch" }},
		{"a reply-to that is not an address", mail.KindSupportReply, func(m *mail.Message) { m.ReplyTo = "support+x@a.example, eve@b.example" }},
	}
	for _, tt := range tests {
		m := supportMessage(tt.kind, "en", true)
		if err := m.Check(); err != nil {
			t.Fatalf("%s: the valid message: %v", tt.name, err)
		}
		tt.change(&m)
		if _, err := mail.Render(m); !errors.Is(err, mail.ErrInvalid) {
			t.Errorf("%s: Render error %v, want ErrInvalid", tt.name, err)
		}
	}
}

// TestReplyAddress checks the reply address a configuration gives, and
// which recipients' tokens it reads.
func TestReplyAddress(t *testing.T) {
	t.Parallel()
	a, err := mail.ParseReplyAddress("Support@Allot.example")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.For("abc234"); got != "support+abc234@allot.example" {
		t.Errorf("For: %q", got)
	}
	tests := []struct {
		to, token string
	}{
		{"support+abc234@allot.example", "abc234"},
		{"SUPPORT+ABC234@ALLOT.EXAMPLE", "abc234"},
		{"support@allot.example", ""},
		{"support+@allot.example", ""},
		{"support+abc@other.example", ""},
		{"sales+abc@allot.example", ""},
		{"support+ab.c@allot.example", ""},
		{"support+abc+def@allot.example", ""},
		{"support+abc", ""},
	}
	for _, tt := range tests {
		token, ok := a.Token(tt.to)
		if token != tt.token || ok != (tt.token != "") {
			t.Errorf("Token(%q) = %q, %v; want %q", tt.to, token, ok, tt.token)
		}
	}
	for _, bad := range []string{"support+x@allot.example", "Support <support@allot.example>", "support", "a@b.example, c@d.example"} {
		if _, err := mail.ParseReplyAddress(bad); !errors.Is(err, mail.ErrInvalid) {
			t.Errorf("ParseReplyAddress(%q): %v, want ErrInvalid", bad, err)
		}
	}
	if a, err := mail.ParseReplyAddress(""); err != nil || !a.IsZero() {
		t.Errorf("an empty reply address: %v, %v; want none", a, err)
	}
}
