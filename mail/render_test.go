package mail_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"allot/mail"
)

// render renders m, failing the test on error.
func render(t *testing.T, m mail.Message) mail.Rendered {
	t.Helper()
	r, err := mail.Render(m)
	if err != nil {
		t.Fatalf("Render(%s, %s): %v", m.Kind, m.To.Lang, err)
	}
	return r
}

// TestRenderDates checks that the end is written in the recipient's
// language and zone, and which language a tag falls back to.
func TestRenderDates(t *testing.T) {
	t.Parallel()
	summer := time.Date(2027, 7, 1, 22, 0, 0, 0, time.UTC)
	oneAM := time.Date(2027, 2, 1, 0, 15, 0, 0, time.UTC)
	tests := []struct {
		name, lang, zone string
		ends             time.Time // poolEnd when zero
		wantLang, want   string
	}{
		{"english in Paris", "en", "Europe/Paris", time.Time{}, "en", "1 February 2027 at 00:30 (Europe/Paris)"},
		{"english in New York", "en", "America/New_York", time.Time{}, "en", "31 January 2027 at 18:30 (America/New_York)"},
		{"summer time in Paris", "en", "Europe/Paris", summer, "en", "2 July 2027 at 00:00 (Europe/Paris)"},
		{"french, first of the month", "fr", "Europe/Paris", time.Time{}, "fr", "1er février 2027 à 00:30 (Europe/Paris)"},
		{"french in New York", "fr", "America/New_York", time.Time{}, "fr", "31 janvier 2027 à 18:30 (America/New_York)"},
		{"german with a region", "de-AT", "Europe/Vienna", time.Time{}, "de", "1. Februar 2027 um 00:30 Uhr (Europe/Vienna)"},
		{"spanish, upper case and underscore", "ES_mx", "America/Mexico_City", time.Time{}, "es", "31 de enero de 2027 a las 17:30 (America/Mexico_City)"},
		{"spanish at one o'clock", "es", "Europe/Madrid", oneAM, "es", "1 de febrero de 2027 a la 01:15 (Europe/Madrid)"},
		{"unknown language falls back to english", "pt-BR", "America/Sao_Paulo", time.Time{}, "en", "31 January 2027 at 20:30 (America/Sao_Paulo)"},
		{"no language is english", "", "Europe/Paris", time.Time{}, "en", "1 February 2027 at 00:30 (Europe/Paris)"},
		{"no zone is UTC", "en", "", time.Time{}, "en", "31 January 2027 at 23:30 (UTC)"},
		{"unknown zone is UTC", "de", "Mars/Olympus_Mons", time.Time{}, "de", "31. Januar 2027 um 23:30 Uhr (UTC)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := message(mail.KindAssigned, tt.lang, tt.zone)
			if !tt.ends.IsZero() {
				m.EndsAt = tt.ends
			}
			r := render(t, m)
			if r.Lang != tt.wantLang {
				t.Errorf("language %q, want %q", r.Lang, tt.wantLang)
			}
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("text lacks %q:\n%s", tt.want, r.Text)
			}
			if !strings.Contains(r.HTML, tt.want) {
				t.Errorf("HTML lacks %q:\n%s", tt.want, r.HTML)
			}
		})
	}
}

// TestRenderNumbers checks digit groups per language.
func TestRenderNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang  string
		seats int
		want  string
	}{
		{"en", 999, "Licences: 999\n"},
		{"en", 1200, "Licences: 1,200\n"},
		{"en", 1000000, "Licences: 1,000,000\n"},
		{"fr", 1200, "Licences\u00a0: 1\u202f200\n"},
		{"de", 1200, "Lizenzen: 1.200\n"},
		{"es", 1200, "Licencias: 1200\n"},
		{"es", 12000, "Licencias: 12.000\n"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", tt.lang, tt.seats), func(t *testing.T) {
			t.Parallel()
			m := message(mail.KindReminder, tt.lang, "UTC")
			m.Seats, m.Free = tt.seats, 0
			if r := render(t, m); !strings.Contains(r.Text, tt.want) {
				t.Errorf("text lacks %q:\n%s", tt.want, r.Text)
			}
		})
	}
}

// TestRenderWording checks subjects and sentences that depend on the
// counts and on the reminder's offset.
func TestRenderWording(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		kind        mail.Kind
		lang        string
		seats, free int
		offset      time.Duration
		subject     string
		sentence    string // in the text; "" to check the subject only
	}{
		{"one licence assigned", mail.KindAssigned, "en", 1, 1, 0, "1 Premium licence is ready for Acme Ltd", "It is ready to be allocated to your learners."},
		{"all free", mail.KindAssigned, "en", 25, 25, 0, "25 Premium licences are ready for Acme Ltd", "They are ready to be allocated to your learners."},
		{"none free", mail.KindAssigned, "en", 25, 0, 0, "25 Premium licences are ready for Acme Ltd", "All of them have already gone to learners who were waiting for a licence."},
		{"one reminder", mail.KindReminder, "en", 1, 0, 72 * time.Hour, "Your Premium licence for Acme Ltd expires in 3 days", "The Premium licence of Acme Ltd ends on"},
		{"reminder, none allocated", mail.KindReminder, "en", 25, 25, 72 * time.Hour, "Your Premium licences for Acme Ltd expire in 3 days", "None of them is allocated at the moment."},
		{"reminder today", mail.KindReminder, "en", 25, 5, 0, "Your Premium licences for Acme Ltd expire today", ""},
		{"reminder in a day", mail.KindReminder, "en", 25, 5, 24 * time.Hour, "Your Premium licences for Acme Ltd expire in 1 day", ""},
		{"reminder in 30 days", mail.KindReminder, "en", 25, 5, 30 * 24 * time.Hour, "Your Premium licences for Acme Ltd expire in 30 days", ""},
		{"reminder in hours", mail.KindReminder, "en", 25, 5, 36 * time.Hour, "Your Premium licences for Acme Ltd expire in 36 hours", ""},
		{"reminder rounds up to the hour", mail.KindReminder, "en", 25, 5, 90 * time.Minute, "Your Premium licences for Acme Ltd expire in 2 hours", ""},
		{"reminder in one hour", mail.KindReminder, "en", 25, 5, time.Hour, "Your Premium licences for Acme Ltd expire in 1 hour", ""},
		{"one expired, unused", mail.KindExpired, "en", 1, 1, 0, "Your Premium licence for Acme Ltd has expired", "No learner was using it."},
		{"french, one licence assigned", mail.KindAssigned, "fr", 1, 1, 0, "1 licence Premium prête pour Acme Ltd", "Elle est prête à être attribuée à vos apprenants."},
		{"french reminder today", mail.KindReminder, "fr", 25, 5, 0, "Vos licences Premium pour Acme Ltd expirent aujourd'hui", ""},
		{"french, one reminder in a day", mail.KindReminder, "fr", 1, 0, 24 * time.Hour, "Votre licence Premium pour Acme Ltd expire dans 1 jour", "1 apprenant perdra alors l'accès"},
		{"german reminder today", mail.KindReminder, "de", 25, 5, 0, "Ihre Lizenzen für Premium (Acme Ltd) laufen heute ab", ""},
		{"german, one reminder in a day", mail.KindReminder, "de", 1, 1, 24 * time.Hour, "Ihre Lizenz für Premium (Acme Ltd) läuft in 1 Tag ab", "Sie ist derzeit nicht vergeben."},
		{"spanish reminder today", mail.KindReminder, "es", 25, 5, 0, "Sus licencias de Premium para Acme Ltd vencen hoy", ""},
		{"spanish, one expired", mail.KindExpired, "es", 1, 0, 0, "Su licencia de Premium para Acme Ltd ha vencido", "1 participante ha perdido el acceso."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := message(tt.kind, tt.lang, "Europe/Paris")
			m.Seats, m.Free, m.Offset = tt.seats, tt.free, tt.offset
			r := render(t, m)
			if r.Subject != tt.subject {
				t.Errorf("subject %q, want %q", r.Subject, tt.subject)
			}
			if tt.sentence != "" && !strings.Contains(r.Text, tt.sentence) {
				t.Errorf("text lacks %q:\n%s", tt.sentence, r.Text)
			}
		})
	}
}

// TestRenderEscapesHTML checks that names reach the HTML body escaped and the
// text body as they are.
func TestRenderEscapesHTML(t *testing.T) {
	t.Parallel()
	m := message(mail.KindExpired, "en", "UTC")
	m.Company = `<script>alert("x")</script> & Co`
	m.To.Name = `<b>Eve</b>`
	r := render(t, m)
	for _, bad := range []string{"<script>", "<b>Eve"} {
		if strings.Contains(r.HTML, bad) {
			t.Errorf("HTML holds %q unescaped:\n%s", bad, r.HTML)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co", "&lt;b&gt;Eve&lt;/b&gt;"} {
		if !strings.Contains(r.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, r.HTML)
		}
	}
	if !strings.Contains(r.Text, m.Company) || !strings.Contains(r.Text, m.To.Name) {
		t.Errorf("text lacks the names as given:\n%s", r.Text)
	}
	if !strings.Contains(r.Subject, m.Company) {
		t.Errorf("subject %q lacks the company as given", r.Subject)
	}
}

// TestRenderEveryKindAndLanguage renders every kind in every language with
// every shape of counts, and checks each is complete, on one subject line,
// and translated.
func TestRenderEveryKindAndLanguage(t *testing.T) {
	t.Parallel()
	langs := []string{"en", "fr", "de", "es"}
	counts := []struct{ seats, free int }{{1, 0}, {1, 1}, {25, 0}, {25, 5}, {25, 25}}
	for _, kind := range []mail.Kind{mail.KindAssigned, mail.KindReminder, mail.KindExpired} {
		for _, c := range counts {
			subjects := map[string]string{} // by subject, the language that wrote it
			for _, lang := range langs {
				m := message(kind, lang, "Europe/Paris")
				m.Seats, m.Free = c.seats, c.free
				r := render(t, m)
				name := fmt.Sprintf("%s %s %d/%d", kind, lang, c.seats, c.free)
				if r.Lang != lang {
					t.Errorf("%s: language %q", name, r.Lang)
				}
				if r.Subject == "" || strings.ContainsAny(r.Subject, "\r\n") || strings.Contains(r.Subject, "  ") {
					t.Errorf("%s: subject %q is not one clean line", name, r.Subject)
				}
				if other, ok := subjects[r.Subject]; ok {
					t.Errorf("%s: subject %q is the same as in %s", name, r.Subject, other)
				}
				subjects[r.Subject] = lang
				for _, body := range []string{r.Text, r.HTML} {
					for _, bad := range []string{"<no value>", "{{", "%!", "  ."} {
						if strings.Contains(body, bad) {
							t.Errorf("%s: body holds %q:\n%s", name, bad, body)
						}
					}
				}
				if !strings.Contains(r.Text, link) || !strings.Contains(r.HTML, strings.ReplaceAll(link, "&", "&amp;")) {
					t.Errorf("%s: a body lacks the link", name)
				}
				if !strings.Contains(r.HTML, `<html lang="`+lang+`">`) {
					t.Errorf("%s: HTML does not declare its language", name)
				}
				if !strings.Contains(r.Text, "Europe/Paris") || !strings.Contains(r.Text, fmt.Sprint(c.seats)) {
					t.Errorf("%s: text lacks the zone or the seats:\n%s", name, r.Text)
				}
			}
		}
	}
}

// TestRenderRefusesInvalid checks that Render applies Message.Check.
func TestRenderRefusesInvalid(t *testing.T) {
	t.Parallel()
	m := message(mail.KindAssigned, "en", "UTC")
	m.Product = "Premium\r\nBcc: eve@evil.example"
	if _, err := mail.Render(m); !errors.Is(err, mail.ErrInvalid) {
		t.Errorf("Render error %v, want ErrInvalid", err)
	}
	if err := message(mail.KindAssigned, "en", "UTC").Check(); err != nil {
		t.Errorf("Check of a valid message: %v", err)
	}
}

// TestRenderLinks renders the welcome and reset mails in every language,
// with a company and without one (vendor staff): each names the address, the
// link and when it expires, in the recipient's zone, and needs no pool.
func TestRenderLinks(t *testing.T) {
	t.Parallel()
	expires := time.Date(2027, 3, 8, 9, 0, 0, 0, time.UTC)
	const to = "https://allot.example/link/link_ABC"
	for _, kind := range []mail.Kind{mail.KindWelcome, mail.KindReset} {
		for _, company := range []string{"Acme Ltd", ""} {
			subjects := map[string]string{}
			for _, lang := range []string{"en", "fr", "de", "es"} {
				m := mail.Message{Kind: kind, To: mail.Recipient{Name: "Ana Costa", Email: "ana@acme.example", Lang: lang, Zone: "Europe/Paris"},
					Company: company, EndsAt: expires, Link: to, MessageID: "abc"}
				r := render(t, m)
				name := fmt.Sprintf("%s %s %q", kind, lang, company)
				if other, ok := subjects[r.Subject]; ok || r.Subject == "" {
					t.Errorf("%s: subject %q is empty or the same as in %s", name, r.Subject, other)
				}
				subjects[r.Subject] = lang
				for _, body := range []string{r.Text, r.HTML} {
					for _, want := range []string{to, "ana@acme.example", "(Europe/Paris)", "10:00"} {
						if !strings.Contains(body, want) {
							t.Errorf("%s: body lacks %q:\n%s", name, want, body)
						}
					}
					for _, bad := range []string{"<no value>", "{{", "%!", "  .", " ."} {
						if strings.Contains(body, bad) {
							t.Errorf("%s: body holds %q:\n%s", name, bad, body)
						}
					}
					if kind == mail.KindWelcome && company != "" && !strings.Contains(body, company) {
						t.Errorf("%s: body does not name the company:\n%s", name, body)
					}
				}
			}
		}
	}
	bad := mail.Message{Kind: mail.KindWelcome, To: mail.Recipient{Email: "ana@acme.example"}, EndsAt: expires, MessageID: "abc"}
	if err := bad.Check(); !errors.Is(err, mail.ErrInvalid) {
		t.Errorf("a welcome without its link: %v, want invalid", err)
	}
}

// TestRenderReaders checks that a mail about a company's licences speaks of
// the reader's learners to its managers and of their customer's learners
// to its partner's, in every language; a reader of no kind is refused.
func TestRenderReaders(t *testing.T) {
	t.Parallel()
	customer := map[string]string{"en": "your customer", "fr": "votre client", "de": "Ihres Kunden", "es": "su cliente"}
	for _, kind := range []mail.Kind{mail.KindAssigned, mail.KindReminder, mail.KindExpired} {
		for lang, words := range customer {
			for _, reader := range []mail.Reader{"", mail.ReaderCompany, mail.ReaderPartner} {
				m := message(kind, lang, "UTC")
				m.Free, m.Reader = m.Seats, reader
				r := render(t, m)
				if got := strings.Contains(r.Text, words); got != (reader == mail.ReaderPartner) {
					t.Errorf("%s %s to a %q reader: text speaks of %q: %v\n%s", kind, lang, reader, words, got, r.Text)
				}
			}
		}
	}
	m := message(mail.KindAssigned, "en", "UTC")
	m.Reader = "stranger"
	if _, err := mail.Render(m); !errors.Is(err, mail.ErrInvalid) {
		t.Errorf("Render of an unknown reader: %v, want ErrInvalid", err)
	}
}

// TestRenderOrdersAndSeats renders the mails about an order (to those who
// assign it, to its requester) and about a learner's seat in every language
// and for every reader they have: each is complete, on one subject line,
// translated, and says what it is about.
func TestRenderOrdersAndSeats(t *testing.T) {
	t.Parallel()
	kinds := []struct {
		kind    mail.Kind
		readers []mail.Reader
		want    []string // in the text of every language
	}{
		{mail.KindRequested, []mail.Reader{mail.ReaderPartner}, []string{"Premium", "Acme Ltd", "Bruno Díaz", "25"}},
		{mail.KindRejected, []mail.Reader{mail.ReaderCompany, mail.ReaderPartner}, []string{"Premium", "Acme Ltd", "Bruno Díaz", "25", "Over budget this year"}},
		{mail.KindCancelled, []mail.Reader{mail.ReaderCompany, mail.ReaderPartner}, []string{"Premium", "Acme Ltd", "Bruno Díaz", "25"}},
		{mail.KindSeatGiven, []mail.Reader{mail.ReaderLearner}, []string{"Premium", "Acme Ltd", "(Europe/Paris)"}},
		{mail.KindSeatRenewed, []mail.Reader{mail.ReaderLearner}, []string{"Premium", "Acme Ltd", "(Europe/Paris)"}},
		{mail.KindSeatReleased, []mail.Reader{mail.ReaderLearner}, []string{"Premium", "Acme Ltd", "(Europe/Paris)"}},
	}
	subjects := map[string]string{} // by subject, the mail that has it
	for _, k := range kinds {
		for _, reader := range k.readers {
			for _, lang := range []string{"en", "fr", "de", "es"} {
				m := message(k.kind, lang, "Europe/Paris")
				m.Reader, m.By, m.Free, m.Offset = reader, "Bruno Díaz", 0, 0
				if k.kind == mail.KindRejected {
					m.Reason = "Over budget\nthis year"
				}
				r := render(t, m)
				name := fmt.Sprintf("%s %s to a %s reader", k.kind, lang, reader)
				if r.Lang != lang {
					t.Errorf("%s: language %q", name, r.Lang)
				}
				if r.Subject == "" || strings.ContainsAny(r.Subject, "\r\n") || strings.Contains(r.Subject, "  ") {
					t.Errorf("%s: subject %q is not one clean line", name, r.Subject)
				}
				if other, ok := subjects[r.Subject]; ok && !strings.HasPrefix(other, string(k.kind)+" "+lang) {
					t.Errorf("%s: subject %q is the same as of %s", name, r.Subject, other)
				}
				subjects[r.Subject] = name
				for _, body := range []string{r.Text, r.HTML} {
					for _, bad := range []string{"<no value>", "{{", "%!", "  .", " ."} {
						if strings.Contains(body, bad) {
							t.Errorf("%s: body holds %q:\n%s", name, bad, body)
						}
					}
					if !strings.Contains(body, strings.ReplaceAll(link, "&", "&amp;")) && !strings.Contains(body, link) {
						t.Errorf("%s: a body lacks the link", name)
					}
				}
				for _, want := range k.want {
					if !strings.Contains(r.Text, want) {
						t.Errorf("%s: text lacks %q:\n%s", name, want, r.Text)
					}
				}
			}
		}
	}
	m := message(mail.KindRejected, "en", "UTC")
	m.By = "Bruno Díaz"
	if _, err := mail.Render(m); !errors.Is(err, mail.ErrInvalid) {
		t.Errorf("Render of a rejection without a reason: %v, want ErrInvalid", err)
	}
	m = message(mail.KindRequested, "en", "UTC")
	if _, err := mail.Render(m); !errors.Is(err, mail.ErrInvalid) {
		t.Errorf("Render of a request that names nobody: %v, want ErrInvalid", err)
	}
}

// TestRenderWelcomeSignOn renders the welcome of a person who signs in at
// their company's identity provider: it leads to the sign-in page, names
// the provider's owner, and offers no password to choose nor a link that
// expires.
func TestRenderWelcomeSignOn(t *testing.T) {
	t.Parallel()
	const login = "https://allot.example/login"
	for _, lang := range []string{"en", "fr", "de", "es"} {
		m := mail.Message{Kind: mail.KindWelcome, To: mail.Recipient{Email: "ana@acme.example", Lang: lang}, Company: "Acme Ltd",
			SignOn: "Acme Ltd", Link: login, MessageID: "abc"}
		r := render(t, m)
		plain := mail.Message{Kind: mail.KindWelcome, To: m.To, Company: m.Company, Link: "https://allot.example/link/link_X",
			EndsAt: time.Date(2027, 3, 8, 9, 0, 0, 0, time.UTC), MessageID: "abc"}
		choose := render(t, plain)
		for _, body := range []string{r.Text, r.HTML} {
			if !strings.Contains(body, login) || strings.Count(body, "Acme Ltd") < 2 || strings.Contains(body, "2027") {
				t.Errorf("%s: the welcome to sign on:\n%s", lang, body)
			}
		}
		if r.Text == choose.Text {
			t.Errorf("%s: the welcome to sign on reads as the one to choose a password", lang)
		}
	}
}

// TestRenderInvitation renders an invitation in each language and each way
// in: a link to choose a password (with until when it works), the sign-in
// page for a person who has a password, the identity provider's. Each
// names the programme, the product and the access window in the
// recipient's zone, and says how to accept.
func TestRenderInvitation(t *testing.T) {
	t.Parallel()
	starts, ends := time.Date(2027, 3, 29, 7, 0, 0, 0, time.UTC), time.Date(2027, 9, 29, 7, 0, 0, 0, time.UTC)
	linkEnds := time.Date(2027, 4, 5, 7, 0, 0, 0, time.UTC)
	for _, lang := range []string{"en", "fr", "de", "es"} {
		details := map[string]string{}
		for _, way := range []string{"link", "password", "sso"} {
			m := mail.Message{Kind: mail.KindInvitation, To: mail.Recipient{Email: "ana@acme.example", Lang: lang, Zone: "Europe/Berlin"},
				Reader: mail.ReaderLearner, Company: "Acme Ltd", Product: "Coaching", Programme: "Leaders", StartsAt: starts, EndsAt: ends,
				Link: "https://allot.example/login", MessageID: "abc"}
			switch way {
			case "link":
				m.Link, m.LinkEnds = "https://allot.example/link/link_X", linkEnds
			case "sso":
				m.SignOn = "Acme Ltd"
			}
			r := render(t, m)
			name := lang + " " + way
			if r.Lang != lang || !strings.Contains(r.Subject, "Leaders") || !strings.Contains(r.Subject, "Acme Ltd") {
				t.Errorf("%s: subject %q in %s", name, r.Subject, r.Lang)
			}
			for _, want := range []string{"Leaders", "Coaching", "29", "2027", "09:00", "(Europe/Berlin)", m.Link} {
				if !strings.Contains(r.Text, want) {
					t.Errorf("%s: text lacks %q:\n%s", name, want, r.Text)
				}
			}
			// The lead and the facts give the access window; a link's end
			// is one time more.
			if n, want := strings.Count(r.Text, "(Europe/Berlin)"), map[bool]int{true: 5, false: 4}[way == "link"]; n != want {
				t.Errorf("%s: %d times in the text, want %d:\n%s", name, n, want, r.Text)
			}
			for _, bad := range []string{"<no value>", "{{", "%!"} {
				if strings.Contains(r.Text, bad) || strings.Contains(r.HTML, bad) {
					t.Errorf("%s: a body holds %q", name, bad)
				}
			}
			for other, text := range details {
				if text == r.Text {
					t.Errorf("%s reads as %s", name, other)
				}
			}
			details[way] = r.Text
		}
	}
	m := mail.Message{Kind: mail.KindInvitation, To: mail.Recipient{Email: "ana@acme.example"}, Company: "Acme Ltd", Product: "Coaching",
		EndsAt: ends, Link: "https://allot.example/login", MessageID: "abc"}
	if _, err := mail.Render(m); !errors.Is(err, mail.ErrInvalid) {
		t.Errorf("Render of an invitation to no programme: %v, want ErrInvalid", err)
	}
}
