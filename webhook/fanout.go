package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"allot"
)

// fanBatch is how many events of the audit log one transaction of the
// fan-out reads.
const fanBatch = 500

// FanOut enqueues a delivery of every event of the audit log after the
// cursor to every enabled endpoint that receives it, and moves the cursor
// on in the same transaction: each (endpoint, event) is enqueued once,
// however many processes fan out at once. It returns how many deliveries
// it enqueued.
func (s *Service) FanOut(ctx context.Context) (int, error) {
	total := 0
	for {
		var n, read int
		err := s.Store.Write(ctx, func(tx Tx) error {
			c, err := tx.LockWebhookCursor()
			if err != nil {
				return err
			}
			events, last, err := tx.EventsAfter(c, fanBatch)
			if err != nil || len(events) == 0 {
				return err
			}
			read = len(events)
			endpoints, err := tx.WebhookEndpoints(EndpointFilter{All: true, Enabled: true})
			if err != nil {
				return err
			}
			if n, err = tx.AddDeliveries(deliveriesOf(events, endpoints, s.Ledger.Clock.Now())); err != nil {
				return err
			}
			return tx.SetWebhookCursor(last)
		})
		if err != nil {
			return total, fmt.Errorf("webhook fan-out: %w", err)
		}
		total += n
		if read < fanBatch {
			return total, nil
		}
	}
}

// deliveriesOf returns the deliveries of events to the endpoints that
// receive them, due at now.
func deliveriesOf(events []allot.Event, endpoints []Endpoint, now time.Time) []NewDelivery {
	var out []NewDelivery
	for _, ev := range events {
		typ, ok := typeOf(ev.Action)
		if !ok {
			continue
		}
		var body []byte
		for _, e := range endpoints {
			if !e.receives(ev, typ) {
				continue
			}
			if body == nil {
				body = payload(typ, ev)
			}
			out = append(out, NewDelivery{EndpointID: e.ID, EventID: ev.ID, MessageID: messageID(), Type: typ, Payload: body, At: now})
		}
	}
	return out
}

// receives reports whether e receives event ev of type typ: one of its
// types, of its owner's tenants (the vendor's receives every tenant's),
// and recorded since it was subscribed.
func (e Endpoint) receives(ev allot.Event, typ string) bool {
	if e.PartnerID != 0 && ev.PartnerID != e.PartnerID {
		return false
	}
	if ev.At.Before(e.CreatedAt) {
		return false
	}
	for _, t := range e.Types {
		if t == typ {
			return true
		}
	}
	return false
}

// Payload is the body of a delivery, as JSON.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"` // when the event was recorded
	Data      EventData `json:"data"`
}

// EventData is the event of the audit log a delivery tells of.
type EventData struct {
	ID          int64           `json:"id"`
	Action      string          `json:"action"`
	CompanyID   int64           `json:"company_id"`
	PartnerID   int64           `json:"partner_id"`
	SubjectType string          `json:"subject_type"`
	SubjectID   int64           `json:"subject_id"`
	ActorEmail  string          `json:"actor_email"`
	ManageMode  bool            `json:"manage_mode"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
}

// payload returns the body that tells of ev, as type typ: written once,
// when the delivery is enqueued, and sent as is on every attempt.
func payload(typ string, ev allot.Event) []byte {
	b, err := json.Marshal(Payload{Type: typ, Timestamp: ev.At, Data: EventData{ID: ev.ID, Action: ev.Action,
		CompanyID: ev.CompanyID, PartnerID: ev.PartnerID, SubjectType: ev.SubjectType, SubjectID: ev.SubjectID,
		ActorEmail: ev.ActorEmail, ManageMode: ev.ManageMode, Before: rawJSON(ev.Before), After: rawJSON(ev.After)}})
	if err != nil {
		panic(fmt.Sprintf("webhook: payload of event %d: %v", ev.ID, err)) // every field marshals
	}
	return b
}

// rawJSON returns the audit log's JSON s as it is, and null for none.
func rawJSON(s string) json.RawMessage {
	if s == "" || !json.Valid([]byte(s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

// messageID returns a new webhook-id: "msg_" and 16 random bytes in hex.
func messageID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "msg_" + hex.EncodeToString(b)
}
