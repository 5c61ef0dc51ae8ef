package support_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/us"
	"pgregory.net/rapid"

	"allot"
	"allot/support"
)

// The zones the properties draw from: Lord Howe moves its clocks by half
// an hour, Tokyo and UTC never.
var zones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo"}

// clockChanges are the dates in 2027 on which zones change their clocks;
// the properties gather instants around them, and around holidays.
var clockChanges = map[string][]string{
	"Europe/Berlin":       {"2027-03-28", "2027-10-31"},
	"America/New_York":    {"2027-03-14", "2027-11-07"},
	"Australia/Lord_Howe": {"2027-04-04", "2027-10-03"},
	"UTC":                 {"2027-03-28"},
	"Asia/Tokyo":          {"2027-03-28"},
}
var holidayDates = []string{"2027-01-01", "2027-03-26", "2027-05-31", "2027-07-05", "2027-12-24", "2027-12-27"}

// changeMinutes are times of day at which clocks change in zones: opening
// or closing then makes a wall-clock time that is skipped or repeated.
var changeMinutes = []int{60, 90, 120, 150, 180}

// countryHolidays are the oracle's holidays for the countries drawn.
var countryHolidays = map[string][]*cal.Holiday{
	"": nil, "de": de.Holidays, "us": us.Holidays, "gb": gb.Holidays,
	"au": {au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday, au.AnzacDay, au.ChristmasDay, au.BoxingDay},
}

var allDays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}

// fataler is what *testing.T and *rapid.T both have.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

func mustZone(t fataler, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// genCalendar draws a business-hours calendar in zone that Check accepts,
// with extra closed dates drawn around near. It opens or closes when the
// clocks change now and then.
func genCalendar(t *rapid.T, zone string, near time.Time) support.Calendar {
	anyMinute := rapid.IntRange(0, 24*60-1)
	c := support.Calendar{
		Zone:    zone,
		Days:    rapid.SliceOfNDistinct(rapid.SampledFrom(allDays), 0, 7, rapid.ID).Draw(t, "days"),
		Open:    rapid.OneOf(anyMinute, anyMinute, anyMinute, rapid.SampledFrom(changeMinutes), rapid.Just(540)).Draw(t, "open"),
		Country: rapid.SampledFrom([]string{"", "de", "us", "gb", "au"}).Draw(t, "country"),
	}
	// Draws lean to small numbers, and rickar/cal is wrong on days that
	// open and close within an hour; most days are longer.
	closes := []*rapid.Generator[int]{rapid.IntRange(c.Open+1, 24*60), rapid.Just(24 * 60)}
	if c.Open+60 <= 24*60 {
		longer := rapid.IntRange(c.Open+60, 24*60)
		closes = append(closes, longer, longer)
	}
	if later := slices.DeleteFunc(slices.Clone(changeMinutes), func(m int) bool { return m <= c.Open }); len(later) > 0 {
		closes = append(closes, rapid.SampledFrom(later))
	}
	c.Close = rapid.OneOf(closes...).Draw(t, "close")
	for _, n := range rapid.SliceOfN(rapid.IntRange(-2, 30), 0, 3).Draw(t, "holidays") {
		c.Holidays = append(c.Holidays, near.AddDate(0, 0, n).Format("2006-01-02"))
	}
	if err := c.Check(); err != nil {
		t.Fatalf("drew a calendar Check refuses: %v", err)
	}
	return c
}

// genInstant draws an instant in 2026 to 2028 at a whole second, often
// within three days of a day on which zone changes its clocks, or of a
// holiday.
func genInstant(t *rapid.T, zone string) time.Time {
	loc := mustZone(t, zone)
	around := func(dates []string) *rapid.Generator[time.Time] {
		return rapid.Custom(func(t *rapid.T) time.Time {
			d, _ := time.ParseInLocation("2006-01-02", rapid.SampledFrom(dates).Draw(t, "date"), loc)
			return d.Add(time.Duration(rapid.Int64Range(-3*86400, 3*86400).Draw(t, "seconds")) * time.Second)
		})
	}
	anywhere := rapid.Custom(func(t *rapid.T) time.Time {
		s := rapid.Int64Range(0, 3*366*86400).Draw(t, "seconds")
		return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(s) * time.Second)
	})
	changes := around(clockChanges[zone])
	return rapid.OneOf(anywhere, changes, changes, around(holidayDates)).Draw(t, "instant")
}

// genDuration draws a duration from a minute to four weeks, often whole
// minutes, and at most fifteen of c's working days: short days are drawn
// too, and a few weeks of them would take the minute walk decades.
func genDuration(t *rapid.T, c support.Calendar, label string) time.Duration {
	most := 4 * 7 * 24 * 60
	if !c.AllHours {
		most = min(most, 15*(c.Close-c.Open))
	}
	m := rapid.OneOf(rapid.IntRange(1, min(600, most)), rapid.IntRange(1, most)).Draw(t, label+" minutes")
	s := rapid.OneOf(rapid.Just(0), rapid.IntRange(0, 59)).Draw(t, label+" seconds")
	return time.Duration(m)*time.Minute + time.Duration(s)*time.Second
}

// oracle returns c as rickar/cal's business calendar and c's location.
func oracle(t fataler, c support.Calendar) (*cal.BusinessCalendar, *time.Location) {
	b := cal.NewBusinessCalendar()
	days := c.Days
	if len(days) == 0 {
		days = allDays[1:6]
	}
	for _, d := range allDays {
		b.SetWorkday(d, slices.Contains(days, d))
	}
	b.SetWorkHours(time.Duration(c.Open)*time.Minute, time.Duration(c.Close)*time.Minute)
	// The closed dates go first: IsHoliday answers for the first holiday
	// whose date matches, and a public holiday moved off a Sunday (actual
	// but not observed) would otherwise hide a closed date on that Sunday.
	for _, h := range c.Holidays {
		d, err := time.Parse("2006-01-02", h)
		if err != nil {
			t.Fatal(err)
		}
		b.AddHoliday(&cal.Holiday{Month: d.Month(), Day: d.Day(), Func: cal.CalcDayOfMonth,
			StartYear: d.Year(), EndYear: d.Year()})
	}
	b.AddHoliday(countryHolidays[c.Country]...)
	zone := c.Zone
	if zone == "" {
		zone = "UTC"
	}
	return b, mustZone(t, zone)
}

// The oracle, rickar/cal's BusinessCalendar, shares the calendar's
// conventions: hours are local wall-clock times made instants with
// time.Date, so a DST change day keeps its wall-clock hours and 00:00–24:00
// lasts 23 or 25 hours; ranges are end-exclusive; a holiday is closed on
// the day it is observed; AddWorkHours returns the closing instant when the
// time runs out exactly then. Its arithmetic is wrong in three cases:
//   - IsWorkTime, which decides whether the start of a range is inside
//     working hours, compares wall clocks. On a day whose opening or closing
//     time a clock change skips or repeats, time.Date puts that time up to
//     an hour away from where the wall clock first reads it, and the two
//     disagree about the instants between;
//   - on such a day whose hours time.Date makes empty, it loops forever;
//   - IsWorkTime takes the minutes before opening and after closing for
//     working time when a day opens and closes within the same hour.
// Cases reaching such a day, or on such a calendar, are compared with a
// walk over the range a minute at a time instead, on the calendar's
// convention and with the oracle's working days.

// TestCalendarAgreesWithOracle checks Add and Working against rickar/cal
// over random calendars, instants and durations.
func TestCalendarAgreesWithOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom(zones).Draw(t, "zone")
		from := genInstant(t, zone)
		c := genCalendar(t, zone, from)
		b, loc := oracle(t, c)
		d := genDuration(t, c, "d")
		to := from.Add(genDuration(t, c, "span") - 24*time.Hour)

		got, want := c.Add(from, d), time.Time{}
		if oracleWrong(c, b, loc, from, got) {
			want = walkAdd(c, b, loc, from, d)
		} else {
			want = b.AddWorkHours(from.In(loc), d)
		}
		if !got.Equal(want) {
			t.Fatalf("%s: Add(%s, %s) = %s, want %s", c, from.In(loc), d, got.In(loc), want.In(loc))
		}

		worked, wantWorked := c.Working(from, to), time.Duration(0)
		switch {
		case oracleWrong(c, b, loc, from, to):
			wantWorked = walkWorking(c, b, loc, from, to)
		case to.After(from):
			wantWorked = b.WorkHoursInRange(from.In(loc), to.In(loc))
		}
		if worked != wantWorked {
			t.Fatalf("%s: Working(%s, %s) = %s, want %s", c, from.In(loc), to.In(loc), worked, wantWorked)
		}
	})
}

// oracleWrong reports whether the oracle goes wrong on c between the
// instants ts: when c opens and closes within the same hour, whose minutes
// before opening and after closing IsWorkTime takes for working time (it
// takes 24:00 for 23:59:59), or when skipsOrRepeats.
func oracleWrong(c support.Calendar, b *cal.BusinessCalendar, loc *time.Location, ts ...time.Time) bool {
	closing := c.Close / 60
	if c.Close == 24*60 {
		closing = 23
	}
	return c.Open/60 == closing || skipsOrRepeats(c, b, loc, ts...)
}

// skipsOrRepeats reports whether a working day from the day before the
// earliest of ts to the day after the latest, or to 200 days after the
// earliest, opens or closes at a wall-clock time that loc skips or
// repeats. The oracle must not see such a day: one whose hours time.Date
// makes empty sends it into an endless loop. Fifteen working days, the
// most genDuration draws, end within 200 days on any calendar drawn.
func skipsOrRepeats(c support.Calendar, b *cal.BusinessCalendar, loc *time.Location, ts ...time.Time) bool {
	first, last := slices.MinFunc(ts, time.Time.Compare), slices.MaxFunc(ts, time.Time.Compare)
	if far := first.AddDate(0, 0, 200); far.After(last) {
		last = far
	}
	y, m, d := first.In(loc).Date()
	for day := time.Date(y, m, d-1, 12, 0, 0, 0, loc); day.Before(last.AddDate(0, 0, 2)); day = day.AddDate(0, 0, 1) {
		if b.IsWorkday(day) && (irregular(loc, day, c.Open) || irregular(loc, day, c.Close)) {
			return true
		}
	}
	return false
}

// irregular reports whether the wall-clock time minutes after day's
// midnight is skipped or repeated in loc.
func irregular(loc *time.Location, day time.Time, minutes int) bool {
	y, m, d := day.Date()
	at := time.Date(y, m, d, 0, minutes, 0, 0, loc)
	if wall(at) != time.Date(y, m, d, 0, minutes, 0, 0, time.UTC) {
		return true
	}
	for _, shift := range []time.Duration{-time.Hour, -time.Hour / 2, time.Hour / 2, time.Hour} {
		if wall(at.Add(shift)) == wall(at) {
			return true
		}
	}
	return false
}

// wall returns t's wall clock in its location, as if in UTC.
func wall(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

// works reports whether instant t is working time: its local day is a
// working day of the oracle, and t is within that day's hours.
func works(c support.Calendar, b *cal.BusinessCalendar, loc *time.Location, t time.Time) bool {
	l := t.In(loc)
	if !b.IsWorkday(l) {
		return false
	}
	y, m, d := l.Date()
	open, close := time.Date(y, m, d, 0, c.Open, 0, 0, loc), time.Date(y, m, d, 0, c.Close, 0, 0, loc)
	return !t.Before(open) && t.Before(close)
}

// walk calls fn with each piece of [from, …) up to the next whole minute,
// whether it works, until fn returns false. Hours begin and end on whole
// minutes in every zone drawn, so no piece is partly working.
func walk(c support.Calendar, b *cal.BusinessCalendar, loc *time.Location, from time.Time, fn func(start, end time.Time, working bool) bool) {
	for t := from; ; {
		next := t.Truncate(time.Minute).Add(time.Minute)
		if !fn(t, next, works(c, b, loc, t)) {
			return
		}
		t = next
	}
}

func walkWorking(c support.Calendar, b *cal.BusinessCalendar, loc *time.Location, from, to time.Time) time.Duration {
	var sum time.Duration
	if !to.After(from) {
		return 0
	}
	walk(c, b, loc, from, func(start, end time.Time, working bool) bool {
		if working {
			if to.Before(end) {
				end = to
			}
			sum += end.Sub(start)
		}
		return end.Before(to)
	})
	return sum
}

func walkAdd(c support.Calendar, b *cal.BusinessCalendar, loc *time.Location, from time.Time, d time.Duration) time.Time {
	var at time.Time
	walk(c, b, loc, from, func(start, end time.Time, working bool) bool {
		if working && d <= end.Sub(start) {
			at = start.Add(d)
			return false
		}
		if working {
			d -= end.Sub(start)
		}
		return true
	})
	return at
}

// genAnyCalendar draws a calendar in zone of business hours, or of every
// hour.
func genAnyCalendar(t *rapid.T, zone string, near time.Time) support.Calendar {
	if rapid.IntRange(0, 4).Draw(t, "every hour") == 0 {
		return support.Calendar{AllHours: true, Zone: zone}
	}
	return genCalendar(t, zone, near)
}

// TestCalendarRoundTrip checks that Working undoes Add, and that Add of
// the working time up to an instant reaches the end of that working time.
func TestCalendarRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom(zones).Draw(t, "zone")
		from := genInstant(t, zone)
		c := genAnyCalendar(t, zone, from)
		d := genDuration(t, c, "d")
		if got := c.Working(from, c.Add(from, d)); got != d {
			t.Fatalf("%s: Working(from, Add(from, %s)) = %s", c, d, got)
		}
		to := from.Add(genDuration(t, c, "span"))
		w := c.Working(from, to)
		at := c.Add(from, w)
		if at.After(to) || c.Working(from, at) != w || c.Working(at, to) != 0 {
			t.Fatalf("%s: Add(from, %s) = %s: not the end of the working time up to %s", c, w, at, to)
		}
		if w > 0 && c.Working(from, at.Add(-time.Second)) == w {
			t.Fatalf("%s: Add(from, %s) = %s: the working time was there a second earlier", c, w, at)
		}
	})
}

func TestCalendarAdd(t *testing.T) {
	berlin, newYork, lordHowe := mustZone(t, "Europe/Berlin"), mustZone(t, "America/New_York"), mustZone(t, "Australia/Lord_Howe")
	office := support.Calendar{Zone: "Europe/Berlin", Open: 9 * 60, Close: 17 * 60}
	at := func(loc *time.Location, s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	withHolidays := office
	withHolidays.Holidays = []string{"2027-12-24"}
	us := support.Calendar{Zone: "America/New_York", Open: 9 * 60, Close: 17 * 60, Country: "us"}
	everyDay := support.Calendar{Zone: "Europe/Berlin", Days: allDays, Open: 0, Close: 24 * 60}
	for _, tc := range []struct {
		name string
		cal  support.Calendar
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"over the weekend", office, at(berlin, "2027-03-05 16:00"), 2 * time.Hour, at(berlin, "2027-03-08 10:00")},
		{"before opening", office, at(berlin, "2027-03-08 07:00"), 2 * time.Hour, at(berlin, "2027-03-08 11:00")},
		{"ends at closing", office, at(berlin, "2027-03-08 16:00"), time.Hour, at(berlin, "2027-03-08 17:00")},
		{"a closed date", withHolidays, at(berlin, "2027-12-23 16:00"), 2 * time.Hour, at(berlin, "2027-12-27 10:00")},
		{"a public holiday observed on Monday", us, at(newYork, "2027-07-02 16:00"), 2 * time.Hour, at(newYork, "2027-07-06 10:00")},
		{"across the clocks going forward", office, at(berlin, "2027-03-26 16:00"), 2 * time.Hour, at(berlin, "2027-03-29 10:00")},
		{"a whole day going forward", everyDay, at(berlin, "2027-03-28 00:00"), 23 * time.Hour, at(berlin, "2027-03-29 00:00")},
		{"a whole day going back", everyDay, at(berlin, "2027-10-31 00:00"), 25 * time.Hour, at(berlin, "2027-11-01 00:00")},
		{"every hour is real time", support.Calendar{AllHours: true, Zone: "Europe/Berlin"},
			at(berlin, "2027-03-27 12:00"), 24 * time.Hour, at(berlin, "2027-03-28 13:00")},
		{"half an hour forward", support.Calendar{Zone: "Australia/Lord_Howe", Days: allDays, Close: 24 * 60},
			at(lordHowe, "2027-10-03 00:00"), 23*time.Hour + 30*time.Minute, at(lordHowe, "2027-10-04 00:00")},
		{"nothing to add", office, at(berlin, "2027-03-06 12:00"), 0, at(berlin, "2027-03-06 12:00")},
		{"less than nothing", office, at(berlin, "2027-03-06 12:00"), -time.Hour, at(berlin, "2027-03-06 12:00")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cal.Add(tc.from, tc.d); !got.Equal(tc.want) {
				t.Errorf("Add(%s, %s) = %s, want %s", tc.from, tc.d, got, tc.want)
			}
		})
	}
}

func TestCalendarWorking(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, berlin) }
	office := support.Calendar{Zone: "Europe/Berlin", Days: allDays, Open: 9 * 60, Close: 17 * 60}
	everyDay := support.Calendar{Zone: "Europe/Berlin", Days: allDays, Open: 0, Close: 24 * 60}
	for _, tc := range []struct {
		name     string
		cal      support.Calendar
		from, to time.Time
		want     time.Duration
	}{
		{"office hours going forward", office, day(2027, 3, 28), day(2027, 3, 29), 8 * time.Hour},
		{"office hours going back", office, day(2027, 10, 31), day(2027, 11, 1), 8 * time.Hour},
		{"all day going forward", everyDay, day(2027, 3, 28), day(2027, 3, 29), 23 * time.Hour},
		{"all day going back", everyDay, day(2027, 10, 31), day(2027, 11, 1), 25 * time.Hour},
		{"a working week", support.Calendar{Zone: "Europe/Berlin", Open: 9 * 60, Close: 17 * 60},
			day(2027, 3, 1), day(2027, 3, 8), 40 * time.Hour},
		{"every hour across the change", support.Calendar{AllHours: true, Zone: "Europe/Berlin"},
			day(2027, 3, 28), day(2027, 3, 29), 23 * time.Hour},
		{"backwards", office, day(2027, 3, 29), day(2027, 3, 28), 0},
		{"empty", office, day(2027, 3, 29), day(2027, 3, 29), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cal.Working(tc.from, tc.to); got != tc.want {
				t.Errorf("Working(%s, %s) = %s, want %s", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

// TestCalendarWithoutWorkingTimeEnds checks that Add gives up on a
// calendar that never works, which Check refuses, instead of looping.
func TestCalendarWithoutWorkingTimeEnds(t *testing.T) {
	from := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	never := support.Calendar{Open: 9 * 60, Close: 9 * 60}
	if never.Check() == nil {
		t.Fatal("Check accepts a day that closes as it opens")
	}
	if got, want := never.Add(from, time.Hour), from.AddDate(100, 0, 0); !got.Equal(want) {
		t.Errorf("Add = %s, want a hundred years on, %s", got, want)
	}
}

// TestCalendarShortDaysReachLongTargets checks that Add does not give up
// on a calendar that works ten minutes a day, holidays and closed dates
// aside, when the longest target takes it decades.
func TestCalendarShortDaysReachLongTargets(t *testing.T) {
	from := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	short := support.Calendar{Zone: "Europe/Berlin", Open: 9 * 60, Close: 9*60 + 10, Country: "de",
		Holidays: []string{"2027-03-02", "2027-03-03", "2027-03-04"}}
	d := 90 * 24 * time.Hour
	due := short.Add(from, d)
	if due.Year() < 2027+90*24*6/366 {
		t.Fatalf("Add = %s, sooner than ten minutes a day allows", due)
	}
	if got := short.Working(from, due); got != d {
		t.Errorf("Working(from, Add(from, %s)) = %s", d, got)
	}
}

func TestCalendarCheck(t *testing.T) {
	ok := support.Calendar{Zone: "Europe/Berlin", Days: []time.Weekday{time.Monday}, Open: 540, Close: 1020,
		Country: "de", Holidays: []string{"2027-12-24"}}
	for _, tc := range []struct {
		name   string
		change func(c *support.Calendar)
		field  string // "" when valid
		says   string
	}{
		{"valid", func(c *support.Calendar) {}, "", ""},
		{"every hour in UTC", func(c *support.Calendar) { *c = support.Calendar{AllHours: true} }, "", ""},
		{"all day", func(c *support.Calendar) { c.Open, c.Close = 0, 1440 }, "", ""},
		{"unknown zone", func(c *support.Calendar) { c.Zone = "Mars/Olympus" }, "calendar.zone", "Mars/Olympus"},
		{"the host's zone", func(c *support.Calendar) { c.Zone = "Local" }, "calendar.zone", "Local"},
		{"unknown zone every hour", func(c *support.Calendar) { c.Zone, c.AllHours = "Nowhere", true }, "calendar.zone", ""},
		{"no such day", func(c *support.Calendar) { c.Days = []time.Weekday{7} }, "calendar.days", "7"},
		{"opens before midnight", func(c *support.Calendar) { c.Open = -1 }, "calendar.open", ""},
		{"opens at midnight after", func(c *support.Calendar) { c.Open, c.Close = 1440, 1440 }, "calendar.open", ""},
		{"closes as it opens", func(c *support.Calendar) { c.Close = 540 }, "calendar.close", "09:00"},
		{"closes after midnight", func(c *support.Calendar) { c.Close = 1441 }, "calendar.close", ""},
		{"unknown country", func(c *support.Calendar) { c.Country = "xx" }, "calendar.country", `"xx"`},
		{"a date out of range", func(c *support.Calendar) { c.Holidays = []string{"2027-01-02", "2027-13-01"} },
			"calendar.holidays", "2027-13-01"},
		{"a date in another form", func(c *support.Calendar) { c.Holidays = []string{"24.12.2027"} },
			"calendar.holidays", "24.12.2027"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			checkField(t, c.Check(), tc.field, tc.says)
		})
	}
}

// checkField checks that err is nil when field is "", and otherwise an
// EINVALID error naming field whose message says says.
func checkField(t *testing.T, err error, field, says string) {
	t.Helper()
	e, _ := err.(*allot.Error)
	switch {
	case field == "" && err != nil:
		t.Errorf("Check = %v, want nil", err)
	case field == "":
	case e == nil || e.Code != allot.EINVALID || e.Field != field:
		t.Errorf("Check = %v, want invalid %s", err, field)
	case !strings.Contains(e.Message, says):
		t.Errorf("Check says %q, want it to say %q", e.Message, says)
	}
}

func TestCalendarString(t *testing.T) {
	for _, tc := range []struct {
		cal  support.Calendar
		want string
	}{
		{support.Calendar{AllHours: true, Zone: "Europe/Berlin"}, "every hour"},
		{support.Calendar{Zone: "Europe/Berlin", Open: 540, Close: 1020, Country: "de", Holidays: []string{"2027-12-24", "2027-12-31"}},
			"Mon–Fri 09:00–17:00 Europe/Berlin, public holidays of de and 2 more days"},
		{support.Calendar{Days: []time.Weekday{time.Sunday, time.Monday, time.Wednesday, time.Thursday}, Open: 0, Close: 1440,
			Holidays: []string{"2027-12-24"}}, "Mon, Wed, Thu, Sun 00:00–24:00 UTC, closed on 1 further day"},
		{support.Calendar{Zone: "Asia/Tokyo", Days: allDays, Open: 510, Close: 1230, Country: "us"},
			"Mon–Sun 08:30–20:30 Asia/Tokyo, public holidays of us"},
	} {
		if got := tc.cal.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// BenchmarkCalendarAdd adds three weeks of office hours, over a public
// holiday or two, on a calendar of business hours.
func BenchmarkCalendarAdd(b *testing.B) {
	c := support.Calendar{Zone: "Europe/Berlin", Open: 9 * 60, Close: 17 * 60, Country: "de", Holidays: []string{"2027-12-24"}}
	from := time.Date(2027, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		c.Add(from.Add(time.Duration(i%1000)*time.Hour), 120*time.Hour)
	}
}
