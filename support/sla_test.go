package support_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"allot/support"
)

// TestTargetPausedTimeDoesNotCount checks that, over any sequence of pauses
// and resumes, the working time from the start to Due less the working time
// spent paused is the target's length, as long as it never ran past Due;
// and the same of WarnAt and WarnShare of the length. A target paused past
// either instant reads as breached, or warned, again once it resumes.
func TestTargetPausedTimeDoesNotCount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom(zones).Draw(t, "zone")
		start := genInstant(t, zone)
		c := genAnyCalendar(t, zone, start)
		d := genDuration(t, c, "d")
		tg := support.Start(c, start, d)
		var pausedAt time.Time
		var paused time.Duration // working time spent paused
		pastDue, pastWarn := false, false
		at := start
		for range rapid.IntRange(0, 8).Draw(t, "steps") {
			at = at.Add(genDuration(t, c, "wait"))
			if tg.Paused {
				if again := tg.Pause(c, at); again != tg {
					t.Fatalf("pausing a paused target changed it: %+v, then %+v", tg, again)
				}
				tg = tg.Resume(c, at)
				paused += c.Working(pausedAt, at)
				checkResumed(t, tg, at, pastDue, pastWarn)
				continue
			}
			if again := tg.Resume(c, at); again != tg {
				t.Fatalf("resuming a running target changed it: %+v, then %+v", tg, again)
			}
			pastDue, pastWarn = pastDue || tg.Breached(at), pastWarn || tg.Warned(at)
			tg, pausedAt = tg.Pause(c, at), at
			checkPaused(t, tg, at, pastDue, pastWarn)
		}
		if tg.Paused {
			at = at.Add(time.Minute)
			tg, paused = tg.Resume(c, at), paused+c.Working(pausedAt, at)
		}
		if got := c.Working(start, tg.Due) - paused; !pastDue && got != d {
			t.Fatalf("%s: %s of working time to Due less %s paused, want %s", c, got+paused, paused, d)
		}
		warn := time.Duration(float64(d) * support.WarnShare)
		if got := c.Working(start, tg.WarnAt) - paused; !pastWarn && got != warn {
			t.Fatalf("%s: %s of working time to WarnAt less %s paused, want %s", c, got+paused, paused, warn)
		}
	})
}

// checkPaused checks target tg just paused at at: it holds no instants,
// reads as neither breached nor warned, and keeps nothing left of what
// had passed.
func checkPaused(t *rapid.T, tg support.Target, at time.Time, pastDue, pastWarn bool) {
	if !tg.Paused || !tg.Due.IsZero() || !tg.WarnAt.IsZero() || tg.Breached(at) || tg.Warned(at) {
		t.Fatalf("paused at %s: %+v", at, tg)
	}
	if pastDue && tg.Left != 0 || pastWarn && tg.WarnLeft != 0 {
		t.Fatalf("paused at %s, past due %t, past the warning %t: %+v", at, pastDue, pastWarn, tg)
	}
}

// checkResumed checks target tg just resumed at at: it runs, and reads as
// breached or warned at once if it was paused past either.
func checkResumed(t *rapid.T, tg support.Target, at time.Time, pastDue, pastWarn bool) {
	if tg.Paused || tg.Breached(at) != pastDue || tg.Warned(at) != pastWarn {
		t.Fatalf("resumed at %s, past due %t, past the warning %t: %+v", at, pastDue, pastWarn, tg)
	}
}

func TestTargetPauseAndResume(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	at := func(day, hour int) time.Time { return time.Date(2027, 3, day, hour, 0, 0, 0, berlin) }
	office := support.Calendar{Zone: "Europe/Berlin", Open: 9 * 60, Close: 17 * 60}

	tg := support.Start(office, at(1, 9), 8*time.Hour) // Monday
	if !tg.Due.Equal(at(1, 17)) || !tg.WarnAt.Equal(at(1, 15)) {
		t.Fatalf("Start = %+v, want due at 17:00, warned at 15:00", tg)
	}
	if tg.Warned(at(1, 14)) || !tg.Warned(at(1, 15)) || tg.Breached(at(1, 16)) || !tg.Breached(at(1, 17)) {
		t.Errorf("Start = %+v: warned or breached at the wrong hour", tg)
	}

	paused := tg.Pause(office, at(1, 11))
	if paused.Left != 6*time.Hour || paused.WarnLeft != 4*time.Hour || paused.Breached(at(9, 9)) {
		t.Errorf("paused at 11:00: %+v, want 6 h left and 4 h to the warning, never breached", paused)
	}
	resumed := paused.Resume(office, at(3, 10)) // Wednesday
	if !resumed.Due.Equal(at(3, 16)) || !resumed.WarnAt.Equal(at(3, 14)) {
		t.Errorf("resumed on Wednesday at 10:00: %+v, want due at 16:00, warned at 14:00", resumed)
	}

	late := tg.Pause(office, at(2, 10)) // Tuesday, past due
	if late.Left != 0 || late.WarnLeft != 0 {
		t.Errorf("paused past due: %+v, want nothing left", late)
	}
	back := late.Resume(office, at(3, 10))
	if !back.Due.Equal(at(3, 10)) || !back.Breached(at(3, 10)) || !back.Warned(at(3, 10)) {
		t.Errorf("resumed after a pause past due: %+v, want breached at once", back)
	}
}
