package programme_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/programme"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func wallAt(year int, month time.Month, day, hour, minute int) programme.Wall {
	return programme.Wall{Year: year, Month: month, Day: day, Hour: hour, Minute: minute}
}

func utcAt(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
}

// The changes of the clocks in 2027, as Go's own time zone data has them:
// Berlin goes forward at 2:00 on 28 March and back at 3:00 on 31 October;
// New York forward at 2:00 on 14 March and back at 2:00 on 7 November; Lord
// Howe, whose shift is 30 minutes, back at 2:00 on 4 April (to 1:30) and
// forward at 2:00 on 3 October (to 2:30).
var instants = []struct {
	name  string
	zone  string
	wall  programme.Wall
	shift programme.Shift
	want  time.Time
}{
	{"Berlin winter", "Europe/Berlin", wallAt(2027, time.January, 15, 9, 0), programme.NoShift, utcAt(2027, time.January, 15, 8, 0)},
	{"Berlin summer", "Europe/Berlin", wallAt(2027, time.July, 15, 9, 0), programme.NoShift, utcAt(2027, time.July, 15, 7, 0)},
	{"Berlin before the gap", "Europe/Berlin", wallAt(2027, time.March, 28, 1, 59), programme.NoShift, utcAt(2027, time.March, 28, 0, 59)},
	{"Berlin gap's first minute", "Europe/Berlin", wallAt(2027, time.March, 28, 2, 0), programme.Gap, utcAt(2027, time.March, 28, 1, 0)},
	{"Berlin in the gap", "Europe/Berlin", wallAt(2027, time.March, 28, 2, 30), programme.Gap, utcAt(2027, time.March, 28, 1, 0)},
	{"Berlin gap's last minute", "Europe/Berlin", wallAt(2027, time.March, 28, 2, 59), programme.Gap, utcAt(2027, time.March, 28, 1, 0)},
	{"Berlin after the gap", "Europe/Berlin", wallAt(2027, time.March, 28, 3, 0), programme.NoShift, utcAt(2027, time.March, 28, 1, 0)},
	{"Berlin minute after the gap", "Europe/Berlin", wallAt(2027, time.March, 28, 3, 1), programme.NoShift, utcAt(2027, time.March, 28, 1, 1)},
	{"Berlin before the overlap", "Europe/Berlin", wallAt(2027, time.October, 31, 1, 59), programme.NoShift, utcAt(2027, time.October, 30, 23, 59)},
	{"Berlin overlap's first minute", "Europe/Berlin", wallAt(2027, time.October, 31, 2, 0), programme.Overlap, utcAt(2027, time.October, 31, 0, 0)},
	{"Berlin in the overlap", "Europe/Berlin", wallAt(2027, time.October, 31, 2, 30), programme.Overlap, utcAt(2027, time.October, 31, 0, 30)},
	{"Berlin overlap's last minute", "Europe/Berlin", wallAt(2027, time.October, 31, 2, 59), programme.Overlap, utcAt(2027, time.October, 31, 0, 59)},
	{"Berlin after the overlap", "Europe/Berlin", wallAt(2027, time.October, 31, 3, 0), programme.NoShift, utcAt(2027, time.October, 31, 2, 0)},

	{"New York before the gap", "America/New_York", wallAt(2027, time.March, 14, 1, 59), programme.NoShift, utcAt(2027, time.March, 14, 6, 59)},
	{"New York gap's first minute", "America/New_York", wallAt(2027, time.March, 14, 2, 0), programme.Gap, utcAt(2027, time.March, 14, 7, 0)},
	{"New York in the gap", "America/New_York", wallAt(2027, time.March, 14, 2, 30), programme.Gap, utcAt(2027, time.March, 14, 7, 0)},
	{"New York gap's last minute", "America/New_York", wallAt(2027, time.March, 14, 2, 59), programme.Gap, utcAt(2027, time.March, 14, 7, 0)},
	{"New York after the gap", "America/New_York", wallAt(2027, time.March, 14, 3, 0), programme.NoShift, utcAt(2027, time.March, 14, 7, 0)},
	{"New York before the overlap", "America/New_York", wallAt(2027, time.November, 7, 0, 59), programme.NoShift, utcAt(2027, time.November, 7, 4, 59)},
	{"New York overlap's first minute", "America/New_York", wallAt(2027, time.November, 7, 1, 0), programme.Overlap, utcAt(2027, time.November, 7, 5, 0)},
	{"New York in the overlap", "America/New_York", wallAt(2027, time.November, 7, 1, 30), programme.Overlap, utcAt(2027, time.November, 7, 5, 30)},
	{"New York overlap's last minute", "America/New_York", wallAt(2027, time.November, 7, 1, 59), programme.Overlap, utcAt(2027, time.November, 7, 5, 59)},
	{"New York after the overlap", "America/New_York", wallAt(2027, time.November, 7, 2, 0), programme.NoShift, utcAt(2027, time.November, 7, 7, 0)},

	{"Lord Howe before the overlap", "Australia/Lord_Howe", wallAt(2027, time.April, 4, 1, 29), programme.NoShift, utcAt(2027, time.April, 3, 14, 29)},
	{"Lord Howe overlap's first minute", "Australia/Lord_Howe", wallAt(2027, time.April, 4, 1, 30), programme.Overlap, utcAt(2027, time.April, 3, 14, 30)},
	{"Lord Howe overlap's last minute", "Australia/Lord_Howe", wallAt(2027, time.April, 4, 1, 59), programme.Overlap, utcAt(2027, time.April, 3, 14, 59)},
	{"Lord Howe after the overlap", "Australia/Lord_Howe", wallAt(2027, time.April, 4, 2, 0), programme.NoShift, utcAt(2027, time.April, 3, 15, 30)},
	{"Lord Howe before the gap", "Australia/Lord_Howe", wallAt(2027, time.October, 3, 1, 59), programme.NoShift, utcAt(2027, time.October, 2, 15, 29)},
	{"Lord Howe gap's first minute", "Australia/Lord_Howe", wallAt(2027, time.October, 3, 2, 0), programme.Gap, utcAt(2027, time.October, 2, 15, 30)},
	{"Lord Howe gap's last minute", "Australia/Lord_Howe", wallAt(2027, time.October, 3, 2, 29), programme.Gap, utcAt(2027, time.October, 2, 15, 30)},
	{"Lord Howe after the gap", "Australia/Lord_Howe", wallAt(2027, time.October, 3, 2, 30), programme.NoShift, utcAt(2027, time.October, 2, 15, 30)},

	{"Tokyo on Berlin's gap", "Asia/Tokyo", wallAt(2027, time.March, 28, 2, 30), programme.NoShift, utcAt(2027, time.March, 27, 17, 30)},
	{"Tokyo on New York's overlap", "Asia/Tokyo", wallAt(2027, time.November, 7, 1, 30), programme.NoShift, utcAt(2027, time.November, 6, 16, 30)},
	{"UTC", "UTC", wallAt(2027, time.October, 31, 2, 30), programme.NoShift, utcAt(2027, time.October, 31, 2, 30)},
	{"leap day", "Europe/Berlin", wallAt(2028, time.February, 29, 23, 59), programme.NoShift, utcAt(2028, time.February, 29, 22, 59)},

	// Samoa skipped 30 December 2011 whole, going from the 29th at midnight
	// to the 31st: the invitation is sent at the first minute of the 31st.
	{"Samoa's lost day", "Pacific/Apia", wallAt(2011, time.December, 30, 12, 0), programme.Gap, utcAt(2011, time.December, 30, 10, 0)},
}

func TestSendInstant(t *testing.T) {
	t.Parallel()
	for _, c := range instants {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			loc := mustZone(t, c.zone)
			r, err := programme.SendInstant(c.wall, loc)
			if err != nil {
				t.Fatal(err)
			}
			if !r.At.Equal(c.want) || r.Shift != c.shift {
				t.Errorf("SendInstant(%v, %s) = %s, shift %d; want %s, shift %d",
					c.wall, c.zone, r.At.UTC(), r.Shift, c.want, c.shift)
			}
			if r.At.Location() != loc || r.Asked != c.wall {
				t.Errorf("resolution in %s asking %v; want in %s asking %v", r.At.Location(), r.Asked, c.zone, c.wall)
			}
		})
	}
}

// TestSendInstantEveryQuarterHour checks every quarter of an hour of 2027 in
// zones with shifts of an hour and of half an hour: a time that happens is
// sent when its clock shows it and never earlier the same, a time that does
// not is sent at the instant the clock jumps over it.
func TestSendInstantEveryQuarterHour(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := mustZone(t, name)
			shifts := map[programme.Shift]int{}
			for asked := utcAt(2027, time.January, 1, 0, 0); asked.Year() == 2027; asked = asked.Add(15 * time.Minute) {
				w := wallAt(asked.Year(), asked.Month(), asked.Day(), asked.Hour(), asked.Minute())
				r, err := programme.SendInstant(w, loc)
				if err != nil {
					t.Fatal(err)
				}
				shifts[r.Shift]++
				if problem := misplaced(r, asked, loc); problem != "" {
					t.Fatalf("%v in %s sent at %s: %s", w, name, r.At.UTC(), problem)
				}
			}
			if name == "Asia/Tokyo" && (shifts[programme.Gap] != 0 || shifts[programme.Overlap] != 0) {
				t.Errorf("Tokyo has shifts: %v", shifts)
			}
			if name != "Asia/Tokyo" && (shifts[programme.Gap] == 0 || shifts[programme.Overlap] == 0) {
				t.Errorf("%s has no gap or no overlap in 2027: %v", name, shifts)
			}
		})
	}
}

// misplaced says what is wrong with r for the wall time asked (read as UTC),
// or "" when nothing is.
func misplaced(r programme.Resolution, asked time.Time, loc *time.Location) string {
	clock := func(t time.Time) time.Time {
		y, mo, d := t.In(loc).Date()
		h, mi, s := t.In(loc).Clock()
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	// The instants whose clock could show asked lie within 15 hours of it,
	// and on a quarter of an hour: these zones' offsets are.
	var same []time.Time
	for t := asked.Add(-15 * time.Hour); !t.After(asked.Add(15 * time.Hour)); t = t.Add(15 * time.Minute) {
		if clock(t).Equal(asked) {
			same = append(same, t)
		}
	}
	switch {
	case r.Shift == programme.NoShift && (len(same) != 1 || !r.At.Equal(same[0])):
		return "not the one instant showing it"
	case r.Shift == programme.Overlap && (len(same) != 2 || !r.At.Equal(same[0])):
		return "not the first of two instants showing it"
	case r.Shift == programme.Gap && (len(same) != 0 || !clock(r.At).After(asked) || !clock(r.At.Add(-time.Second)).Before(asked)):
		return "not the instant the clock jumps over it"
	}
	return ""
}

func TestSendInstantRefusesWhatDoesNotExist(t *testing.T) {
	t.Parallel()
	berlin := mustZone(t, "Europe/Berlin")
	cases := []struct {
		name  string
		wall  programme.Wall
		field string
	}{
		{"31 April", wallAt(2027, time.April, 31, 9, 0), "date"},
		{"29 February 2027", wallAt(2027, time.February, 29, 9, 0), "date"},
		{"30 February 2028", wallAt(2028, time.February, 30, 9, 0), "date"},
		{"day 0", wallAt(2027, time.May, 0, 9, 0), "date"},
		{"32 January", wallAt(2027, time.January, 32, 9, 0), "date"},
		{"month 0", wallAt(2027, 0, 1, 9, 0), "date"},
		{"month 13", wallAt(2027, 13, 1, 9, 0), "date"},
		{"year 0", wallAt(0, time.January, 1, 9, 0), "date"},
		{"year 10000", wallAt(10000, time.January, 1, 9, 0), "date"},
		{"hour 24", wallAt(2027, time.May, 1, 24, 0), "time"},
		{"hour -1", wallAt(2027, time.May, 1, -1, 0), "time"},
		{"minute 60", wallAt(2027, time.May, 1, 9, 60), "time"},
		{"minute -1", wallAt(2027, time.May, 1, 9, -1), "time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := programme.SendInstant(c.wall, berlin)
			var e *allot.Error
			if !errors.As(err, &e) || e.Code != allot.EINVALID || e.Field != c.field {
				t.Fatalf("SendInstant(%v) = %v; want an invalid %s", c.wall, err, c.field)
			}
		})
	}
	t.Run("no zone", func(t *testing.T) {
		t.Parallel()
		_, err := programme.SendInstant(wallAt(2027, time.May, 1, 9, 0), nil)
		var e *allot.Error
		if !errors.As(err, &e) || e.Code != allot.EINVALID || e.Field != "zone" {
			t.Fatalf("SendInstant without a zone = %v; want an invalid zone", err)
		}
	})
}

// TestSentenceNamesWhatIsUsed checks that the sentence of each shift names
// the zone, the date and the time the invitation is sent at, and why.
func TestSentenceNamesWhatIsUsed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		zone string
		wall programme.Wall
		want string
	}{
		{"no shift", "Europe/Berlin", wallAt(2027, time.March, 15, 9, 0),
			"It is sent at 9:00 on 15 March 2027 in Europe/Berlin."},
		{"gap", "Europe/Berlin", wallAt(2027, time.March, 28, 2, 30),
			"2:30 does not exist on 28 March 2027 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do."},
		{"overlap", "Europe/Berlin", wallAt(2027, time.October, 31, 2, 30),
			"2:30 happens twice on 31 October 2027 in Europe/Berlin: it is sent the first time."},
		{"half-hour gap", "Australia/Lord_Howe", wallAt(2027, time.October, 3, 2, 15),
			"2:15 does not exist on 3 October 2027 in Australia/Lord_Howe: clocks go forward; it is sent at 2:30, when they do."},
		{"gap into the next day", "Pacific/Apia", wallAt(2011, time.December, 30, 12, 0),
			"12:00 does not exist on 30 December 2011 in Pacific/Apia: clocks go forward; it is sent at 0:00 on 31 December 2011, when they do."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			loc := mustZone(t, c.zone)
			r, err := programme.SendInstant(c.wall, loc)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Sentence()
			if got != c.want {
				t.Errorf("Sentence() = %q; want %q", got, c.want)
			}
			used := r.At.In(loc)
			for _, part := range []string{c.zone, used.Format("2 January 2006"), used.Format("15:04")} {
				if !strings.Contains(got, strings.TrimPrefix(part, "0")) {
					t.Errorf("Sentence() = %q; does not name %q", got, part)
				}
			}
		})
	}
}
