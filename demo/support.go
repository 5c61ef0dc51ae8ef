package demo

import (
	"time"

	"allot"
	"allot/support"
)

// desk fills the support desk: the help centre's starter articles, a
// customer success manager for Northwind's customers, and requests in
// every status, one of them past its first response and recorded as
// breached, one escalated, one with an internal note. agent answers;
// globex's expired learner asks.
func (l *loader) desk(store Store, agent allot.User, globex allot.Company) {
	svc := &support.Service{Ledger: l.svc, Store: store.Support()}
	success := l.staff("success@allot.demo", "Cleo", "Marsh", allot.RoleSuccessManager, 0, "customer success manager of Northwind's customers")
	l.at(l.now.Add(-3 * 24 * time.Hour))
	l.do(func() error { _, err := svc.InstallStarter(l.ctx); return err })
	l.do(func() error {
		north, err := l.svc.UserByEmail(l.ctx, "manager@northwind.demo")
		if err != nil {
			return err
		}
		_, err = svc.SetAccount(l.ctx, support.Account{PartnerID: north.PartnerID, SuccessID: success.ID})
		return err
	})
	ask := func(email, subject, body, category string, pr support.Priority, ago time.Duration) (r support.Request) {
		l.at(l.now.Add(-ago))
		l.do(func() error {
			u, err := l.svc.UserByEmail(l.ctx, email)
			if err != nil {
				return err
			}
			r, err = svc.Open(l.as(u), support.NewRequest{Subject: subject, Body: body, Category: category, Priority: pr})
			return err
		})
		return r
	}
	answer := func(r support.Request, body string, st support.Status, after time.Duration) {
		l.clock.Advance(after)
		l.do(func() error {
			_, err := svc.Reply(l.as(agent), r.ID, support.Reply{Body: body, Status: st})
			return err
		})
	}
	hour := time.Hour

	// New: asked two hours ago, its first answer due in ten.
	ask("manager@acme.demo", "Seats for the new warehouse team",
		"We hire twelve people in January. Can we add them to our current pool, or do we need a new order?", "licences", support.Normal, 2*hour)
	// Breached: an expired learner asked fifteen hours ago, nobody answered.
	learner := first(l, globex, allot.StatusExpired)
	ask(learner, "I cannot get into the training any more",
		"Since last month the product says my licence has ended. My manager says we renewed.", "member_access", support.High, 15*hour)
	// Open and urgent: answered, with a note for the desk.
	waiting := ask("manager@initech.demo", "Ten people are waiting for a seat",
		"Ten of our new starters have no seat and start their training on Monday.", "licences", support.Urgent, 5*hour)
	answer(waiting, "Your pool of 30 seats is full and ten learners are waiting. A partner order of ten more seats will give them seats at once; shall we ask Bluebird for one?", support.StatusOpen, hour)
	l.do(func() error {
		_, err := svc.Note(l.as(agent), waiting.ID, "Checked the licence context: 30 of 30 used, no order requested.", nil)
		return err
	})
	// Waiting on the customer.
	paris := ask("manager@umbrella.demo", "Invitation times for the Paris stores",
		"Invitations scheduled for 9:00 went out at 8:00 for two stores.", "programme_setup", support.Normal, 30*hour)
	answer(paris, "Which zone did you choose in the invitation wizard? Could you send a screenshot of the scheduled list?", support.StatusWaiting, 3*hour)
	// Solved.
	sync := ask("manager@stark.demo", "Directory sync stopped adding people",
		"New hires in our directory have not appeared since Tuesday.", "technical", support.Normal, 50*hour)
	answer(sync, "Your directory's token had been replaced on your side; with the new one set, the next sync added the six new hires.", support.StatusSolved, 4*hour)
	// Escalated from Support to Customer Success, who is told.
	expand := ask("manager@acme.demo", "Adding the AI coach for our managers",
		"We would like to offer the AI coach to our forty team leads next quarter.", "technical", support.Low, 26*hour)
	answer(expand, "Good news: your customer success manager will plan this with you.", support.StatusOpen, hour)
	l.do(func() error {
		_, err := svc.Escalate(l.as(agent), expand.ID, "An expansion, not a problem: a new product for 40 people.")
		return err
	})
	// Closed: a partner's own question.
	report := ask("manager@northwind.demo", "Usage across all our customers",
		"Is there a way to see seat usage for all our customers at once?", "engagement", support.Normal, 70*hour)
	answer(report, "The Customers page lists every customer's seats used and free; its export gives the same as CSV.", support.StatusSolved, 2*hour)
	l.clock.Advance(hour)
	l.do(func() error {
		closed := support.StatusClosed
		_, err := svc.Update(l.as(agent), report.ID, support.Change{Status: &closed})
		return err
	})
	// The sweep records what is past: the breach above, the warnings.
	l.at(l.now)
	l.do(func() error { _, err := svc.Sweep(l.ctx); return err })
}
