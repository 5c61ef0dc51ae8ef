package report_test

import (
	"testing"
	"time"

	"allot"
	"allot/programme"
	"allot/storetest"
	"allot/world"
)

const day = 24 * time.Hour

// ledger is the world with what the reports count: learners who logged in
// 2, 10, 40 and 100 days before its end or never, a released seat, pools
// ending in the coming months, learners renewed after their trial seats
// expired, and invitations sent, accepted and scheduled. Its clock stands
// at world.T0 plus 150 days.
type ledger struct {
	*world.World
	Trial   allot.Product
	Leaders programme.Programme
}

// end is when the ledger's clock stands once it is made.
var end = world.T0.Add(150 * day)

// newLedger makes the ledger on a fresh store of backend b.
func newLedger(t *testing.T, b storetest.Backend) *ledger {
	t.Helper()
	l := &ledger{World: world.New(t, b)}
	sys := l.As(l.Admin)
	l.Trial = world.Must(l.Svc.CreateProduct(sys, allot.Product{Code: "trial", Name: "Trial"}))(t)

	// Logins: each customer's learners log in at their age before the end.
	ages := []int{-1, 2, 10, 40, 100, -1, 100, 2}
	var logins []struct {
		u   allot.User
		age int
	}
	for _, c := range []world.Customer{l.Acme, l.Beta, l.Globex, l.Solo} {
		for _, age := range ages {
			u := l.NewLearner(t, c)
			if age >= 0 {
				logins = append(logins, struct {
					u   allot.User
					age int
				}{u, age})
			}
		}
	}
	for _, age := range []int{100, 40, 10, 2} {
		l.Clock.Set(end.Add(-time.Duration(age) * day))
		for _, in := range logins {
			if in.age == age {
				world.Must(0, l.Svc.RecordLogin(sys, in.u.ID))(t)
			}
		}
		if age == 100 {
			l.trials(t)
		}
	}
	l.Clock.Set(end.Add(-day))
	world.Must(l.Svc.Release(l.As(l.Beta.CM), l.Seat(l.Beta.Learner, "premium").ID, allot.ReasonLeft))(t)
	l.invitations(t)
	l.Clock.Set(end)
	// Pools ending in two and five months, some of their seats held.
	short := l.Assigned(allot.NewOrder{CompanyID: l.Solo.Company.ID, ProductCode: "coaching", Quantity: 5, TermMonths: 2})
	l.Assigned(allot.NewOrder{CompanyID: l.Globex.Company.ID, ProductCode: "trial", Quantity: 7, TermMonths: 5})
	world.Must(l.Svc.Allocate(l.As(world.Acting(l.Admin, l.Solo.Company)), l.Solo.Learner.ID, "coaching", short.ID))(t)
	return l
}

// trials gives three of Acme's learners a 30-day trial seat at the clock's
// time, and after it expired renews two of them from a second pool.
func (l *ledger) trials(t *testing.T) {
	t.Helper()
	acting := l.As(world.Acting(l.Admin, l.Acme.Company))
	l.Assigned(allot.NewOrder{CompanyID: l.Acme.Company.ID, ProductCode: "trial", Quantity: 3, TermDays: 30})
	var ids []int64
	for range 3 {
		u := l.NewLearner(t, l.Acme)
		world.Must(l.Svc.Allocate(acting, u.ID, "trial", 0))(t)
		ids = append(ids, u.ID)
	}
	now := l.Clock.Now()
	l.Clock.Set(now.Add(35 * day))
	l.Assigned(allot.NewOrder{CompanyID: l.Acme.Company.ID, ProductCode: "trial", Quantity: 5})
	world.Must(l.Svc.Renew(acting, allot.Renewal{CompanyID: l.Acme.Company.ID, ProductCode: "trial", UserIDs: ids[:2]}))(t)
	l.Clock.Set(now)
}

// invitations invites three people to a Globex programme now, one of whom
// signs in, and schedules a fourth for next month.
func (l *ledger) invitations(t *testing.T) {
	t.Helper()
	cm := l.As(l.Globex.CM)
	l.Leaders = world.Must(l.Programs.Create(cm, programme.NewProgramme{CompanyID: l.Globex.Company.ID, Name: "Leaders",
		Products: []string{"coaching"}}))(t)
	world.Must(l.Programs.Confirm(cm, programme.Invite{ProgrammeID: l.Leaders.ID, PoolID: l.Globex.Coaching.ID,
		Emails: "ana@globex.test bo@globex.test cy@globex.test"}))(t)
	later := l.Clock.Now().AddDate(0, 1, 0)
	world.Must(l.Programs.Confirm(cm, programme.Invite{ProgrammeID: l.Leaders.ID, PoolID: l.Globex.Coaching.ID,
		Emails: "di@globex.test", At: programme.Wall{Year: later.Year(), Month: later.Month(), Day: later.Day(), Hour: 9}}))(t)
	members := world.Must(l.Programs.Members(cm, l.Leaders.ID))(t)
	for _, m := range members {
		if m.Email == "ana@globex.test" {
			world.Must(0, l.Svc.RecordSignIn(cm, m.UserID))(t)
		}
	}
}

// held is a seat not released of a pool live at the ledger's end, with its
// pool and learner.
type held struct {
	company allot.Company
	pool    allot.Pool
	seat    allot.Seat
	user    allot.User
}

// ledgerPools returns the pools of the companies, read through the kernel.
func (l *ledger) ledgerPools(t *testing.T, cs ...world.Customer) []allot.Pool {
	t.Helper()
	var out []allot.Pool
	for _, c := range cs {
		out = append(out, world.Must(l.Svc.Pools(l.As(l.Admin), c.Company.ID))(t)...)
	}
	return out
}

// heldSeats returns the held seats of the companies' live pools, read
// through the kernel's own lists, seat by seat.
func (l *ledger) heldSeats(t *testing.T, cs ...world.Customer) []held {
	t.Helper()
	sys := l.As(l.Admin)
	now := l.Clock.Now()
	var out []held
	for _, c := range cs {
		pools := map[int64]allot.Pool{}
		for _, p := range l.ledgerPools(t, c) {
			pools[p.ID] = p
		}
		for _, s := range world.Must(l.Svc.Seats(sys, allot.SeatFilter{CompanyID: c.Company.ID, Limit: allot.MaxLimit}))(t) {
			p := pools[s.PoolID]
			if !s.ReleasedAt.IsZero() || !p.Live(now) {
				continue
			}
			out = append(out, held{c.Company, p, s, world.Must(l.Svc.User(sys, s.UserID))(t)})
		}
	}
	return out
}
