package programme

import (
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // every IANA zone resolves, whatever the host has installed

	"allot"
)

// Wall is a date and a time to the minute as a clock in some zone shows it.
type Wall struct {
	Year   int
	Month  time.Month
	Day    int
	Hour   int
	Minute int
}

// Shift says what a change of the clocks does to a wall time.
type Shift int

const (
	// NoShift: the wall time happens once.
	NoShift Shift = iota
	// Gap: the clocks go forward over the wall time, so it never happens;
	// the invitation is sent at the instant they jump to.
	Gap
	// Overlap: the clocks go back over the wall time, so it happens twice;
	// the invitation is sent the first time.
	Overlap
)

// String names s: none, gap or overlap.
func (s Shift) String() string {
	switch s {
	case Gap:
		return "gap"
	case Overlap:
		return "overlap"
	}
	return "none"
}

// Resolution is the instant a wall time is sent at, and how it was found.
type Resolution struct {
	Shift Shift
	Asked Wall      // the wall time asked for
	At    time.Time // the instant to send at, in the zone asked for
}

// SendInstant returns the instant to send at for the wall time w in loc: the
// one instant whose clock in loc shows w; the first of two when the clocks
// go back over w; and when they go forward over w, the instant they jump to.
// A field that does not exist (31 April, 29 February 2027, hour 24, minute
// 60) is an EINVALID error naming "date" or "time", never carried over into
// the next day or hour as time.Date does; a nil loc is EINVALID for "zone".
func SendInstant(w Wall, loc *time.Location) (Resolution, error) {
	if err := w.check(); err != nil {
		return Resolution{}, err
	}
	if loc == nil {
		return Resolution{}, allot.Invalid("zone", "no time zone")
	}
	asked := w.naive()
	if at := occurrences(asked, loc); len(at) > 0 {
		r := Resolution{Shift: NoShift, Asked: w, At: at[0]}
		if len(at) > 1 {
			r.Shift = Overlap
		}
		return r, nil
	}
	return Resolution{Shift: Gap, Asked: w, At: jumpOver(asked, loc)}, nil
}

// check refuses a wall time whose fields do not exist, saying which.
func (w Wall) check() error {
	switch {
	case w.Year < 1 || w.Year > 9999:
		return allot.Invalid("date", "year %d is not between 1 and 9999", w.Year)
	case w.Month < time.January || w.Month > time.December:
		return allot.Invalid("date", "month %d is not between 1 and 12", int(w.Month))
	case w.Day < 1 || w.Day > daysIn(w.Year, w.Month):
		return allot.Invalid("date", "%s %d has %d days, not %d", w.Month, w.Year, daysIn(w.Year, w.Month), w.Day)
	case w.Hour < 0 || w.Hour > 23:
		return allot.Invalid("time", "hour %d is not between 0 and 23", w.Hour)
	case w.Minute < 0 || w.Minute > 59:
		return allot.Invalid("time", "minute %d is not between 0 and 59", w.Minute)
	}
	return nil
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// naive is the wall time read as if it were UTC, so that wall times of any
// zone compare and subtract as instants do.
func (w Wall) naive() time.Time {
	return time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, 0, 0, time.UTC)
}

// wallOf is the clock of loc at t, read as if it were UTC.
func wallOf(t time.Time, loc *time.Location) time.Time {
	_, offset := t.In(loc).Zone()
	return t.UTC().Add(time.Duration(offset) * time.Second)
}

// occurrences returns, earliest first, the instants whose clock in loc shows
// asked. Each is asked less one of the offsets loc has near it: offsets
// never reach a day, so those a day before and a day after the wall time are
// in effect on either side of any change of the clocks at it.
func occurrences(asked time.Time, loc *time.Location) []time.Time {
	var at []time.Time
	for _, probe := range []time.Time{asked.Add(-24 * time.Hour), asked, asked.Add(24 * time.Hour)} {
		_, offset := probe.In(loc).Zone()
		t := asked.Add(-time.Duration(offset) * time.Second).In(loc)
		if wallOf(t, loc).Equal(asked) && !slices.ContainsFunc(at, t.Equal) {
			at = append(at, t)
		}
	}
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	return at
}

// jumpOver returns the instant at which loc's clock jumps over asked, a wall
// time that never happens. It starts where the clock still shows less than
// asked (asked read with the greatest offset near it) and walks loc's
// changes of offset until the clock shows more.
func jumpOver(asked time.Time, loc *time.Location) time.Time {
	_, before := asked.Add(-24 * time.Hour).In(loc).Zone()
	_, after := asked.Add(24 * time.Hour).In(loc).Zone()
	t := asked.Add(-time.Duration(max(before, after)) * time.Second)
	for range 8 {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() {
			break
		}
		if t = end; wallOf(t, loc).After(asked) {
			break
		}
	}
	return t.In(loc)
}

// Sentence tells a manager, in English, when the invitation is sent: the
// zone, the date and the time used, and why it is not the time asked for
// when the clocks change over it.
func (r Resolution) Sentence() string {
	zone, asked := r.At.Location().String(), r.Asked.naive()
	switch r.Shift {
	case Gap:
		sent := clockText(r.At)
		if !sameDay(r.At, asked) {
			sent += " on " + r.At.Format(sentenceDate)
		}
		return fmt.Sprintf("%s does not exist on %s in %s: clocks go forward; it is sent at %s, when they do.",
			clockText(asked), asked.Format(sentenceDate), zone, sent)
	case Overlap:
		return fmt.Sprintf("%s happens twice on %s in %s: it is sent the first time.",
			clockText(r.At), r.At.Format(sentenceDate), zone)
	}
	return fmt.Sprintf("It is sent at %s on %s in %s.", clockText(r.At), r.At.Format(sentenceDate), zone)
}

const sentenceDate = "2 January 2006"

// clockText writes a time of day as 9:00 or 14:30, with the seconds only when
// they are not zero (a change of the clocks in local mean time).
func clockText(t time.Time) string {
	if t.Second() != 0 {
		return fmt.Sprintf("%d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	}
	return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute())
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// String writes w as 2027-03-28 02:30, as an invitation keeps it.
func (w Wall) String() string {
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d", w.Year, w.Month, w.Day, w.Hour, w.Minute)
}

// ParseWall reads a date ("2027-03-28") and a time ("02:30", or "" for
// midnight) as a wall time; either that is not one is EINVALID naming
// "date" or "time". Fields that do not exist, such as 31 April, are left
// for SendInstant to refuse.
func ParseWall(date, clock string) (Wall, error) {
	var w Wall
	if _, err := fmt.Sscanf(date, "%4d-%2d-%2d", &w.Year, &w.Month, &w.Day); err != nil || len(date) != 10 {
		return Wall{}, allot.Invalid("date", "%q is not a date such as 2027-03-28", date)
	}
	if clock == "" {
		return w, nil
	}
	if _, err := fmt.Sscanf(clock, "%2d:%2d", &w.Hour, &w.Minute); err != nil || len(clock) != 5 {
		return Wall{}, allot.Invalid("time", "%q is not a time such as 09:30", clock)
	}
	return w, nil
}

// wallAt is the wall time t shows, to the minute, in t's zone.
func wallAt(t time.Time) Wall {
	return Wall{t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute()}
}

// LoadZone returns the IANA time zone named, or EINVALID naming "zone".
func LoadZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, allot.Invalid("zone", "%q is not a time zone such as Europe/Paris", name)
	}
	return loc, nil
}

// loadOrUTC returns the zone named, or UTC when it is not one.
func loadOrUTC(name string) *time.Location {
	if loc, err := LoadZone(name); err == nil {
		return loc
	}
	return time.UTC
}
