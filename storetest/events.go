package storetest

import (
	"testing"
	"time"

	"allot"
)

var eventTests = []test{
	{"RoundTrip", testEventRoundTrip},
	{"Filter", testEventFilter},
	{"FilterByActionAndTime", testEventFilterByActionAndTime},
}

func testEventRoundTrip(t *testing.T, s Stores) {
	e := allot.Event{At: t0.In(elsewhere), ActorID: 4, ActorEmail: "pm@channel.test", CompanyID: 2, PartnerID: 1,
		ManageMode: true, Action: "seat.release", SubjectType: "seat", SubjectID: 9,
		Before: `{"ID":9,"ReleasedAt":"0001-01-01T00:00:00Z"}`, After: `{"ID":9,"ReleaseReason":"left_company"}`}
	system := allot.Event{At: t0.Add(time.Second), ActorEmail: "system", Action: "seat.expire", SubjectType: "seat", SubjectID: 10}
	write(t, s, func(tx allot.Tx) error {
		if err := tx.AddEvent(&e); err != nil {
			return err
		}
		return tx.AddEvent(&system)
	})
	if e.ID == 0 || system.ID <= e.ID {
		t.Fatalf("event IDs %d then %d, want increasing IDs", e.ID, system.ID)
	}
	want := e
	want.At = t0
	got := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(allot.EventFilter{}) })
	sameIDs(t, "Events, newest first", got, eventID, system.ID, e.ID)
	if len(got) == 2 {
		same(t, "system event", got[0], system)
		same(t, "event", got[1], want)
	}
}

func testEventFilter(t *testing.T, s Stores) {
	es := []allot.Event{
		{ActorID: 1, CompanyID: 10, PartnerID: 100}, // 0
		{ActorID: 2, CompanyID: 10, PartnerID: 100}, // 1
		{ActorID: 1, CompanyID: 11, PartnerID: 100}, // 2
		{ActorID: 2, CompanyID: 12},                 // 3
		{ActorID: 0},                                // 4
		{ActorID: 1, PartnerID: 101},                // 5
	}
	write(t, s, func(tx allot.Tx) error {
		for i := range es {
			es[i].At, es[i].Action, es[i].SubjectType, es[i].SubjectID = t0.Add(time.Duration(i)*time.Minute), "test", "test", int64(i)
			if err := tx.AddEvent(&es[i]); err != nil {
				return err
			}
		}
		return nil
	})
	id := func(is ...int) []int64 {
		var out []int64
		for _, i := range is {
			out = append(out, es[i].ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    allot.EventFilter
		want []int64
	}{
		{"all, newest first", allot.EventFilter{}, id(5, 4, 3, 2, 1, 0)},
		{"company", allot.EventFilter{CompanyID: 10}, id(1, 0)},
		{"partner", allot.EventFilter{PartnerID: 100}, id(2, 1, 0)},
		{"actor", allot.EventFilter{ActorID: 1}, id(5, 2, 0)},
		{"before ID", allot.EventFilter{BeforeID: es[3].ID}, id(2, 1, 0)},
		{"limit", allot.EventFilter{Limit: 2}, id(5, 4)},
		{"everything", allot.EventFilter{CompanyID: 10, PartnerID: 100, ActorID: 1, BeforeID: es[5].ID, Limit: 1}, id(0)},
		{"nothing", allot.EventFilter{CompanyID: 12, ActorID: 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(tc.f) })
			sameIDs(t, "Events", got, eventID, tc.want...)
		})
	}
	t.Run("paging", func(t *testing.T) {
		f := allot.EventFilter{Limit: 4}
		first := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(f) })
		sameIDs(t, "page 1", first, eventID, id(5, 4, 3, 2)...)
		if len(first) == 0 {
			return
		}
		f.BeforeID = first[len(first)-1].ID
		second := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(f) })
		sameIDs(t, "page 2", second, eventID, id(1, 0)...)
	})
}

// testEventFilterByActionAndTime selects events by action and by when they
// were recorded, From included and To not, and counts what a filter
// selects whatever its page.
func testEventFilterByActionAndTime(t *testing.T, s Stores) {
	actions := []string{"seat.allocate", "seat.release", "seat.allocate", "order.assign", "seat.allocate"}
	es := make([]allot.Event, len(actions))
	write(t, s, func(tx allot.Tx) error {
		for i, a := range actions {
			es[i] = allot.Event{At: t0.Add(time.Duration(i) * day), ActorID: int64(1 + i%2), CompanyID: 10, PartnerID: 100,
				Action: a, SubjectType: "seat", SubjectID: int64(i)}
			if err := tx.AddEvent(&es[i]); err != nil {
				return err
			}
		}
		return nil
	})
	id := func(is ...int) []int64 {
		var out []int64
		for _, i := range is {
			out = append(out, es[i].ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    allot.EventFilter
		want []int64
	}{
		{"action", allot.EventFilter{Action: "seat.allocate"}, id(4, 2, 0)},
		{"no such action", allot.EventFilter{Action: "seat"}, nil},
		{"from, included", allot.EventFilter{From: es[3].At}, id(4, 3)},
		{"to, excluded", allot.EventFilter{To: es[1].At}, id(0)},
		{"a day", allot.EventFilter{From: t0.Add(2 * day).Add(-time.Hour), To: t0.Add(3 * day).Add(-time.Hour)}, id(2)},
		{"action, actor and dates", allot.EventFilter{Action: "seat.allocate", ActorID: 1, From: t0.Add(time.Hour), To: t0.Add(10 * day)}, id(4, 2)},
		{"in another zone", allot.EventFilter{From: es[4].At.In(elsewhere)}, id(4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(tc.f) })
			sameIDs(t, "Events", got, eventID, tc.want...)
			tc.f.BeforeID, tc.f.Limit = es[1].ID, 1
			n := read(t, s, func(tx allot.Tx) (int, error) { return tx.CountEvents(tc.f) })
			same(t, "CountEvents, paging aside", n, len(tc.want))
		})
	}
}
