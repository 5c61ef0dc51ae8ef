package web

import (
	"fmt"
	"html/template"
	"time"

	"allot/support"
)

// requestLine is a support request as a list shows it: its words for
// people, and how its clock stands.
type requestLine struct {
	support.Request
	CategoryLabel string
	StatusText    string
	PriorityText  string
	TeamText      string
	Due           string // relative: "due in 3 h", "breached 2 h ago"; "" when no clock runs
	Late          bool   // a target of it is breached, recorded or not yet
	Warned        bool   // a running target of it is past support.WarnShare, not breached
}

// statusTexts are the statuses of a request in words.
var statusTexts = map[support.Status]string{
	support.StatusNew:     "New",
	support.StatusOpen:    "Open",
	support.StatusWaiting: "Waiting on customer",
	support.StatusSolved:  "Solved",
	support.StatusClosed:  "Closed",
}

// priorityTexts are the priorities in words.
var priorityTexts = map[support.Priority]string{
	support.Low: "Low", support.Normal: "Normal", support.High: "High", support.Urgent: "Urgent",
}

// teamTexts name the teams.
var teamTexts = map[support.Team]string{support.TeamSupport: "Support", support.TeamSuccess: "Customer Success"}

// kindTexts name the kinds of target.
var kindTexts = map[support.Kind]string{
	support.KindFirstResponse: "First response",
	support.KindNextResponse:  "Next response",
	support.KindResolution:    "Resolution",
}

// line returns r as a list shows it at now; labels are the categories'
// labels by key.
func line(r support.Request, labels map[string]string, now time.Time) requestLine {
	l := requestLine{Request: r, CategoryLabel: labels[r.Category], StatusText: statusTexts[r.Status],
		PriorityText: priorityTexts[r.Priority], TeamText: teamTexts[r.Team]}
	if l.CategoryLabel == "" {
		l.CategoryLabel = r.Category // a category removed from the table since
	}
	l.Late = r.Breached || !r.DueAt.IsZero() && !now.Before(r.DueAt)
	if !r.DueAt.IsZero() {
		l.Due = dueText(r.DueAt, now)
	}
	l.Warned = !l.Late && !r.WarnAt.IsZero() && !now.Before(r.WarnAt)
	return l
}

// dueText says when due is, from now: "due in 3 h", "due in 2 days",
// "breached 2 h ago". What is due is said a little early, what is past a
// little late: a part of a unit counts as a whole one ahead, and as none
// behind, so that "due in 1 h" is never said of something due in 1 h
// 50 min, nor "breached 2 h ago" of a breach 1 h 10 min old.
func dueText(due, now time.Time) string {
	if now.Before(due) {
		return "due in " + span(due.Sub(now), true)
	}
	return "breached " + span(now.Sub(due), false) + " ago"
}

// span writes d roughly in its largest unit, "3 h", "45 min", "2 days":
// rounded up or down.
func span(d time.Duration, up bool) string {
	const day = 24 * time.Hour
	count := func(unit time.Duration) int {
		if up {
			return int((d + unit - 1) / unit)
		}
		return int(d / unit)
	}
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", max(1, count(time.Minute)))
	case d < 2*day:
		return fmt.Sprintf("%d h", count(time.Hour))
	}
	return fmt.Sprintf("%d days", count(day))
}

// targetLine is one service-level target of a request, in words.
type targetLine struct {
	support.TargetState
	Label  string
	State  string // met, paused, breached, warned or running
	Due    string // relative, while it runs
	Length string
}

// targetLines returns the targets of r in words, at now.
func targetLines(r support.Request, now time.Time) []targetLine {
	out := make([]targetLine, 0, len(r.Targets))
	for _, t := range r.Targets {
		l := targetLine{TargetState: t, Label: kindTexts[t.Kind], Length: hours(t.Length)}
		switch {
		case !t.Running():
			l.State = "met"
		case t.Paused:
			l.State = "paused"
		case t.Breached(now):
			l.State, l.Due = "breached", dueText(t.Due, now)
		case t.Warned(now):
			l.State, l.Due = "warned", dueText(t.Due, now)
		default:
			l.State, l.Due = "running", dueText(t.Due, now)
		}
		out = append(out, l)
	}
	return out
}

// hours writes a target's length in whole hours when it is, as the
// policies' form sets them.
func hours(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d h", d/time.Hour)
	}
	return d.Round(time.Minute).String()
}

// answerDue returns when the desk owes the requester its next answer: the
// due time of the running first or next response; zero when it owes none.
func answerDue(r support.Request) time.Time {
	for _, t := range r.Targets {
		if t.Running() && !t.Paused && (t.Kind == support.KindFirstResponse || t.Kind == support.KindNextResponse) {
			return t.Due
		}
	}
	return time.Time{}
}

// hitLine is an article a search of the help centre found, or one it
// suggests.
type hitLine struct {
	Slug, Title string
	Snippet     template.HTML // escaped by the help centre, each word found in a <mark>
}

// hitLines returns the hits as the help centre and the request form list
// them.
func hitLines(hits []support.Hit) []hitLine {
	out := make([]hitLine, len(hits))
	for i, h := range hits {
		out[i] = hitLine{Slug: h.Slug, Title: h.Title, Snippet: template.HTML(h.Snippet)}
	}
	return out
}

// categoryLabels returns the label of each category of the routes, by key.
func categoryLabels(rs []support.Route) map[string]string {
	out := make(map[string]string, len(rs))
	for _, r := range rs {
		out[r.Category] = r.Label
	}
	return out
}

// messageLine is a message of a conversation with its files in words.
type messageLine struct {
	support.Message
	Files []fileLine
}

// fileLine is an attachment as a conversation lists it.
type fileLine struct {
	ID         int64
	Name, Type string
	Size       string // "12 KB"
}

// messageLines returns ms as a conversation shows them; notes only when
// notes.
func messageLines(ms []support.Message, notes bool) []messageLine {
	var out []messageLine
	for _, m := range ms {
		if m.Kind == support.MessageNote && !notes {
			continue
		}
		l := messageLine{Message: m}
		for _, a := range m.Attachments {
			l.Files = append(l.Files, fileLine{ID: a.ID, Name: a.Name, Type: a.Type, Size: fmt.Sprintf("%d KB", max(1, (a.Size+1023)>>10))})
		}
		out = append(out, l)
	}
	return out
}
