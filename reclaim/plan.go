package reclaim

import (
	"context"
	"time"

	"allot"
)

// What a rule does with a candidate seat now.
type Action string

// The actions.
const (
	ActNone    Action = ""        // not idle long enough yet
	ActWarn    Action = "warn"    // warn the learner now, and reclaim the seat WarnDays later
	ActWarned  Action = "warned"  // warned already: the seat goes back at ReclaimAt
	ActReclaim Action = "reclaim" // release the seat now
)

// Entry is a candidate seat with what its rule does with it now.
type Entry struct {
	Candidate
	Action    Action
	IdleSince time.Time // the idle period's start
	ReclaimAt time.Time // when the seat goes back: now for ActReclaim
}

// judge decides what rule r does with candidate c at now. Without a
// warning, a seat goes back Days days into its idle period. With one, the
// warning goes Days-WarnDays days into it, and the seat goes back when the
// warning said: Days days into the period, and never less than WarnDays
// days after the warning, so that nobody loses a seat without the warning
// the rule promises. A login starts a new idle period, which the warning
// was not of.
func judge(r Rule, c Candidate, now time.Time) Entry {
	e := Entry{Candidate: c, IdleSince: c.Since()}
	due := e.IdleSince.Add(days(r.Days))
	switch {
	case r.WarnDays == 0:
		if !due.After(now) {
			e.Action, e.ReclaimAt = ActReclaim, now
		}
	case !c.WarnedAt.IsZero() && c.ReclaimAt.After(now):
		e.Action, e.ReclaimAt = ActWarned, c.ReclaimAt
	case !c.WarnedAt.IsZero():
		e.Action, e.ReclaimAt = ActReclaim, now
	case !e.IdleSince.Add(days(r.Days - r.WarnDays)).After(now):
		e.Action, e.ReclaimAt = ActWarn, later(due, now.Add(days(r.WarnDays)))
	}
	return e
}

// idleBefore is the latest start of an idle period rule r may act on at
// now: its warning's, or its reclaim's without one.
func idleBefore(r Rule, now time.Time) time.Time {
	return now.Add(-days(r.Days - r.WarnDays))
}

// Plan is what one rule does now: the seats it reclaims, the learners it
// warns, and those warned already whose seats go back later.
type Plan struct {
	Rule    Rule
	Reclaim []Entry
	Warn    []Entry
	Warned  []Entry
}

// add puts e in the list of its action.
func (pl *Plan) add(e Entry) {
	switch e.Action {
	case ActReclaim:
		pl.Reclaim = append(pl.Reclaim, e)
	case ActWarn:
		pl.Warn = append(pl.Warn, e)
	case ActWarned:
		pl.Warned = append(pl.Warned, e)
	}
}

// previewLimit is how many candidate seats of one rule a preview reads.
const previewLimit = 10000

// plan returns what rule r does at now with up to limit candidate seats
// after seat afterID, and the last seat it read (0 when none): the one
// function the preview and the run share.
func plan(tx Tx, r Rule, now time.Time, afterID int64, limit int) (Plan, int64, error) {
	pl := Plan{Rule: r}
	cs, err := tx.Candidates(CandidateQuery{Rule: r, IdleBefore: idleBefore(r, now), Now: now, AfterID: afterID, Limit: limit})
	if err != nil {
		return pl, 0, err
	}
	var last int64
	for _, c := range cs {
		pl.add(judge(r, c, now))
		last = c.SeatID
	}
	if len(cs) < limit {
		last = 0
	}
	return pl, last, nil
}

// Preview returns what each of company companyID's rules would do now,
// switched on or not, for whoever sees the company: the learners whose
// seats it would reclaim, those it would warn, and those it warned.
func (s *Service) Preview(ctx context.Context, companyID int64) ([]Plan, error) {
	var out []Plan
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		rules, err := tx.ReclaimRules(c.ID)
		if err != nil {
			return err
		}
		now := s.Ledger.Clock.Now()
		for _, r := range rules {
			pl, _, err := plan(tx, r, now, 0, previewLimit)
			if err != nil {
				return err
			}
			out = append(out, pl)
		}
		return nil
	})
	return out, err
}

// days is n days.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// historyLimit is how many reclaimed seats History returns.
const historyLimit = 100

// History returns the seats company companyID's rules released, newest
// first, for whoever sees the company.
func (s *Service) History(ctx context.Context, companyID int64) ([]Reclaimed, error) {
	var out []Reclaimed
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.Reclaimed(c.ID, historyLimit)
		return err
	})
	return out, err
}
