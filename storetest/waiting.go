package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"allot"
)

var waitingTests = []test{
	{"List", testWaitingList},
	{"Add", testAddWaiting},
	{"Remove", testRemoveWaiting},
	{"Count", testCountWaiting},
	{"Claim", testClaimWaiting},
}

// waiting returns who waits for the company's product.
func waiting(t *testing.T, s allot.Store, c allot.Company, p allot.Product, limit int) []allot.Waiting {
	t.Helper()
	return read(t, s, func(tx allot.Tx) ([]allot.Waiting, error) {
		return tx.WaitingList(allot.WaitingListParams{CompanyID: c.ID, ProductID: p.ID, Limit: limit})
	})
}

func testWaitingList(t *testing.T, s Stores) {
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
	write(t, s, func(tx allot.Tx) error { return addWaiting(tx, ws...) })
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
		write(t, s, func(tx allot.Tx) error { return addWaiting(tx, again) })
		got := waiting(t, s, w.acme, w.premium, 0)
		sameIDs(t, "WaitingList", got, waiterID, d.ID, b.ID, c.ID, a.ID)
		if len(got) == 4 {
			same(t, "the waiting added twice", got[2], ws[1])
		}
	})
}

func testRemoveWaiting(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"), learner(w.acme, "c@acme.test"))
	a, b, c := us[0], us[1], us[2]
	write(t, s, func(tx allot.Tx) error {
		var ws []allot.Waiting
		for _, u := range us {
			for _, p := range []allot.Product{w.premium, w.coaching} {
				ws = append(ws, allot.Waiting{UserID: u.ID, CompanyID: w.acme.ID, ProductID: p.ID, Since: t0})
			}
		}
		return addWaiting(tx, ws...)
	})
	remove := func(p allot.Product, us ...allot.User) {
		t.Helper()
		var ids []int64
		for _, u := range us {
			ids = append(ids, u.ID)
		}
		write(t, s, func(tx allot.Tx) error {
			return tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: ids, ProductID: p.ID})
		})
	}

	remove(w.premium, a, c)
	sameIDs(t, "premium after removing a and c from it", waiting(t, s, w.acme, w.premium, 0), waiterID, b.ID)
	sameIDs(t, "coaching after removing a and c from premium", waiting(t, s, w.acme, w.coaching, 0), waiterID, a.ID, b.ID, c.ID)

	remove(allot.Product{}, b)
	sameIDs(t, "premium after removing b from all", waiting(t, s, w.acme, w.premium, 0), waiterID)
	sameIDs(t, "coaching after removing b from all", waiting(t, s, w.acme, w.coaching, 0), waiterID, a.ID, c.ID)

	remove(allot.Product{}, b)
	remove(w.coaching)
	sameIDs(t, "coaching after removing nobody", waiting(t, s, w.acme, w.coaching, 0), waiterID, a.ID, c.ID)
}

// testAddWaiting puts several users on a list at once, each with the event
// of the template given, in the users' order.
func testAddWaiting(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "w1@acme.test"), learner(w.acme, "w2@acme.test"), learner(w.acme, "w3@acme.test"))
	wt := allot.Waiting{CompanyID: w.acme.ID, ProductID: w.premium.ID, Reason: "no free seat of this product in Acme",
		Since: t0.In(elsewhere)}
	e := allot.Event{At: t0.In(elsewhere), ActorEmail: "system", CompanyID: w.acme.ID, PartnerID: w.partner.ID,
		Action: "user.unlicensed", SubjectType: "user", After: `{"ProductID":2,"Reason":"no free seat"}`}
	ids := []int64{us[2].ID, us[0].ID}
	write(t, s, func(tx allot.Tx) error {
		return tx.AddWaiting(allot.AddWaitingParams{Waiting: wt, UserIDs: ids, Event: e})
	})
	list := waiting(t, s, w.acme, w.premium, 0)
	sameIDSet(t, "WaitingList", list, waiterID, ids...)
	for _, got := range list {
		want := wt
		want.UserID, want.Since = got.UserID, t0
		same(t, "waiting user", got, want)
	}
	sameIDs(t, "WaitingList of another product", waiting(t, s, w.acme, w.coaching, 0), waiterID)

	events := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(allot.EventFilter{}) })
	sameIDs(t, "subjects of the events, newest first", events, func(ev allot.Event) int64 { return ev.SubjectID }, us[0].ID, us[2].ID)
	for _, ev := range events {
		want := e
		want.ID, want.At, want.SubjectID, want.After = ev.ID, t0, ev.SubjectID, ev.After
		same(t, "waiting event", ev, want)
		after := afterJSON(t, ev)
		if after["UserID"] != float64(ev.SubjectID) || after["Reason"] != "no free seat" {
			t.Errorf("waiting event's After %s, want the UserID %d added to the event's", ev.After, ev.SubjectID)
		}
	}

	// An empty object gains the UserID alone, and stays well formed; one
	// who waits already keeps the place they had.
	empty := e
	empty.After = "{}"
	again := wt
	again.Reason, again.Since = "another reason", t0.Add(-day)
	write(t, s, func(tx allot.Tx) error {
		return tx.AddWaiting(allot.AddWaitingParams{Waiting: again, UserIDs: []int64{us[0].ID, us[1].ID}, Event: empty})
	})
	last := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(allot.EventFilter{Limit: 1}) })
	if want := fmt.Sprintf(`{"UserID":%d}`, us[1].ID); len(last) != 1 || last[0].After != want {
		t.Errorf("the event of an empty object: %+v, want one whose After is %s", last, want)
	}
	list = waiting(t, s, w.acme, w.premium, 0)
	sameIDs(t, "WaitingList after adding again", list, waiterID, us[1].ID, us[0].ID, us[2].ID)
	if len(list) == 3 {
		want := wt
		want.UserID, want.Since = us[0].ID, t0
		same(t, "the waiting added twice", list[1], want)
	}
}

func testCountWaiting(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"), learner(w.direct, "c@direct.test"))
	count := func(c allot.Company) int {
		t.Helper()
		return read(t, s, func(tx allot.Tx) (int, error) { return tx.CountWaiting(c.ID) })
	}
	if n := count(w.acme); n != 0 {
		t.Errorf("CountWaiting of nobody %d, want 0", n)
	}
	write(t, s, func(tx allot.Tx) error {
		return addWaiting(tx,
			allot.Waiting{UserID: us[0].ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Since: t0},
			allot.Waiting{UserID: us[0].ID, CompanyID: w.acme.ID, ProductID: w.coaching.ID, Since: t0},
			allot.Waiting{UserID: us[1].ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Since: t0},
			allot.Waiting{UserID: us[2].ID, CompanyID: w.direct.ID, ProductID: w.premium.ID, Since: t0})
	})
	if n := count(w.acme); n != 3 {
		t.Errorf("CountWaiting of Acme %d, want 3: a learner once for each product", n)
	}
	if n := count(w.direct); n != 1 {
		t.Errorf("CountWaiting of Direct %d, want 1", n)
	}
}

// testClaimWaiting has many writers at once each claim the two who waited
// longest and take them off the list: each learner is claimed once, and
// those claimed are the longest waiting.
func testClaimWaiting(t *testing.T, s Stores) {
	const writers, each, extra = 8, 2, 5
	w := seed(t, s)
	var (
		ws  []allot.Waiting
		all []allot.User
	)
	for i := range writers*each + extra {
		all = append(all, learner(w.acme, fmt.Sprintf("w%d@acme.test", i)))
	}
	all = addUsers(t, s, all...)
	for i, u := range all {
		ws = append(ws, allot.Waiting{UserID: u.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Since: t0.Add(time.Duration(i) * time.Second)})
	}
	write(t, s, func(tx allot.Tx) error { return addWaiting(tx, ws...) })
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		claimed []int64
	)
	for range writers {
		wg.Go(func() {
			var mine []int64
			err := s.Write(t.Context(), func(tx allot.Tx) error {
				mine = nil
				got, err := tx.WaitingList(allot.WaitingListParams{CompanyID: w.acme.ID, ProductID: w.premium.ID, Limit: each, Claim: true})
				if err != nil {
					return err
				}
				for _, g := range got {
					mine = append(mine, g.UserID)
				}
				time.Sleep(10 * time.Millisecond) // the others claim meanwhile
				return tx.RemoveWaiting(allot.RemoveWaitingParams{UserIDs: mine, ProductID: w.premium.ID})
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("claim: %v", err)
			}
			if len(mine) != each {
				t.Errorf("a writer claimed %d, want %d", len(mine), each)
			}
			claimed = append(claimed, mine...)
		})
	}
	wg.Wait()
	slices.Sort(claimed)
	var want []int64
	for _, u := range all[:writers*each] {
		want = append(want, u.ID)
	}
	if !slices.Equal(claimed, want) {
		t.Errorf("claimed %v, want each of the %d longest waiting once: %v", claimed, len(want), want)
	}
	sameIDs(t, "still waiting", waiting(t, s, w.acme, w.premium, 0), waiterID, userIDs(all[writers*each:])...)
}

func userIDs(us []allot.User) []int64 {
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}
