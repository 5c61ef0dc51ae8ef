package world

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

// Renewal is a company after its first pool ended: ann and bob expired; cat
// was released before the end; dan expired and was then removed; eve joined
// after the end and holds a seat of the second pool, which has free seats
// left.
type Renewal struct {
	*Fixture
	First, Second           allot.Pool
	Ann, Bob, Cat, Dan, Eve allot.User
}

// NewRenewal makes a renewal fixture whose second pool has free seats free.
func NewRenewal(t *testing.T, b storetest.Backend, free int) *Renewal {
	t.Helper()
	r := &Renewal{Fixture: Setup(t, b)}
	r.First = r.Pool(r.Company, 4)
	r.Ann = r.Learner(r.Company, "ann@acme.test")
	r.Bob = r.Learner(r.Company, "bob@acme.test")
	r.Cat = r.Learner(r.Company, "cat@acme.test")
	r.Dan = r.Learner(r.Company, "dan@acme.test")
	r.Clock.Advance(10 * 24 * time.Hour)
	Must(r.Svc.Release(r.As(r.CM), r.Seat(r.Cat, "premium").ID, allot.ReasonLeft))(t)
	r.Clock.Set(r.First.EndsAt.Add(time.Hour))
	Must(r.Svc.RemoveUser(r.As(r.CM), r.Dan.ID))(t)
	r.Second = r.Assigned(allot.NewOrder{Quantity: free + 1, TermMonths: 6})
	r.Eve = r.Learner(r.Company, "eve@acme.test")
	return r
}

// Expired returns the e-mails of the company's expired learners of premium.
func (r *Renewal) Expired(t *testing.T) []string {
	t.Helper()
	return Emails(Must(r.Svc.ExpiredLearners(r.As(r.CM), r.Company.ID, "premium"))(t))
}
