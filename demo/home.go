package demo

import (
	"time"

	"allot"
)

// home gives every part of the home pages and the renewal pipeline
// something to show, beside what the story already has (Acme's pool ending
// within 72 hours, Initech's full pool and waiting learners, Globex's
// expired learners, the orders waiting): Initech's circles pool ends in 5
// days, eight of its ten seats used and five renewed by an order Bluebird
// has yet to assign; Acme uses 3 of 25 AI coach seats, Stark none of its
// 20 circles seats, and Stark's order of ten more seats waits for the
// vendor.
func (l *loader) home(acme, initech, stark allot.Company, northPM, bluePM, am allot.User) {
	day := 24 * time.Hour
	l.at(l.now.Add(-25 * day))
	circles := l.pool(bluePM, initech, "circles", 10, 30, "BB-3001")
	l.at(l.now.Add(-20 * day))
	coach := l.pool(northPM, acme, "ai-coach", 25, 0, "PO-ACME-AI")
	l.pool(am, stark, "circles", 20, 0, "STARK-8")
	l.allocate(initech, "circles", circles, 8)
	l.allocate(acme, "ai-coach", coach, 3)
	l.at(l.now.Add(-2 * day))
	l.request(bluePM, initech, "circles", 5, "BB-3002", "renewal of the circles pilot")
	l.request(am, stark, "premium", 10, "STARK-9", "ten more seats for the new studio")
	l.at(l.now)
}

// pool requests and assigns n seats of product for c now, for days days
// (the product's term when 0), and returns the pool's ID.
func (l *loader) pool(by allot.User, c allot.Company, product string, n, days int, po string) (id int64) {
	l.do(func() error {
		o, err := l.svc.RequestOrder(l.as(by), allot.NewOrder{CompanyID: c.ID, ProductCode: product, Quantity: n, PORef: po, TermDays: days})
		if err != nil {
			return err
		}
		_, p, err := l.svc.AssignOrder(l.as(by), o.ID)
		id = p.ID
		return err
	})
	return id
}

// allocate gives seats of product from pool to c's first n learners.
func (l *loader) allocate(c allot.Company, product string, pool int64, n int) {
	ctx := allot.WithPrincipal(l.ctx, allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: c.ID})
	l.do(func() error {
		users, err := l.svc.Users(ctx, allot.UserFilter{CompanyID: c.ID, Roles: []allot.Role{allot.RoleLearner}, Limit: n})
		for _, u := range users {
			if err != nil {
				break
			}
			_, err = l.svc.Allocate(ctx, u.ID, product, pool)
		}
		return err
	})
}
