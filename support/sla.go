package support

import "time"

// WarnShare is the share of a target that has passed when its request is
// warned of.
const WarnShare = 0.75

// Target is one service-level target of a request, running on a calendar.
// While paused (a request waiting for its customer) it holds the working
// time that was left instead of instants, so that time paused never counts.
type Target struct {
	Due      time.Time // breached from this instant; zero while paused
	WarnAt   time.Time // WarnShare of it has passed; zero while paused
	Paused   bool
	Left     time.Duration // while paused: the working time that was left to Due (0 when already past)
	WarnLeft time.Duration // while paused: the working time that was left to WarnAt (0 when past)
}

// Start returns a target of d working time on cal, running from from.
func Start(cal Calendar, from time.Time, d time.Duration) Target {
	return Target{Due: cal.Add(from, d), WarnAt: cal.Add(from, warning(d))}
}

// warning returns the WarnShare of d.
func warning(d time.Duration) time.Duration {
	return time.Duration(float64(d) * WarnShare)
}

// Pause stops t's clock at at. It changes nothing when t is paused already.
// A target paused past its due instant keeps nothing left, so that it
// reads as breached again the moment it resumes.
func (t Target) Pause(cal Calendar, at time.Time) Target {
	if t.Paused {
		return t
	}
	return Target{Paused: true, Left: cal.Working(at, t.Due), WarnLeft: cal.Working(at, t.WarnAt)}
}

// Resume starts t's clock again at at with the working time it had left.
// It changes nothing when t is running.
func (t Target) Resume(cal Calendar, at time.Time) Target {
	if !t.Paused {
		return t
	}
	return Target{Due: cal.Add(at, t.Left), WarnAt: cal.Add(at, t.WarnLeft)}
}

// Breached reports whether t is running and was due by now.
func (t Target) Breached(now time.Time) bool {
	return !t.Paused && !now.Before(t.Due)
}

// Warned reports whether t is running and WarnShare of it passed by now.
func (t Target) Warned(now time.Time) bool {
	return !t.Paused && !now.Before(t.WarnAt)
}
