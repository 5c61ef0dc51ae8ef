package support

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // every IANA zone resolves, whatever the host has installed

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/us"

	"allot"
)

// Calendar says when a service level's clock runs: every hour of every day,
// or the working hours of the working days in a time zone, less public
// holidays and closed dates.
type Calendar struct {
	Zone     string         `json:"zone"`      // IANA zone name; UTC when empty
	AllHours bool           `json:"all_hours"` // every hour of every day counts; the fields below are ignored
	Days     []time.Weekday `json:"days"`      // working days; Monday to Friday when empty
	Open     int            `json:"open"`      // minutes after local midnight the working day begins (540 = 09:00)
	Close    int            `json:"close"`     // minutes after local midnight it ends (1020 = 17:00); Open < Close <= 1440
	Country  string         `json:"country"`   // public holidays of at, au, be, ca, ch, de, es, fr, gb, ie, it, nl or us; "" none
	Holidays []string       `json:"holidays"`  // further closed dates such as "2027-12-24", in Zone
}

// dateLayout is how Holidays spells a date.
const dateLayout = "2006-01-02"

// zones caches the locations loaded by name; loading parses the zone
// database each time.
var zones sync.Map

// Check reports the first field of c that is wrong, as an EINVALID error.
func (c Calendar) Check() error {
	if _, err := loadZone(c.Zone); err != nil {
		return allot.Invalid("calendar.zone", "%q is not a time zone such as Europe/Berlin", c.Zone)
	}
	if c.AllHours {
		return nil
	}
	for _, d := range c.Days {
		if d < time.Sunday || d > time.Saturday {
			return allot.Invalid("calendar.days", "%d is not a day of the week (0 is Sunday, 6 Saturday)", d)
		}
	}
	if c.Open < 0 || c.Open >= 24*60 {
		return allot.Invalid("calendar.open", "the day must open between 00:00 and 23:59, not at minute %d", c.Open)
	}
	if c.Close <= c.Open || c.Close > 24*60 {
		return allot.Invalid("calendar.close", "the day must close after it opens at %s and by 24:00", clock(c.Open))
	}
	if _, ok := countries[c.Country]; c.Country != "" && !ok {
		return allot.Invalid("calendar.country", "no public holidays are known for %q; known are %s",
			c.Country, strings.Join(countryCodes(), ", "))
	}
	for _, h := range c.Holidays {
		if _, err := time.Parse(dateLayout, h); err != nil {
			return allot.Invalid("calendar.holidays", "%q is not a date such as 2027-12-24", h)
		}
	}
	return nil
}

// Add returns the first instant at which d of working time after from has
// passed; from itself when d <= 0. On a calendar that never works, which
// Check refuses, it gives up and returns from plus a hundred years.
func (c Calendar) Add(from time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return from
	}
	if c.AllHours {
		return from.Add(d)
	}
	for start, end := range c.spans(from) {
		start = later(start, from)
		if d <= end.Sub(start) {
			return start.Add(d)
		}
		d -= end.Sub(start)
	}
	return from.AddDate(100, 0, 0)
}

// Working returns the working time in [from, to); 0 when to <= from.
func (c Calendar) Working(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c.AllHours {
		return to.Sub(from)
	}
	var sum time.Duration
	for start, end := range c.spans(from) {
		if !start.Before(to) {
			break
		}
		sum += earlier(end, to).Sub(later(start, from))
	}
	return sum
}

// spans yields the working hours of each working day, in order, that end
// after from. A day's hours are its local opening and closing times made
// instants by time.Date, so that a day on which the clocks change keeps its
// wall-clock hours.
//
// A calendar Check accepts works on some day of every week but for its
// holidays, which close a few days in a row at most, and its closed dates.
// So after a year and a day per closed date without working hours, spans
// stops: the calendar never works.
func (c Calendar) spans(from time.Time) iter.Seq2[time.Time, time.Time] {
	return func(yield func(time.Time, time.Time) bool) {
		loc, _ := loadZone(c.Zone)
		closed := c.closedDates()
		// The day before from's too: cheap insurance for a zone whose
		// clocks change at midnight, where two dates' hours may interleave.
		day := date(from.In(loc)).AddDate(0, 0, -1)
		for idle := 0; idle <= 366+len(closed); day = day.AddDate(0, 0, 1) {
			idle++
			if !c.works(day, closed) {
				continue
			}
			y, m, d := day.Date()
			start := time.Date(y, m, d, 0, c.Open, 0, 0, loc)
			end := time.Date(y, m, d, 0, c.Close, 0, 0, loc)
			if !end.After(start) || !end.After(from) {
				continue
			}
			if !yield(start, end) {
				return
			}
			idle = 0
		}
	}
}

// works reports whether the local date day (at midnight UTC) is a working
// day: one of Days, neither a public holiday nor a closed date.
func (c Calendar) works(day time.Time, closed map[time.Time]bool) bool {
	days := c.Days
	if len(days) == 0 {
		days = weekdays
	}
	if !slices.Contains(days, day.Weekday()) || closed[day] {
		return false
	}
	if hs := countries[c.Country]; hs != nil {
		// A holiday is closed on the day it is observed, which may be a
		// Monday for one falling on a Sunday.
		_, observed, _ := hs.IsHoliday(day)
		return !observed
	}
	return true
}

// closedDates returns Holidays as dates at midnight UTC, skipping any Check
// would refuse.
func (c Calendar) closedDates() map[time.Time]bool {
	closed := make(map[time.Time]bool, len(c.Holidays))
	for _, h := range c.Holidays {
		if d, err := time.Parse(dateLayout, h); err == nil {
			closed[d] = true
		}
	}
	return closed
}

// String describes c in a few words, such as "every hour" or "Mon–Fri
// 09:00–17:00 Europe/Berlin, public holidays of de and 2 more days".
func (c Calendar) String() string {
	if c.AllHours {
		return "every hour"
	}
	zone := c.Zone
	if zone == "" {
		zone = "UTC"
	}
	s := fmt.Sprintf("%s %s–%s %s", dayNames(c.Days), clock(c.Open), clock(c.Close), zone)
	n := len(c.Holidays)
	switch {
	case c.Country != "" && n > 0:
		s += fmt.Sprintf(", public holidays of %s and %d more %s", c.Country, n, noun(n, "day"))
	case c.Country != "":
		s += ", public holidays of " + c.Country
	case n > 0:
		s += fmt.Sprintf(", closed on %d further %s", n, noun(n, "day"))
	}
	return s
}

// countries are the public holidays of each country known, by code: the
// national list of rickar/cal's package for it, and for Australia, which
// has lists by state only, the days every state keeps.
var countries = map[string]*cal.Calendar{
	"at": holidays(at.Holidays),
	"au": holidays([]*cal.Holiday{au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday,
		au.AnzacDay, au.ChristmasDay, au.BoxingDay}),
	"be": holidays(be.Holidays),
	"ca": holidays(ca.Holidays),
	"ch": holidays(ch.Holidays),
	"de": holidays(de.Holidays),
	"es": holidays(es.Holidays),
	"fr": holidays(fr.Holidays),
	"gb": holidays(gb.Holidays),
	"ie": holidays(ie.Holidays),
	"it": holidays(it.Holidays),
	"nl": holidays(nl.Holidays),
	"us": holidays(us.Holidays),
}

// holidays returns a calendar of hs. It caches what it works out, which is
// safe for concurrent use.
func holidays(hs []*cal.Holiday) *cal.Calendar {
	return &cal.Calendar{Holidays: hs, Cacheable: true}
}

// countryCodes returns the codes of countries, sorted.
func countryCodes() []string {
	return slices.Sorted(maps.Keys(countries))
}

// weekdays are the working days of a calendar that names none.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// dayNames spells days from Monday on, a run of three or more days as
// "Mon–Fri".
func dayNames(days []time.Weekday) string {
	if len(days) == 0 {
		days = weekdays
	}
	var on [7]bool // Monday first
	for _, d := range days {
		if d >= time.Sunday && d <= time.Saturday {
			on[(d+6)%7] = true
		}
	}
	var names []string
	for i := 0; i < 7; i++ {
		if !on[i] {
			continue
		}
		j := i
		for j+1 < 7 && on[j+1] {
			j++
		}
		switch {
		case j-i >= 2:
			names = append(names, short(i)+"–"+short(j))
		case j > i:
			names = append(names, short(i), short(j))
		default:
			names = append(names, short(i))
		}
		i = j
	}
	return strings.Join(names, ", ")
}

// short names the day i days after Monday.
func short(i int) string { return time.Weekday((i + 1) % 7).String()[:3] }

// clock spells minutes after midnight as a time of day, "24:00" included.
func clock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// noun returns thing, in the plural unless n is 1.
func noun(n int, thing string) string {
	if n == 1 {
		return thing
	}
	return thing + "s"
}

// loadZone returns the location named, UTC for "", from the cache when it
// was loaded before.
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "Local" {
		return time.UTC, fmt.Errorf("zone %q depends on the host", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC, fmt.Errorf("load zone: %w", err)
	}
	zones.Store(name, loc)
	return loc, nil
}

// date returns t's calendar date as midnight UTC.
func date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
