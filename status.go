package allot

import "time"

// Status is a licence status, as shown everywhere: for a seat, a pool or a
// learner.
type Status string

// Licence statuses. A seat is scheduled before its start, active until it is
// expiring (within ExpiringWindow of its end), then expired; released when
// its learner gave it back; a learner who waits for a seat is unlicensed.
const (
	StatusScheduled  Status = "scheduled"
	StatusActive     Status = "active"
	StatusExpiring   Status = "expiring"
	StatusExpired    Status = "expired"
	StatusReleased   Status = "released"
	StatusUnlicensed Status = "unlicensed"
)

// ExpiringWindow is how long before its end a seat or pool is "expiring".
const ExpiringWindow = 72 * time.Hour

// windowStatus is the status of a window [start, end) at now.
func windowStatus(start, end, now time.Time) Status {
	switch {
	case now.Before(start):
		return StatusScheduled
	case !now.Before(end):
		return StatusExpired
	case end.Sub(now) <= ExpiringWindow:
		return StatusExpiring
	}
	return StatusActive
}
