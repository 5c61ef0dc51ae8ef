package demo

import (
	"slices"
	"time"

	"allot"
)

// loginAges are how many days ago Acme's learners last logged in, in turn;
// -1 leaves a learner's login as it was, a year ago or never.
var loginAges = []int{3, 12, 25, 45, 70, 85, -1, 5}

// reportData gives the reports something to show: Acme's learners log in
// over the last 90 days, and three of Initech's, whose 20-day trial of the
// 360° assessment expired, are renewed from a new pool.
func (l *loader) reportData(acme, initech allot.Company, by allot.User) {
	l.logins(acme)
	acting := allot.WithPrincipal(l.ctx, allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: initech.ID})
	var trial []int64
	learners := l.companyLearners(initech)
	if len(learners) < 5 {
		return
	}
	l.at(l.now.AddDate(0, 0, -50))
	l.order(by, initech, allot.NewOrder{ProductCode: "assessment-360", Quantity: 5, PORef: "BB-1004", TermDays: 20})
	for _, u := range learners[:5] {
		l.do(func() error {
			_, err := l.svc.Allocate(acting, u.ID, "assessment-360", 0)
			trial = append(trial, u.ID)
			return err
		})
	}
	l.at(l.now.AddDate(0, 0, -20))
	l.order(by, initech, allot.NewOrder{ProductCode: "assessment-360", Quantity: 10, PORef: "BB-1005", TermMonths: 12})
	l.do(func() error {
		_, err := l.svc.Renew(acting, allot.Renewal{CompanyID: initech.ID, ProductCode: "assessment-360", UserIDs: trial[:3]})
		return err
	})
	l.at(l.now)
}

// logins has company c's learners log in loginAges days ago, the oldest
// login first.
func (l *loader) logins(c allot.Company) {
	learners := l.companyLearners(c)
	ages := slices.Clone(loginAges)
	slices.Sort(ages)
	slices.Reverse(ages)
	for _, age := range slices.Compact(ages) {
		if age < 0 {
			continue
		}
		l.at(l.now.Add(-time.Duration(age) * 24 * time.Hour))
		for i, u := range learners {
			if loginAges[i%len(loginAges)] == age {
				l.do(func() error { return l.svc.RecordLogin(l.ctx, u.ID) })
			}
		}
	}
	l.at(l.now)
}

// companyLearners returns company c's learners, by ID.
func (l *loader) companyLearners(c allot.Company) []allot.User {
	var out []allot.User
	l.do(func() (err error) {
		out, err = l.svc.Users(l.ctx, allot.UserFilter{CompanyID: c.ID, Roles: []allot.Role{allot.RoleLearner}, Limit: allot.MaxLimit})
		return err
	})
	return out
}

// order requests order in for company c as by and assigns it.
func (l *loader) order(by allot.User, c allot.Company, in allot.NewOrder) {
	in.CompanyID = c.ID
	l.do(func() error {
		o, err := l.svc.RequestOrder(l.as(by), in)
		if err != nil {
			return err
		}
		_, _, err = l.svc.AssignOrder(l.as(by), o.ID)
		return err
	})
}
