package report

import (
	"context"
	"time"

	"allot"
)

// Kind describes one report: its name in addresses, its title, what it
// shows and which filters it takes.
type Kind struct {
	Name    string
	Title   string
	About   string
	Filters []string // of "company", "partner", "product", "pool", "days", "months"
	Days    int      // the default of Filter.Days; 0 when the report takes none
	Months  int      // the default of Filter.Months; 0 when the report takes none
}

// Takes reports whether the report takes filter name.
func (k Kind) Takes(name string) bool {
	for _, f := range k.Filters {
		if f == name {
			return true
		}
	}
	return false
}

// The reports' names.
const (
	Seats       = "seats"
	Activity    = "activity"
	Expiries    = "expiries"
	Candidates  = "candidates"
	Renewals    = "renewals"
	Invitations = "invitations"
)

// Kinds are the reports, in the order they are listed.
var Kinds = []Kind{
	{Name: Seats, Title: "Seats bought, allocated and active",
		About:   "The seats of the live pools: bought, held by a learner, and held by one who logged in within the window.",
		Filters: []string{"company", "partner", "product", "pool", "days"}, Days: 30},
	{Name: Activity, Title: "Active and inactive learners",
		About:   "The learners holding a seat, by when they last logged in: within 7, 30 and 90 days, earlier, or never.",
		Filters: []string{"company", "partner", "product", "pool"}},
	{Name: Expiries, Title: "Expiries ahead",
		About:   "The pools ending in each of the coming months, with the seats bought and the seats at risk: held by a learner who loses access then.",
		Filters: []string{"company", "partner", "product", "pool", "months"}, Months: 12},
	{Name: Candidates, Title: "Candidates to reclaim",
		About:   "The learners holding a seat who never logged in, or not for the number of days chosen: whose seats could go to someone else.",
		Filters: []string{"company", "partner", "product", "pool", "days"}, Days: 90},
	{Name: Renewals, Title: "Renewals done",
		About:   "The learners given a new seat after theirs expired, month by month.",
		Filters: []string{"company", "partner", "product", "pool", "months"}, Months: 12},
	{Name: Invitations, Title: "Invitations sent, accepted and waiting",
		About:   "The programme invitations made each month: sent and accepted (the member signed in since), sent and waiting, scheduled, cancelled.",
		Filters: []string{"company", "partner", "product", "pool", "months"}, Months: 12},
}

// KindOf returns the report named name; ENOTFOUND when there is none.
func KindOf(name string) (Kind, error) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, nil
		}
	}
	return Kind{}, allot.NotFound("report")
}

// Report is a report as read: what it covers, its table and its chart.
type Report struct {
	Kind    Kind
	Filter  Filter // as applied: the defaults filled in
	Scope   string // what it covers, in words
	Summary string // its figures in a sentence
	At      time.Time
	Table   Table
	Chart   Chart
}

// Read reads the report named name with filter f, as the principal ctx
// carries. A company, partner or pool the principal may not see is
// ENOTFOUND; a filter out of bounds is EINVALID naming it.
func (s *Service) Read(ctx context.Context, name string, f Filter) (Report, error) {
	k, err := KindOf(name)
	if err != nil {
		return Report{}, err
	}
	if err := f.check(); err != nil {
		return Report{}, err
	}
	f = k.defaults(f)
	r := Report{Kind: k, Filter: f, At: s.Ledger.Clock.Now()}
	err = allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		sc, err := resolve(tx, p, f)
		if err != nil {
			return err
		}
		r.Scope = sc.words
		return s.build(tx, sc, &r)
	})
	return r, err
}

// defaults fills in the filters k takes and drops those it does not.
func (k Kind) defaults(f Filter) Filter {
	if !k.Takes("days") {
		f.Days = 0
	} else if f.Days == 0 {
		f.Days = k.Days
	}
	if !k.Takes("months") {
		f.Months = 0
	} else if f.Months == 0 {
		f.Months = k.Months
	}
	return f
}

// run is one report being read: its transaction, scope and result.
type run struct {
	tx     Tx
	sc     scope
	r      *Report
	ledger *allot.Service
}

// inactiveSince returns the instant before which a last login counts as
// inactive for days days, as the kernel's user filters count it.
func (u run) inactiveSince(days int) time.Time { return u.ledger.InactiveSince(days) }

// build reads report r of its kind over sc.
func (s *Service) build(tx Tx, sc scope, r *Report) error {
	u := run{tx: tx, sc: sc, r: r, ledger: s.Ledger}
	switch r.Kind.Name {
	case Seats:
		return u.seats()
	case Activity:
		return u.activity()
	case Expiries:
		return u.expiries()
	case Candidates:
		return u.candidates()
	case Renewals:
		return u.renewals()
	default:
		return u.invitations()
	}
}
