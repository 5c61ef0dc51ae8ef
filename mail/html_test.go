package mail_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"allot/mail"
)

// everyField returns a message of kind in lang with every field some kind
// needs: a recipient whose name is markup, a company with an ampersand, and
// a support request whose message holds an address and a list.
func everyField(kind mail.Kind, lang string) mail.Message {
	m := message(kind, lang, "Europe/Paris")
	m.To.Name = `<script>alert("hi")</script> Ana`
	m.Company = "Acme & <Sons>"
	m.By, m.Reason = "Bea <Boss>", "The budget is spent."
	m.Programme, m.StartsAt, m.LinkEnds = "Onboarding", poolEnd.Add(-30*24*time.Hour), poolEnd.Add(-20*24*time.Hour)
	m.MessageID = fmt.Sprintf("%s.html-%s@allot.example", strings.ReplaceAll(string(kind), "_", "-"), lang)
	m.Request = mail.SupportRequest{ID: 12, Subject: "Cannot <sign> in", Priority: "high",
		Body:  "The guide at https://docs.example/guide?a=1&b=2.\nI tried:\n- signing in again\n- another browser",
		DueAt: poolEnd, Target: "next_response"}
	if kind == mail.KindSupportReceived || kind == mail.KindSupportReply || kind == mail.KindSupportUpdate ||
		kind == mail.KindSupportCopied || kind == mail.KindSupportEscalated ||
		kind == mail.KindSupportWarning || kind == mail.KindSupportBreach {
		m.Link = "https://allot.example" + mail.SupportPage(kind, 12)
	}
	return m
}

var (
	links  = regexp.MustCompile(`</?a\b[^>]*>|<wbr>`)
	tags   = regexp.MustCompile(`(?s)<head>.*</head>|<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// shown returns the text an HTML body shows, its white space collapsed: a
// link's text and an address's break opportunities run on with the text
// around them, other tags part words.
func shown(body string) string {
	body = tags.ReplaceAllString(links.ReplaceAllString(body, ""), " ")
	return spaces.ReplaceAllString(html.UnescapeString(body), " ")
}

// TestSendHTMLBeside sends a mail of every kind through a real SMTP server
// and reads it back: a multipart/alternative of a text and an HTML part that
// say the same words, the HTML escaping the names, declaring its language,
// and linking the addresses the text holds.
func TestSendHTMLBeside(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	sender := newSender(t, srv.config())
	var sent []mail.Message
	for _, kind := range mail.Kinds {
		for _, lang := range []string{"en", "de"} {
			m := everyField(kind, lang)
			if err := sender.Send(context.Background(), m); err != nil {
				t.Fatalf("send %s in %s: %v", kind, lang, err)
			}
			sent = append(sent, m)
		}
	}
	got := srv.received()
	if len(got) != len(sent) {
		t.Fatalf("server received %d messages, want %d", len(got), len(sent))
	}
	for i, m := range sent {
		t.Run(string(m.Kind)+"/"+m.To.Lang, func(t *testing.T) {
			p := parse(t, got[i])
			for _, want := range []string{m.To.Name, m.Link} {
				if !strings.Contains(p.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, p.Text)
				}
			}
			for _, bad := range []string{"<script>", "<Sons>", "<Boss>", "<sign>"} {
				if strings.Contains(p.HTML, bad) {
					t.Errorf("HTML holds %q unescaped:\n%s", bad, p.HTML)
				}
			}
			for _, want := range []string{`&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt; Ana`, `<html lang="` + m.To.Lang + `">`,
				`<a href="` + html.EscapeString(m.Link) + `"`} {
				if !strings.Contains(p.HTML, want) {
					t.Errorf("HTML lacks %q:\n%s", want, p.HTML)
				}
			}
			seen := shown(p.HTML)
			for _, word := range strings.Fields(p.Text) {
				if word = strings.TrimSuffix(word, ":"); word != "-" && word != "" && !strings.Contains(seen, word) {
					t.Errorf("the HTML does not show %q of the text:\n%s", word, seen)
				}
			}
			if strings.Contains(p.Text, "https://docs.example/guide") {
				for _, want := range []string{`<a href="https://docs.example/guide?a=1&amp;b=2"`, `<li style="margin:0 0 4px;">signing in again</li>`} {
					if !strings.Contains(p.HTML, want) {
						t.Errorf("HTML of the quoted message lacks %q:\n%s", want, p.HTML)
					}
				}
			}
		})
	}
}
