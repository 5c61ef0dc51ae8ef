package support

import (
	"time"
)

// Kind is what a target measures.
type Kind string

// The kinds of target.
const (
	KindFirstResponse Kind = "first_response" // the desk's first reply
	KindNextResponse  Kind = "next_response"  // the desk's reply to the requester's latest message
	KindResolution    Kind = "resolution"     // the request solved; stops while waiting on the customer
)

// TargetState is one target of a request as stored: its clock, and when
// it was met, warned of and breached.
type TargetState struct {
	Target
	ID         int64
	RequestID  int64
	Kind       Kind
	Length     time.Duration // the working time it allows, as its priority says
	StartedAt  time.Time
	MetAt      time.Time // zero while it runs
	WarnedAt   time.Time // zero until WarnShare of it passed
	BreachedAt time.Time // zero until it passed
	Request    Request   // DueTargets fills it in
}

// Running reports whether t still counts: not met yet.
func (t TargetState) Running() bool { return t.MetAt.IsZero() }

// startTarget starts a target of kind for a request of priority pr at now.
func startTarget(pol Policy, pr Priority, kind Kind, now time.Time) TargetState {
	d := length(pol.For(pr), kind)
	return TargetState{Target: Start(pol.Calendar, now, d), Kind: kind, Length: d, StartedAt: now}
}

// length is the working time targets tg allows for kind.
func length(tg Targets, kind Kind) time.Duration {
	switch kind {
	case KindFirstResponse:
		return tg.FirstResponse
	case KindNextResponse:
		return tg.NextResponse
	}
	return tg.Resolution
}

// retarget gives running target t the length its kind has under targets
// tg, counting the working time it has run already: a request made urgent
// is due sooner, at once.
func (t TargetState) retarget(cal Calendar, tg Targets, now time.Time) TargetState {
	d := length(tg, t.Kind)
	left := t.Left
	if !t.Paused {
		left = cal.Working(now, t.Due)
	}
	used := t.Length - left
	t.Length = d
	rest, warnRest := max(0, d-used), max(0, time.Duration(float64(d)*WarnShare)-used)
	if t.Paused {
		t.Left, t.WarnLeft = rest, warnRest
		return t
	}
	t.Due, t.WarnAt = cal.Add(now, rest), cal.Add(now, warnRest)
	return t
}

// soonest returns the soonest instant at of the running targets of ts
// that are not paused: with dueOf, where a request stands in the queue;
// with warnOf, when it is first near a breach. Zero when none runs.
func soonest(ts []TargetState, at func(TargetState) time.Time) time.Time {
	var first time.Time
	for _, t := range ts {
		if t.Running() && !t.Paused && (first.IsZero() || at(t).Before(first)) {
			first = at(t)
		}
	}
	return first
}

// dueOf and warnOf are a target's due and warning instants.
func dueOf(t TargetState) time.Time  { return t.Due }
func warnOf(t TargetState) time.Time { return t.WarnAt }

// clocks is what a change does to a request's targets: those it changed,
// to be saved.
type clocks struct {
	pol   Policy
	now   time.Time
	all   []TargetState
	dirty map[int]bool // the indexes in all of the targets changed
}

// newClocks returns the clocks of request r under policy pol at now.
func newClocks(r Request, pol Policy, now time.Time) *clocks {
	return &clocks{pol: pol, now: now, all: r.Targets, dirty: map[int]bool{}}
}

// changed returns the targets changed or started, to be saved.
func (c *clocks) changed() []TargetState {
	var out []TargetState
	for i, t := range c.all {
		if c.dirty[i] {
			out = append(out, t)
		}
	}
	return out
}

// running returns the index of the running target of kind, or -1.
func (c *clocks) running(kind Kind) int {
	for i, t := range c.all {
		if t.Kind == kind && t.Running() {
			return i
		}
	}
	return -1
}

// set replaces target i with t and notes the change.
func (c *clocks) set(i int, t TargetState) {
	c.all[i] = t
	c.dirty[i] = true
}

// meet meets the running target of kind, if there is one.
func (c *clocks) meet(kind Kind) {
	if i := c.running(kind); i >= 0 {
		t := c.all[i]
		t.MetAt = c.now
		c.set(i, t)
	}
}

// pause stops the running target of kind, if there is one.
func (c *clocks) pause(kind Kind) {
	if i := c.running(kind); i >= 0 && !c.all[i].Paused {
		t := c.all[i]
		t.Target = t.Pause(c.pol.Calendar, c.now)
		c.set(i, t)
	}
}

// resume restarts the paused target of kind, if there is one.
func (c *clocks) resume(kind Kind) {
	if i := c.running(kind); i >= 0 && c.all[i].Paused {
		t := c.all[i]
		t.Target = t.Resume(c.pol.Calendar, c.now)
		c.set(i, t)
	}
}

// start starts a target of kind for a request of priority pr, unless one
// runs already.
func (c *clocks) start(kind Kind, pr Priority) {
	if c.running(kind) < 0 {
		c.all = append(c.all, startTarget(c.pol, pr, kind, c.now))
		c.dirty[len(c.all)-1] = true
	}
}

// retarget gives every running target the length priority pr gives it.
func (c *clocks) retarget(pr Priority) {
	for i, t := range c.all {
		if t.Running() {
			c.set(i, t.retarget(c.pol.Calendar, c.pol.For(pr), c.now))
		}
	}
}
