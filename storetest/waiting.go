package storetest

import (
	"testing"
	"time"

	"allot"
)

var waitingTests = []test{
	{"List", testWaitingList},
	{"Remove", testRemoveWaiting},
}

// waiting returns who waits for the company's product.
func waiting(t *testing.T, s allot.Store, c allot.Company, p allot.Product, limit int) []allot.Waiting {
	t.Helper()
	return read(t, s, func(tx allot.Tx) ([]allot.Waiting, error) { return tx.WaitingList(c.ID, p.ID, limit) })
}

func testWaitingList(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"), learner(w.acme, "c@acme.test"),
		learner(w.acme, "d@acme.test"), learner(w.direct, "e@direct.test"))
	a, b, c, d, e := us[0], us[1], us[2], us[3], us[4]
	ws := []allot.Waiting{
		{UserID: d.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Reason: "no free seat", Since: t0.Add(-time.Hour).In(elsewhere)},
		{UserID: c.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Reason: "no free seat", Since: t0},
		{UserID: b.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Reason: "pool ended", Since: t0},
		{UserID: a.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Since: t0.Add(time.Microsecond)},
		{UserID: a.ID, CompanyID: w.acme.ID, ProductID: w.coaching.ID, Since: t0.Add(-day)},
		{UserID: e.ID, CompanyID: w.direct.ID, ProductID: w.premium.ID, Since: t0.Add(-day)},
	}
	write(t, s, func(tx allot.Tx) error {
		for _, wt := range ws {
			if err := tx.AddWaiting(wt); err != nil {
				return err
			}
		}
		return nil
	})
	got := waiting(t, s, w.acme, w.premium, 0)
	sameIDs(t, "WaitingList, oldest first then by user", got, waiterID, d.ID, b.ID, c.ID, a.ID)
	if len(got) == 4 {
		want := ws[0]
		want.Since = t0.Add(-time.Hour)
		same(t, "first waiting", got[0], want)
		same(t, "second waiting", got[1], ws[2])
	}
	sameIDs(t, "WaitingList of 2", waiting(t, s, w.acme, w.premium, 2), waiterID, d.ID, b.ID)
	sameIDs(t, "WaitingList of another product", waiting(t, s, w.acme, w.coaching, 0), waiterID, a.ID)
	sameIDs(t, "WaitingList of another company", waiting(t, s, w.direct, w.premium, 0), waiterID, e.ID)
	sameIDs(t, "WaitingList of nobody", waiting(t, s, w.direct, w.coaching, 0), waiterID)

	t.Run("added twice", func(t *testing.T) {
		again := ws[1]
		again.Reason, again.Since = "another reason", t0.Add(-2*day)
		write(t, s, func(tx allot.Tx) error { return tx.AddWaiting(again) })
		got := waiting(t, s, w.acme, w.premium, 0)
		sameIDs(t, "WaitingList", got, waiterID, d.ID, b.ID, c.ID, a.ID)
		if len(got) == 4 {
			same(t, "the waiting added twice", got[2], ws[1])
		}
	})
}

func testRemoveWaiting(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	a, b := us[0], us[1]
	write(t, s, func(tx allot.Tx) error {
		for _, wt := range []allot.Waiting{
			{UserID: a.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Since: t0},
			{UserID: a.ID, CompanyID: w.acme.ID, ProductID: w.coaching.ID, Since: t0},
			{UserID: b.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Since: t0},
			{UserID: b.ID, CompanyID: w.acme.ID, ProductID: w.coaching.ID, Since: t0},
		} {
			if err := tx.AddWaiting(wt); err != nil {
				return err
			}
		}
		return nil
	})

	write(t, s, func(tx allot.Tx) error { return tx.RemoveWaiting(a.ID, w.premium.ID) })
	sameIDs(t, "premium after removing a from it", waiting(t, s, w.acme, w.premium, 0), waiterID, b.ID)
	sameIDs(t, "coaching after removing a from premium", waiting(t, s, w.acme, w.coaching, 0), waiterID, a.ID, b.ID)

	write(t, s, func(tx allot.Tx) error { return tx.RemoveWaiting(b.ID, 0) })
	sameIDs(t, "premium after removing b from all", waiting(t, s, w.acme, w.premium, 0), waiterID)
	sameIDs(t, "coaching after removing b from all", waiting(t, s, w.acme, w.coaching, 0), waiterID, a.ID)

	write(t, s, func(tx allot.Tx) error { return tx.RemoveWaiting(b.ID, 0) })
	sameIDs(t, "coaching after removing nobody", waiting(t, s, w.acme, w.coaching, 0), waiterID, a.ID)
}
