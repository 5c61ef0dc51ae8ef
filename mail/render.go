package mail

import (
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"sync"
	texttemplate "text/template"
)

// Rendered is a message written out in its recipient's language.
type Rendered struct {
	Lang    string // the language it is written in: en, fr, de or es
	Subject string // one line, no line break
	Text    string // the plain-text body
	HTML    string // the HTML body, saying the same as Text
}

//go:embed templates/mail.txt templates/mail.html
var layoutFiles embed.FS

// layouts are the text and HTML shapes shared by every kind and language.
type layouts struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// parseLayouts parses the embedded layouts once.
var parseLayouts = sync.OnceValues(func() (layouts, error) {
	text, err := texttemplate.New("mail.txt").Option("missingkey=error").ParseFS(layoutFiles, "templates/mail.txt")
	if err != nil {
		return layouts{}, fmt.Errorf("mail: text layout: %w", err)
	}
	html, err := htmltemplate.New("mail.html").Option("missingkey=error").Funcs(htmlFuncs).ParseFS(layoutFiles, "templates/mail.html")
	if err != nil {
		return layouts{}, fmt.Errorf("mail: HTML layout: %w", err)
	}
	return layouts{text: text, html: html}, nil
})

// view is what the wording of a message is executed with. Numbers come twice:
// written for the language (Seats) and as counts for plurals (SeatsN).
type view struct {
	Name, Email, Company, Product, Zone string
	Seats, Free, InUse                  string
	SeatsN, FreeN, InUseN               int
	Ends                                string // the end's date and time in the recipient's zone, with the zone
	When                                string // a reminder's offset: "today", "in 3 days"
	Partner                             bool   // the reader manages the company for its partner or the vendor
	Learner                             bool   // the reader is the learner a seat is about
	By, Reason                          string // who requested or decided an order; why it was rejected
	SignOn                              string // whose identity provider a person welcomed signs in at
	Programme, Starts                   string // an invitation's programme, and when its access starts
	// A support request's: its ID, subject and reference ("#12"), its
	// priority and target as the language names them, the due time, and
	// whether a reply to the mail joins the request.
	RequestID                      int64
	Request, Ref, Priority, Target string
	Due                            string
	ByMail                         bool
	Endpoint                       string // a webhook endpoint's address
}

// page is what the layouts are executed with: every sentence already
// written, so the HTML layout escapes them all.
type page struct {
	Lang, Subject, Greeting, Lead, Detail, Action, Link, Footer string
	Colon                                                       string // between a fact's label and value
	Facts                                                       []fact
	Quote                                                       string // a message the mail carries, as written
}

// fact is one line of the summary table.
type fact struct{ Label, Value string }

// Render writes m in its recipient's language (English when the language is
// not one of en, fr, de, es) with its end in the recipient's time zone (UTC
// when the zone is empty or unknown). It returns an error wrapping
// ErrInvalid when m does not pass Check.
func Render(m Message) (Rendered, error) {
	if err := m.Check(); err != nil {
		return Rendered{}, err
	}
	langs, err := compileLanguages()
	if err != nil {
		return Rendered{}, err
	}
	lay, err := parseLayouts()
	if err != nil {
		return Rendered{}, err
	}
	l := pick(langs, m.To.Lang)
	loc, zone := location(m.To.Zone)
	ends := l.at(m.EndsAt.In(loc)) + " (" + zone + ")"
	inUse := m.Seats - m.Free
	v := view{
		Name: strings.TrimSpace(m.To.Name), Email: m.To.Email, SignOn: m.SignOn, Company: strings.TrimSpace(m.Company),
		Product: strings.TrimSpace(m.Product), Zone: zone,
		Seats: l.count(m.Seats), Free: l.count(m.Free), InUse: l.count(inUse),
		SeatsN: m.Seats, FreeN: m.Free, InUseN: inUse,
		Ends: ends, Partner: m.Reader == ReaderPartner, Learner: m.Reader == ReaderLearner,
		By: strings.TrimSpace(m.By), Reason: strings.Join(strings.Fields(m.Reason), " "),
		Programme: strings.TrimSpace(m.Programme), Starts: l.at(m.StartsAt.In(loc)) + " (" + zone + ")",
		Endpoint: m.Endpoint,
	}
	if v.When, err = l.when(m.Offset); err != nil {
		return Rendered{}, err
	}
	if m.Kind.aboutSupport() {
		if err := supportView(l, &v, m, loc, zone); err != nil {
			return Rendered{}, err
		}
	}

	s := sayer{c: l, v: v}
	k := string(m.Kind)
	p := page{
		Lang:     l.code,
		Subject:  strings.Join(strings.Fields(s.say(k+".subject")), " "),
		Greeting: s.say("greeting"),
		Lead:     s.say(k + ".lead"),
		Detail:   s.say(k + ".detail"),
		Action:   s.say(k + ".action"),
		Link:     m.Link,
		Footer:   s.say("footer"),
		Colon:    l.colon,
	}
	switch {
	case m.Kind == KindWebhookDisabled:
		p.Facts = []fact{{s.say("label.endpoint"), v.Endpoint}, {s.say("label.ended"), ends}}
	case m.Kind.aboutSupport():
		s.supportPage(&p, m)
	case m.Kind == KindInvitation:
		p.Footer = s.say(k + ".footer")
		switch {
		case m.SignOn != "":
			p.Detail = s.say(k + ".sso.detail")
		case m.LinkEnds.IsZero():
			p.Detail = s.say(k + ".signin.detail")
		}
		p.Facts = []fact{{s.say("label.programme"), v.Programme}, {s.say("label.product"), v.Product},
			{s.say("label.company"), v.Company}, {s.say("label.from"), v.Starts}, {s.say("label.until"), ends}}
		if !m.LinkEnds.IsZero() {
			p.Facts = append(p.Facts, fact{s.say("label.valid"), l.at(m.LinkEnds.In(loc)) + " (" + zone + ")"})
		}
	case m.SignOn != "":
		p.Footer = s.say(k + ".footer")
		p.Lead, p.Detail, p.Action = s.say(k+".sso.lead"), s.say(k+".sso.detail"), s.say(k+".sso.action")
		p.Facts = []fact{{s.say("label.email"), v.Email}}
	case m.Kind.aboutLink():
		p.Footer = s.say(k + ".footer")
		p.Facts = []fact{{s.say("label.email"), v.Email}, {s.say("label.valid"), ends}}
	case m.Kind.aboutSeat():
		p.Facts = []fact{{s.say("label.product"), v.Product}, {s.say("label.company"), v.Company}}
	default:
		p.Facts = []fact{{s.say("label.product"), v.Product}, {s.say("label.company"), v.Company}, {s.say("label.seats"), v.Seats}}
	}
	switch m.Kind {
	case KindAssigned:
		p.Facts = append(p.Facts, fact{s.say("label.free"), v.Free}, fact{s.say("label.ends"), ends})
	case KindReminder:
		p.Facts = append(p.Facts, fact{s.say("label.inuse"), v.InUse}, fact{s.say("label.ends"), ends})
	case KindExpired:
		p.Facts = append(p.Facts, fact{s.say("label.inuse"), v.InUse}, fact{s.say("label.ended"), ends})
	case KindRequested:
		p.Facts = append(p.Facts, fact{s.say("label.by"), v.By})
	case KindSeatGiven, KindSeatRenewed:
		p.Facts = append(p.Facts, fact{s.say("label.until"), ends})
	case KindSeatReleased:
		p.Facts = append(p.Facts, fact{s.say("label.ended"), ends})
	}
	if s.err != nil {
		return Rendered{}, s.err
	}

	var text, html strings.Builder
	if err := lay.text.Execute(&text, p); err != nil {
		return Rendered{}, fmt.Errorf("mail: render %s text in %s: %w", m.Kind, l.code, err)
	}
	if err := lay.html.Execute(&html, p); err != nil {
		return Rendered{}, fmt.Errorf("mail: render %s HTML in %s: %w", m.Kind, l.code, err)
	}
	return Rendered{Lang: l.code, Subject: p.Subject, Text: text.String(), HTML: html.String()}, nil
}

// sayer executes wordings with one view and keeps the first error.
type sayer struct {
	c   *compiled
	v   view
	err error
}

// say returns the named wording, or "" once an error happened.
func (s *sayer) say(name string) string {
	if s.err != nil {
		return ""
	}
	out, err := s.c.say(name, s.v)
	if err != nil {
		s.err = err
	}
	return out
}
