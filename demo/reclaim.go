package demo

import (
	"slices"
	"time"

	"allot"
	"allot/reclaim"
)

// idleAtStark are the places, among Stark's learners, of those who have
// not logged in since they got their seats three months ago (two of them
// never have); the others logged in two days ago.
var idleAtStark = []int{4, 9, 17, 30}

// reclaimRule gives Stark Studios a reclaim rule, set by its manager and
// still off: a seat goes back after 60 days without a login, with a
// warning 14 days before. Its preview warns the few learners of
// idleAtStark, whose seats would go back in two weeks.
func (l *loader) reclaimRule(store Store, stark allot.Company, learners []allot.User) {
	svc := &reclaim.Service{Ledger: l.svc, Store: store.Reclaim()}
	l.at(l.now.Add(-2 * 24 * time.Hour))
	for i, u := range learners {
		if i == 1 || slices.Contains(idleAtStark, i) {
			continue // the second learner left, and holds no seat
		}
		l.do(func() error { return l.svc.RecordLogin(l.ctx, u.ID) })
	}
	l.at(l.now)
	l.do(func() error {
		manager, err := l.svc.UserByEmail(l.ctx, "manager@stark.demo")
		if err != nil {
			return err
		}
		_, err = svc.SetRule(l.as(manager), stark.ID, reclaim.RuleInput{Days: 60, WarnDays: 14})
		return err
	})
}
