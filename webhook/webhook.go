// Package webhook tells the vendor's product, and partners' systems, what
// changed: an endpoint subscribes to kinds of events, and every event of
// the audit log of those kinds that its owner may see is delivered to it
// as the Standard Webhooks specification says, signed, retried with
// backoff for about three days, and never to an address inside the
// network allot runs in.
package webhook

import (
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
	Enabled     *bool    // enabling clears FailingSince and resumes pending deliveries
}

// DeliveryStatus is where a delivery is.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "pending"   // waiting for its next attempt
	DeliveryDelivered DeliveryStatus = "delivered" // the endpoint answered 2xx
	DeliveryFailed    DeliveryStatus = "failed"    // attempts exhausted, or the endpoint disabled for good
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
