package webhook

import (
	"context"
	"fmt"

	"allot"
)

// DeliveryDetail is a delivery with its endpoint, its attempts (newest
// first) and the exact body every attempt sends.
type DeliveryDetail struct {
	Delivery
	Endpoint Endpoint
	Attempts []Attempt
	Payload  []byte
}

// Deliveries returns the deliveries f selects of the endpoints p manages,
// newest first; a foreign endpoint's none.
func (s *Service) Deliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error) {
	var out []Delivery
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		scope, err := scopeOf(p)
		if err != nil {
			return err
		}
		if f.EndpointID != 0 {
			if _, err := managed(tx, p, f.EndpointID); err != nil {
				return err
			}
		}
		switch f.Status {
		case "", DeliveryPending, DeliveryDelivered, DeliveryFailed:
		default:
			return allot.Invalid("status", "a delivery is pending, delivered or failed, not %q", f.Status)
		}
		f.Limit = allot.ClampLimit(f.Limit)
		out, err = tx.WebhookDeliveries(scope, f)
		return err
	})
	return out, err
}

// Delivery returns delivery id of an endpoint p manages, with its attempts
// and body; ENOTFOUND otherwise.
func (s *Service) Delivery(ctx context.Context, id int64) (DeliveryDetail, error) {
	var d DeliveryDetail
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var err error
		d.Delivery, d.Endpoint, d.Payload, err = managedDelivery(tx, p, id)
		if err != nil {
			return err
		}
		d.Attempts, err = tx.WebhookAttempts(id)
		return err
	})
	d.Endpoint = s.shown(d.Endpoint)
	return d, err
}

// Replay makes delivery id due now again, with the same webhook-id and
// body, for a new round of attempts. It is refused (ECONFLICT) while its
// endpoint is disabled (enable the endpoint first), and while an attempt of
// it is being sent, whose outcome would undo the replay.
func (s *Service) Replay(ctx context.Context, id int64) (Delivery, error) {
	var d Delivery
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		before, e, _, err := managedDelivery(tx, p, id)
		if err != nil {
			return err
		}
		if e.Disabled {
			return allot.Errorf(allot.ECONFLICT, "the endpoint %s is disabled: enable it to replay its deliveries", e.URL)
		}
		if err := tx.ReplayDelivery(id, s.Ledger.Clock.Now()); err != nil {
			return fmt.Errorf("replay delivery %d: %w", id, err)
		}
		if d, _, err = tx.WebhookDelivery(id); err != nil {
			return err
		}
		after := map[string]any{"delivery_id": d.ID, "event_id": d.EventID, "message_id": d.MessageID, "status_before": before.Status}
		return s.Ledger.Record(tx, p, allot.Company{PartnerID: e.PartnerID}, "webhook.replay", "webhook_endpoint", e.ID, nil, after)
	})
	return d, err
}

// managedDelivery returns delivery id with its endpoint and body, when p
// manages the endpoint; ENOTFOUND otherwise. Whether p manages any is
// asked first, so that a delivery's existence is not told to one who
// manages none.
func managedDelivery(tx Tx, p allot.Principal, id int64) (Delivery, Endpoint, []byte, error) {
	if _, err := scopeOf(p); err != nil {
		return Delivery{}, Endpoint{}, nil, err
	}
	d, body, err := tx.WebhookDelivery(id)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return Delivery{}, Endpoint{}, nil, allot.NotFound("webhook delivery")
	}
	if err != nil {
		return Delivery{}, Endpoint{}, nil, err
	}
	e, err := managed(tx, p, d.EndpointID)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return Delivery{}, Endpoint{}, nil, allot.NotFound("webhook delivery")
	}
	return d, e, body, err
}
