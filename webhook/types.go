package webhook

import (
	"slices"
	"strings"
)

// typeTable maps each event type to the actions of the audit log behind
// it. An action is behind one type at most, and a change is recorded by
// one action of the table at most: a reclaimed seat is delivered once, as
// seat.released (seat.release), its second event (seat.reclaim) naming the
// rule being behind no type.
var typeTable = []typeRow{
	{Type{"seat.given", "A learner was given a seat: allocated, provisioned by a directory, moved to them or reserved by an invitation."},
		[]string{"seat.allocate", "seat.provision", "seat.reallocate", "seat.invite"}},
	{Type{"seat.released", "A learner's seat went back to its pool: released, moved to another learner or reclaimed."},
		[]string{"seat.release"}},
	{Type{"seat.expired", "A learner's seat reached its end."}, []string{"seat.expire"}},
	{Type{"order.requested", "An order of licences was requested."}, []string{"order.request"}},
	{Type{"order.assigned", "An order was assigned: its licences are ready to allocate."}, []string{"order.assign"}},
	{Type{"order.rejected", "An order was rejected."}, []string{"order.reject"}},
	{Type{"order.cancelled", "An order was cancelled."}, []string{"order.cancel"}},
	{Type{"user.added", "A person was added to a company, or brought back."}, []string{"user.add", "user.return"}},
	{Type{"user.removed", "A person was removed."}, []string{"user.remove"}},
	{Type{"user.updated", "A person's details changed."}, []string{"user.update"}},
	{Type{"user.waiting", "A learner waits for a seat: none was free."}, []string{"user.unlicensed"}},
	{Type{"import.applied", "An import of people from a file was applied."}, []string{"import.applied"}},
	{Type{"directory.synced", "A company's directory was read and its changes applied."},
		[]string{"directory.sync", "directory.sync_confirm"}},
	{Type{"pool.expired", "A pool of licences reached its end."}, []string{"pool.expire"}},
	{Type{"pool.transferred", "Free seats moved from one customer's pool to another customer: one event for each."},
		[]string{"pool.transfer_out", "pool.transfer_in"}},
	{Type{"company.created", "A customer company was created."}, []string{"company.create"}},
	{Type{"company.suspended", "A company was suspended or reinstated."}, []string{"company.suspend"}},
}

// typeRow is an event type and the actions behind it.
type typeRow struct {
	Type
	actions []string
}

// Types returns the event types an endpoint may subscribe to, by name.
func Types() []Type {
	out := make([]Type, len(typeTable))
	for i, t := range typeTable {
		out[i] = t.Type
	}
	slices.SortFunc(out, func(a, b Type) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// typeOf returns the event type of an action of the audit log, and false
// when no type delivers it.
func typeOf(action string) (string, bool) {
	t, ok := actionTypes[action]
	return t, ok
}

// actionTypes is typeTable turned around: the type of each action.
var actionTypes = func() map[string]string {
	m := map[string]string{}
	for _, t := range typeTable {
		for _, a := range t.actions {
			if _, dup := m[a]; dup {
				panic("webhook: action " + a + " is behind two event types")
			}
			m[a] = t.Name
		}
	}
	return m
}()

// knownType reports whether name is an event type of the table.
func knownType(name string) bool {
	return slices.ContainsFunc(typeTable, func(t typeRow) bool { return t.Name == name })
}
