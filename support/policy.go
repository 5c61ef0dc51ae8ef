package support

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"allot"
)

// Priority is how urgent a request is.
type Priority string

// The priorities, from least to most urgent.
const (
	Low    Priority = "low"
	Normal Priority = "normal"
	High   Priority = "high"
	Urgent Priority = "urgent"
)

// Priorities lists every priority, from least to most urgent.
var Priorities = []Priority{Low, Normal, High, Urgent}

// Valid reports whether p is one of Priorities.
func (p Priority) Valid() bool { return p.Rank() < len(Priorities) }

// Rank returns p's place in the queue: urgent 0, high 1, normal 2, low 3,
// and 4 for anything else.
func (p Priority) Rank() int {
	for i, q := range Priorities {
		if p == q {
			return len(Priorities) - 1 - i
		}
	}
	return len(Priorities)
}

// Targets are the working time a request of one priority is answered and
// resolved within.
type Targets struct {
	FirstResponse time.Duration `json:"first_response"` // from the request to the team's first reply
	NextResponse  time.Duration `json:"next_response"`  // from a customer's message to the team's reply
	Resolution    time.Duration `json:"resolution"`     // from the request to its resolution, less time waiting for the customer
}

// Policy is a set of service levels: targets per priority, counted on a
// calendar.
type Policy struct {
	ID        int64
	Name      string
	Calendar  Calendar
	Targets   map[Priority]Targets
	Default   bool // the policy of every request whose company has none of its own
	UpdatedAt time.Time
}

// maxTarget is the longest target a policy may set.
const maxTarget = 90 * 24 * time.Hour

// DefaultPolicy returns the policy allot starts with: every hour counts,
// and the first response is due within 12 hours (PRODUCT.md promises it).
func DefaultPolicy() Policy {
	const day = 24 * time.Hour
	return Policy{
		Name:     "Standard",
		Calendar: Calendar{AllHours: true},
		Targets: map[Priority]Targets{
			Low:    {FirstResponse: 12 * time.Hour, NextResponse: 24 * time.Hour, Resolution: 10 * day},
			Normal: {FirstResponse: 12 * time.Hour, NextResponse: 24 * time.Hour, Resolution: 5 * day},
			High:   {FirstResponse: 12 * time.Hour, NextResponse: 12 * time.Hour, Resolution: 3 * day},
			Urgent: {FirstResponse: 12 * time.Hour, NextResponse: 4 * time.Hour, Resolution: 1 * day},
		},
		Default: true,
	}
}

// Check reports the first field of p that is wrong, as an EINVALID error.
func (p Policy) Check() error {
	if n := utf8.RuneCountInString(strings.TrimSpace(p.Name)); n < 1 || n > 100 {
		return allot.Invalid("name", "a policy's name has 1 to 100 characters, not %d", n)
	}
	if err := p.Calendar.Check(); err != nil {
		return err
	}
	for pr := range p.Targets {
		if !pr.Valid() {
			return allot.Invalid("targets."+string(pr), "%q is not a priority", pr)
		}
	}
	for _, pr := range Priorities {
		if err := p.Targets[pr].check("targets." + string(pr)); err != nil {
			return err
		}
	}
	return nil
}

// check reports the first of t's targets out of range, naming it under
// field.
func (t Targets) check(field string) error {
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"first_response", t.FirstResponse}, {"next_response", t.NextResponse}, {"resolution", t.Resolution}} {
		if f.d <= 0 || f.d > maxTarget {
			return allot.Invalid(field+"."+f.name, "a target is more than 0 and at most 90 days, not %s", spell(f.d))
		}
	}
	if t.FirstResponse > t.Resolution {
		return allot.Invalid(field+".first_response", "the first response (%s) cannot be due after the resolution (%s)",
			spell(t.FirstResponse), spell(t.Resolution))
	}
	return nil
}

// For returns the targets of priority pr; an unknown priority has the
// normal one's.
func (p Policy) For(pr Priority) Targets {
	if t, ok := p.Targets[pr]; ok {
		return t
	}
	return p.Targets[Normal]
}

// spell writes d for people: in days or hours when whole, else as Go does.
func spell(d time.Duration) string {
	switch {
	case d != 0 && d%(24*time.Hour) == 0:
		n := int(d / (24 * time.Hour))
		return fmt.Sprintf("%d %s", n, noun(n, "day"))
	case d != 0 && d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	}
	return d.String()
}
