package mail

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"
	_ "time/tzdata" // recipients' zones resolve even where the system has no zone database
)

// language is what a mail needs to be written in one language: its wording,
// and the way it writes dates, numbers and plurals.
type language struct {
	code string
	// at writes an instant, already in the recipient's zone, as a date and a
	// time of day.
	at func(t time.Time) string
	// thousands separates groups of three digits in numbers of at least
	// groupFrom digits.
	thousands string
	groupFrom int
	// colon separates a label from its value in the plain-text summary.
	colon string
	// singular reports whether a count takes the singular form.
	singular func(n int) bool
	// words is the wording, as text/template source, by name. Every language
	// defines exactly the names in wordNames.
	words map[string]string
}

// wordNames lists the wording every language must define. The templates are
// executed with a view, except "in.days" and "in.hours" which get a span.
// A support mail names its request by "ref", and its priority and target
// by "priority.*" and "target.*", which the wording of its kind uses.
var wordNames = []string{
	"greeting", "footer", "today", "in.days", "in.hours",
	"label.product", "label.company", "label.seats", "label.free", "label.inuse", "label.ends", "label.ended",
	"assigned.subject", "assigned.lead", "assigned.detail", "assigned.action",
	"reminder.subject", "reminder.lead", "reminder.detail", "reminder.action",
	"expired.subject", "expired.lead", "expired.detail", "expired.action",
	"label.email", "label.valid",
	"welcome.subject", "welcome.lead", "welcome.detail", "welcome.action", "welcome.footer",
	"welcome.sso.lead", "welcome.sso.detail", "welcome.sso.action",
	"reset.subject", "reset.lead", "reset.detail", "reset.action", "reset.footer",
	"label.by", "label.until",
	"requested.subject", "requested.lead", "requested.detail", "requested.action",
	"rejected.subject", "rejected.lead", "rejected.detail", "rejected.action",
	"cancelled.subject", "cancelled.lead", "cancelled.detail", "cancelled.action",
	"seat_given.subject", "seat_given.lead", "seat_given.detail", "seat_given.action",
	"seat_renewed.subject", "seat_renewed.lead", "seat_renewed.detail", "seat_renewed.action",
	"seat_released.subject", "seat_released.lead", "seat_released.detail", "seat_released.action",
	"label.programme", "label.from",
	"invitation.subject", "invitation.lead", "invitation.detail", "invitation.signin.detail", "invitation.sso.detail",
	"invitation.action", "invitation.footer",
	"ref", "label.request", "label.priority", "label.answer", "label.due",
	"priority.low", "priority.normal", "priority.high", "priority.urgent",
	"target.first_response", "target.next_response", "target.resolution",
	"support.footer", "desk.footer",
	"support_received.subject", "support_received.lead", "support_received.detail", "support_received.action",
	"support_reply.subject", "support_reply.lead", "support_reply.detail", "support_reply.action",
	"support_update.subject", "support_update.lead", "support_update.detail", "support_update.action",
	"support_copied.subject", "support_copied.lead", "support_copied.detail", "support_copied.action",
	"support_escalated.subject", "support_escalated.lead", "support_escalated.detail", "support_escalated.action",
	"support_warning.subject", "support_warning.lead", "support_warning.detail", "support_warning.action",
	"support_breach.subject", "support_breach.lead", "support_breach.detail", "support_breach.action",
	"reclaim_warning.subject", "reclaim_warning.lead", "reclaim_warning.detail", "reclaim_warning.action",
	"reclaimed.subject", "reclaimed.lead", "reclaimed.detail", "reclaimed.action",
	"webhook_disabled.subject", "webhook_disabled.lead", "webhook_disabled.detail", "webhook_disabled.action", "label.endpoint",
}

// languages are the languages mails are written in; the first one is the
// fallback.
var languages = []*language{&english, &french, &german, &spanish}

// compiled is a language with its wording parsed.
type compiled struct {
	*language
	words *texttemplate.Template
}

// compileLanguages parses every language's wording once.
var compileLanguages = sync.OnceValues(func() (map[string]*compiled, error) {
	out := make(map[string]*compiled, len(languages))
	for _, l := range languages {
		c, err := compile(l)
		if err != nil {
			return nil, err
		}
		out[l.code] = c
	}
	return out, nil
})

// compile parses a language's wording and checks that it defines every name
// in wordNames and no other.
func compile(l *language) (*compiled, error) {
	if len(l.words) != len(wordNames) {
		return nil, fmt.Errorf("mail: language %s defines %d wordings, want %d", l.code, len(l.words), len(wordNames))
	}
	funcs := texttemplate.FuncMap{
		"plural": func(n int, one, other string) string {
			if l.singular(n) {
				return one
			}
			return other
		},
	}
	root := texttemplate.New(l.code).Funcs(funcs).Option("missingkey=error")
	for _, name := range wordNames {
		src, ok := l.words[name]
		if !ok {
			return nil, fmt.Errorf("mail: language %s lacks the wording %q", l.code, name)
		}
		if _, err := root.New(name).Parse(src); err != nil {
			return nil, fmt.Errorf("mail: language %s: %w", l.code, err)
		}
	}
	return &compiled{language: l, words: root}, nil
}

// pick returns the language for a tag such as "fr", "fr-CA" or "de_AT",
// English when there is none for it.
func pick(langs map[string]*compiled, tag string) *compiled {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	if l, ok := langs[base]; ok {
		return l
	}
	return langs[languages[0].code]
}

// location returns the recipient's time zone and the name to show for it:
// UTC when the zone is empty or unknown.
func location(zone string) (*time.Location, string) {
	if zone == "" || zone == "Local" {
		return time.UTC, "UTC"
	}
	if loc, ok := zones.Load(zone); ok {
		return loc.(*time.Location), zone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return time.UTC, "UTC"
	}
	zones.Store(zone, loc)
	return loc, zone
}

// zones caches the zones already loaded, by name: loading one reads and
// parses the zone database. Only valid names are kept, so it stays as small
// as the database.
var zones sync.Map

// count writes n with the language's digit groups.
func (l *language) count(n int) string {
	s := strconv.Itoa(n)
	if l.thousands == "" || n < 0 || len(s) < l.groupFrom {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(l.thousands)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// span is how long before the end a reminder is sent, in whole days when it
// divides into days, in hours (rounded up) otherwise.
type span struct {
	N     int
	Count string
}

// when writes a reminder's offset: "today" for 0, "in 3 days" for 72 hours,
// "in 36 hours" for 36 hours.
func (c *compiled) when(offset time.Duration) (string, error) {
	const day = 24 * time.Hour
	switch {
	case offset <= 0:
		return c.say("today", nil)
	case offset%day == 0:
		n := int(offset / day)
		return c.say("in.days", span{N: n, Count: c.count(n)})
	default:
		n := int((offset + time.Hour - 1) / time.Hour)
		return c.say("in.hours", span{N: n, Count: c.count(n)})
	}
}

// say executes one wording.
func (c *compiled) say(name string, data any) (string, error) {
	var b strings.Builder
	if err := c.words.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("mail: language %s, wording %s: %w", c.code, name, err)
	}
	return strings.TrimSpace(b.String()), nil
}
