package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"allot"
)

// SecretOverlap is how long the previous secret keeps signing after a
// rotation, beside the new one: time for the receiver to switch.
const SecretOverlap = 24 * time.Hour

// maxDescription is the most characters an endpoint's description has.
const maxDescription = 200

// Endpoints returns the endpoints p manages (ActManageWebhooks): the
// vendor admin's are the vendor's and every partner's, a partner
// manager's their partner's.
func (s *Service) Endpoints(ctx context.Context) ([]Endpoint, error) {
	var out []Endpoint
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		scope, err := scopeOf(p)
		if err != nil {
			return err
		}
		out, err = tx.WebhookEndpoints(scope)
		return err
	})
	for i := range out {
		out[i] = s.shown(out[i])
	}
	return out, err
}

// Endpoint returns endpoint id, when p manages it; ENOTFOUND otherwise.
func (s *Service) Endpoint(ctx context.Context, id int64) (Endpoint, error) {
	var e Endpoint
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var err error
		e, err = managed(tx, p, id)
		return err
	})
	return s.shown(e), err
}

// CreateEndpoint subscribes an endpoint with a new secret, for the
// partner in.PartnerID (a partner manager's own, whatever in says) or the
// vendor (0).
func (s *Service) CreateEndpoint(ctx context.Context, in NewEndpoint) (Endpoint, error) {
	if err := mayManage(ctx); err != nil {
		return Endpoint{}, err
	}
	url, err := s.checkURL(ctx, in.URL)
	if err != nil {
		return Endpoint{}, err
	}
	types, err := checkTypes(in.Types)
	if err != nil {
		return Endpoint{}, err
	}
	if err := allot.CheckText("description", in.Description, maxDescription); err != nil {
		return Endpoint{}, err
	}
	var e Endpoint
	err = allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		scope, err := scopeOf(p)
		if err != nil {
			return err
		}
		if !scope.All {
			in.PartnerID = scope.PartnerID // a partner's manager subscribes for their partner only
		}
		if in.PartnerID != 0 {
			if _, err := tx.Partner(in.PartnerID); err != nil || !p.May(allot.ActManageWebhooks, allot.Company{PartnerID: in.PartnerID}) {
				return allot.Invalid("partner_id", "there is no partner %d to subscribe an endpoint for", in.PartnerID)
			}
		}
		now := s.Ledger.Clock.Now()
		e = Endpoint{PartnerID: in.PartnerID, URL: url, Description: in.Description, Types: types,
			Secrets: []Secret{newSecret(now)}, CreatedAt: now, CreatedBy: p.UserID}
		if err := tx.AddWebhookEndpoint(&e); err != nil {
			return fmt.Errorf("add webhook endpoint: %w", err)
		}
		return s.record(tx, p, "webhook.create", nil, e)
	})
	return e, err
}

// UpdateEndpoint changes endpoint id as c says. Enabling it clears its
// failures and resumes its pending deliveries; the events recorded while it
// was disabled are not delivered to it.
func (s *Service) UpdateEndpoint(ctx context.Context, id int64, c EndpointChange) (Endpoint, error) {
	if err := mayManage(ctx); err != nil {
		return Endpoint{}, err
	}
	var url string
	if c.URL != nil {
		var err error
		if url, err = s.checkURL(ctx, *c.URL); err != nil {
			return Endpoint{}, err
		}
	}
	var types []string
	if c.Types != nil {
		var err error
		if types, err = checkTypes(c.Types); err != nil {
			return Endpoint{}, err
		}
	}
	if c.Description != nil {
		if err := allot.CheckText("description", *c.Description, maxDescription); err != nil {
			return Endpoint{}, err
		}
	}
	var e Endpoint
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		before, err := locked(tx, p, id)
		if err != nil {
			return err
		}
		e = before
		if c.URL != nil {
			e.URL = url
		}
		if c.Types != nil {
			e.Types = types
		}
		if c.Description != nil {
			e.Description = *c.Description
		}
		if c.Enabled != nil && *c.Enabled == e.Disabled {
			e = s.switched(e, p, *c.Enabled)
		}
		if err := tx.UpdateWebhookEndpoint(e); err != nil {
			return fmt.Errorf("update webhook endpoint %d: %w", id, err)
		}
		return s.record(tx, p, "webhook.update", before, e)
	})
	return s.shown(e), err
}

// switched returns e enabled, with its failures forgotten, or disabled by
// p.
func (s *Service) switched(e Endpoint, p allot.Principal, on bool) Endpoint {
	if on {
		e.Disabled, e.DisabledAt, e.DisabledReason, e.FailingSince = false, time.Time{}, "", time.Time{}
		return e
	}
	e.Disabled, e.DisabledAt, e.DisabledReason = true, s.Ledger.Clock.Now(), "Disabled by "+p.Email+"."
	return e
}

// DeleteEndpoint deletes endpoint id with its deliveries.
func (s *Service) DeleteEndpoint(ctx context.Context, id int64) error {
	return allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		e, err := locked(tx, p, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWebhookEndpoint(id); err != nil {
			return fmt.Errorf("delete webhook endpoint %d: %w", id, err)
		}
		return s.record(tx, p, "webhook.delete", e, nil)
	})
}

// RotateSecret gives endpoint id a new current secret. The one it
// replaces keeps signing beside it for SecretOverlap, so each delivery
// meanwhile carries both signatures, never more: any older secret is
// dropped, even one that had not expired yet.
func (s *Service) RotateSecret(ctx context.Context, id int64) (Endpoint, error) {
	var e Endpoint
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		before, err := locked(tx, p, id)
		if err != nil {
			return err
		}
		now := s.Ledger.Clock.Now()
		e = before
		e.Secrets = []Secret{newSecret(now)}
		if len(before.Secrets) > 0 {
			previous := before.Secrets[0] // the current one: newest first
			previous.ExpiresAt = now.Add(SecretOverlap)
			e.Secrets = append(e.Secrets, previous)
		}
		if err := tx.UpdateWebhookEndpoint(e); err != nil {
			return fmt.Errorf("rotate the secret of webhook endpoint %d: %w", id, err)
		}
		return s.record(tx, p, "webhook.rotate", before, e)
	})
	return e, err
}

// shown returns e as it is shown to those who manage it: with the secrets
// that sign now only.
func (s *Service) shown(e Endpoint) Endpoint {
	e.Secrets = e.live(s.Ledger.Clock.Now())
	return e
}

// live returns e's secrets that sign at now, newest first.
func (e Endpoint) live(now time.Time) []Secret {
	var out []Secret
	for _, s := range e.Secrets {
		if s.ExpiresAt.IsZero() || s.ExpiresAt.After(now) {
			out = append(out, s)
		}
	}
	return out
}

// newSecret returns a new secret: "whsec_" and the base64 of 32 random
// bytes, as the Standard Webhooks specification writes them.
func newSecret(now time.Time) Secret {
	b := make([]byte, 32)
	rand.Read(b)
	return Secret{Value: "whsec_" + base64.StdEncoding.EncodeToString(b), CreatedAt: now}
}

// scopeOf returns the endpoints p manages (ActManageWebhooks), or
// EFORBIDDEN when p manages none.
func scopeOf(p allot.Principal) (EndpointFilter, error) {
	if err := p.Must(allot.ActManageWebhooks, p.Home()); err != nil {
		return EndpointFilter{}, err
	}
	if p.Role == allot.RolePartnerManager {
		return EndpointFilter{PartnerID: p.PartnerID}, nil
	}
	return EndpointFilter{All: true}, nil
}

// mayManage refuses, before an address is looked up, a principal who
// manages no endpoint.
func mayManage(ctx context.Context) error {
	p, err := allot.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	_, err = scopeOf(p)
	return err
}

// managed returns endpoint id when p manages it: ENOTFOUND for another
// owner's, as for a missing one.
func managed(tx Tx, p allot.Principal, id int64) (Endpoint, error) {
	return owned(p, id, tx.WebhookEndpoint)
}

// locked returns endpoint id as managed does, locked until the transaction
// ends, for a change that writes it back.
func locked(tx Tx, p allot.Principal, id int64) (Endpoint, error) {
	return owned(p, id, tx.LockWebhookEndpoint)
}

// owned returns endpoint id, read by get, when p manages it: ENOTFOUND
// for another owner's, as for a missing one. Any other error of get is
// returned as it is.
func owned(p allot.Principal, id int64, get func(int64) (Endpoint, error)) (Endpoint, error) {
	if _, err := scopeOf(p); err != nil {
		return Endpoint{}, err
	}
	e, err := get(id)
	if allot.ErrorCode(err) == allot.ENOTFOUND || err == nil && !p.May(allot.ActManageWebhooks, allot.Company{PartnerID: e.PartnerID}) {
		return Endpoint{}, allot.NotFound("webhook endpoint")
	}
	if err != nil {
		return Endpoint{}, fmt.Errorf("read webhook endpoint %d: %w", id, err)
	}
	return e, nil
}

// checkTypes returns names as an endpoint's types, in the order of
// Types, or EINVALID on field types.
func checkTypes(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, allot.Invalid("types", "choose at least one event type to receive")
	}
	var out []string
	for _, t := range Types() {
		if slices.Contains(names, t.Name) {
			out = append(out, t.Name)
		}
	}
	for _, n := range names {
		if !knownType(n) {
			return nil, allot.Invalid("types", "there is no event type %q; the types are those Types lists, such as seat.given", n)
		}
	}
	return out, nil
}

// record records action on endpoint e in the audit log, without its
// secrets, in the log of its owner.
func (s *Service) record(tx Tx, p allot.Principal, action string, before, after any) error {
	for _, v := range []*any{&before, &after} {
		if e, ok := (*v).(Endpoint); ok {
			*v = audited(e)
		}
	}
	var e auditEndpoint
	switch v := after.(type) {
	case auditEndpoint:
		e = v
	default:
		e = before.(auditEndpoint)
	}
	return s.Ledger.Record(tx, p, allot.Company{PartnerID: e.PartnerID}, action, "webhook_endpoint", e.ID, before, after)
}

// auditEndpoint is an endpoint as the audit log keeps it: no secret.
type auditEndpoint struct {
	ID             int64
	PartnerID      int64
	URL            string
	Description    string
	Types          []string
	Disabled       bool
	DisabledReason string `json:",omitempty"`
	SecretCreated  time.Time
}

func audited(e Endpoint) auditEndpoint {
	a := auditEndpoint{ID: e.ID, PartnerID: e.PartnerID, URL: e.URL, Description: e.Description, Types: e.Types,
		Disabled: e.Disabled, DisabledReason: e.DisabledReason}
	if len(e.Secrets) > 0 {
		a.SecretCreated = e.Secrets[0].CreatedAt
	}
	return a
}
