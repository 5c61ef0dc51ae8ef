// Package webhook tells the vendor's product, and partners' systems, what
// changed: an endpoint subscribes to kinds of events, and every event of
// the audit log of those kinds that its owner may see is delivered to it
// as the Standard Webhooks specification says, signed, retried with
// backoff for about three days, and never to an address inside the
// network allot runs in.
package webhook

import (
	"net"
	"net/http"
	"sync"
	"time"

	"allot"
)

// Service keeps the endpoints and delivers the events to them. Every
// method takes the acting principal from its context, as the kernel's do.
type Service struct {
	Ledger *allot.Service // the kernel: its clock, permissions, audit log and mail
	Store  Store
	// AllowLoopback lets endpoints on 127.0.0.0/8 and ::1 be subscribed
	// and reached, for tests and receivers on the same machine; every
	// other private, link-local or metadata address stays refused.
	AllowLoopback bool
	// Timeout bounds each attempt, from connecting to reading the
	// response: DefaultTimeout when 0, else within what CheckTimeout
	// allows.
	Timeout time.Duration
	// Lease is how long a process holds the deliveries it claimed: one
	// whose lease ran out (its process died mid-send) is due again, under
	// the same webhook-id. When 0, long enough for a batch of claims all
	// timing out: eight times the Timeout and ten seconds.
	Lease time.Duration
	// Resolver resolves endpoints' host names, when subscribing and when
	// connecting; the system's when nil.
	Resolver *net.Resolver
	// ObserveAttempt, when set, is told of every attempt: its outcome
	// ("delivered", "failed" or "refused", when the address was refused)
	// and how long it took.
	ObserveAttempt func(outcome string, d time.Duration)

	jitterFunc func() float64 // moves the schedule's waits; rand.Float64 when nil

	clientOnce sync.Once
	client     *http.Client
}

// DefaultTimeout is how long an attempt may take when Service.Timeout is
// not set.
const DefaultTimeout = 10 * time.Second

// Bounds of Service.Timeout: an attempt long enough to connect and be
// answered, and short enough that a claim's lease (eight timeouts) stays
// minutes.
const (
	MinTimeout = time.Second
	MaxTimeout = time.Minute
)

// CheckTimeout returns EINVALID on field when d is outside MinTimeout to
// MaxTimeout.
func CheckTimeout(field string, d time.Duration) error {
	if d < MinTimeout || d > MaxTimeout {
		return allot.Invalid(field, "an attempt of a webhook delivery takes from 1s to 1m, not %s", d)
	}
	return nil
}

// Store keeps endpoints and deliveries, beside the ledger and in the same
// database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the endpoints and deliveries
// beside it.
type Tx interface {
	allot.Tx
	// WebhookEndpoints returns the endpoints f selects, by ID.
	WebhookEndpoints(f EndpointFilter) ([]Endpoint, error)
	// WebhookEndpoint returns endpoint id; ENOTFOUND when there is none.
	WebhookEndpoint(id int64) (Endpoint, error)
	// LockWebhookEndpoint returns endpoint id as WebhookEndpoint does, and
	// holds it until the transaction ends: a change of the endpoint that
	// reads it first and writes it back waits for the others, instead of
	// writing over them.
	LockWebhookEndpoint(id int64) (Endpoint, error)
	// AddWebhookEndpoint adds e and sets e.ID.
	AddWebhookEndpoint(e *Endpoint) error
	// UpdateWebhookEndpoint stores e's address, description, types,
	// secrets and state; ENOTFOUND when there is no endpoint e.ID.
	UpdateWebhookEndpoint(e Endpoint) error
	// DeleteWebhookEndpoint deletes endpoint id with its deliveries and
	// their attempts, those enqueued meanwhile too; ENOTFOUND when there is
	// none.
	DeleteWebhookEndpoint(id int64) error
	// DisableWebhookEndpoint disables endpoint id, saying why, and reports
	// false when it was disabled already: it is disabled once, however
	// many processes fail on it at once.
	DisableWebhookEndpoint(id int64, at time.Time, reason string) (bool, error)
	// SetWebhookFailing sets when endpoint id began failing: zero after a
	// success; a failure sets it only when it is zero.
	SetWebhookFailing(id int64, since time.Time) error

	// LockWebhookCursor returns where the fan-out of events stands, and
	// holds it until the transaction ends: one fan-out at a time.
	LockWebhookCursor() (Cursor, error)
	// EventsAfter returns up to limit events of the audit log after c, with
	// the cursor of the last one; c itself when there is none. On SQLite
	// they come in the order their transactions committed; on PostgreSQL in
	// the order of their transactions' IDs, which is not always the order
	// they committed in. An event whose transaction may still commit is not
	// returned until it has, and none of a transaction older than it, so
	// none is ever passed over.
	EventsAfter(c Cursor, limit int) ([]allot.Event, Cursor, error)
	// SetWebhookCursor moves the fan-out's cursor to c.
	SetWebhookCursor(c Cursor) error
	// AddDeliveries enqueues ds and returns how many were new: a
	// delivery of an event to an endpoint is enqueued once.
	AddDeliveries(ds []NewDelivery) (int, error)

	// ClaimDeliveries leases up to n deliveries due at now, of enabled
	// endpoints, until now+lease, counting an attempt of each; those that
	// another process holds are skipped.
	ClaimDeliveries(now time.Time, lease time.Duration, n int) ([]Claim, error)
	// FinishAttempt records attempt a of claimed delivery c and the
	// delivery's new state: ECONFLICT when the claim was lost (its lease
	// ran out and another process claimed it since).
	FinishAttempt(c Claim, a Attempt, next Delivery) error
	// WebhookDeliveries returns the deliveries f selects of the endpoints
	// of scope, newest first.
	WebhookDeliveries(scope EndpointFilter, f DeliveryFilter) ([]Delivery, error)
	// WebhookDelivery returns delivery id and the body it sends;
	// ENOTFOUND when there is none.
	WebhookDelivery(id int64) (Delivery, []byte, error)
	// WebhookAttempts returns delivery id's attempts, newest first.
	WebhookAttempts(id int64) ([]Attempt, error)
	// ReplayDelivery makes delivery id due at now again, as a new round
	// of attempts; ECONFLICT while a claim of it holds (an attempt is
	// being sent), whose outcome would undo the replay.
	ReplayDelivery(id int64, now time.Time) error
}

// EndpointFilter selects endpoints by owner: every one, or one partner's
// (0: the vendor's).
type EndpointFilter struct {
	All       bool
	PartnerID int64
	Enabled   bool // enabled ones only
}

// Cursor is where the fan-out stands in the audit log: after the event
// EventID of the transaction TxID. On SQLite, whose transactions commit
// one at a time in the order of the events' IDs, TxID is 0.
type Cursor struct {
	TxID    int64
	EventID int64
}

// NewDelivery is a delivery to enqueue.
type NewDelivery struct {
	EndpointID int64
	EventID    int64
	MessageID  string
	Type       string
	Payload    []byte
	At         time.Time
}

// Claim is a delivery a process holds, with what sending it takes.
type Claim struct {
	Delivery
	Round   int // the attempts of its current round, this one included: 1 for its first attempt, or the first since a replay
	Payload []byte
}

// Endpoint is an address that receives the events of some kinds that its
// owner, the vendor (PartnerID 0) or a partner, may see.
type Endpoint struct {
	ID             int64
	PartnerID      int64 // 0: the vendor's, which receives every tenant's events
	URL            string
	Description    string
	Types          []string // the event types it receives, from Types
	Secrets        []Secret // what signs its deliveries, newest first
	Disabled       bool
	DisabledAt     time.Time
	DisabledReason string    // why, in a sentence
	FailingSince   time.Time // the first failed attempt since the last success; zero when none
	CreatedAt      time.Time
	CreatedBy      int64
}

// Secret is a key that signs deliveries: "whsec_" and base64. After a
// rotation the previous secret signs too, until ExpiresAt.
type Secret struct {
	Value     string
	CreatedAt time.Time
	ExpiresAt time.Time // zero for the current secret
}

// NewEndpoint is what subscribing an endpoint takes.
type NewEndpoint struct {
	PartnerID   int64 // 0 for the vendor's
	URL         string
	Description string
	Types       []string
}

// EndpointChange changes an endpoint: nil fields stay as they are.
type EndpointChange struct {
	URL         *string
	Description *string
	Types       []string // nil: unchanged
	// Enabled disables or enables it. A disabled endpoint's pending
	// deliveries wait, and enabling it (which clears FailingSince) resumes
	// them; the events recorded while it was disabled are not delivered to
	// it, ever.
	Enabled *bool
}

// DeliveryStatus is where a delivery is.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "pending"   // waiting for its next attempt
	DeliveryDelivered DeliveryStatus = "delivered" // the endpoint answered 2xx
	DeliveryFailed    DeliveryStatus = "failed"    // attempts exhausted, or the endpoint answered 410 Gone
)

// Delivery is one event on its way to one endpoint: enqueued once per
// (endpoint, event), with the same MessageID (webhook-id) on every attempt.
type Delivery struct {
	ID            int64
	EndpointID    int64
	EventID       int64
	MessageID     string // the webhook-id header
	Type          string // the event type
	Status        DeliveryStatus
	Attempts      int
	NextAttemptAt time.Time // zero when none is due
	LastStatus    int       // the HTTP status of the last attempt; 0 when none answered
	LastError     string
	CreatedAt     time.Time
	DeliveredAt   time.Time
}

// Attempt is one try of a delivery.
type Attempt struct {
	DeliveryID int64
	N          int // 1 for the first
	At         time.Time
	Status     int // the HTTP status; 0 when none came
	Duration   time.Duration
	Error      string // why it failed, in a sentence; "" when it did not
	Response   string // the start of the response's body
}

// DeliveryFilter selects deliveries, newest first. Zero fields do not
// filter.
type DeliveryFilter struct {
	EndpointID int64
	Status     DeliveryStatus
	BeforeID   int64
	Limit      int
}

// Type is a kind of event an endpoint may receive.
type Type struct {
	Name        string // e.g. seat.given
	Description string // in a sentence
}
