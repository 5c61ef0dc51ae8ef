package webhook_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/webhook"
	"allot/world"
)

// public is an address outside every refused network: a documentation
// range, never connected to by these tests.
const public = "https://203.0.113.10/hooks"

// setup returns a world with a webhook service over its store.
func setup(t *testing.T, b storetest.Backend) (*world.World, *webhook.Service) {
	t.Helper()
	w := world.New(t, b)
	return w, &webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook(), AllowLoopback: true}
}

// TestEndpoints subscribes, changes, rotates and deletes endpoints as the
// vendor admin and partner managers: each partner manager sees and changes
// only their partner's, and the audit log records every change without a
// secret.
func TestEndpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w, s := setup(t, b)
		admin, pm, pm2 := w.Ctx(t, "admin"), w.Ctx(t, "pm"), w.Ctx(t, "pm2")
		vendor := world.Must(s.CreateEndpoint(admin, webhook.NewEndpoint{URL: public, Types: []string{"seat.given", "order.assigned"}}))(t)
		mine := world.Must(s.CreateEndpoint(pm, webhook.NewEndpoint{PartnerID: 999, URL: public, Description: "CRM",
			Types: []string{"user.added"}}))(t)
		if mine.PartnerID != w.Partner.ID {
			t.Errorf("a partner manager's endpoint belongs to partner %d, want theirs, %d", mine.PartnerID, w.Partner.ID)
		}
		if len(vendor.Secrets) != 1 || !strings.HasPrefix(vendor.Secrets[0].Value, "whsec_") || len(vendor.Secrets[0].Value) != 6+44 {
			t.Errorf("a new endpoint's secrets are %+v, want one whsec_ and base64 of 32 bytes", vendor.Secrets)
		}
		if got := vendor.Types; strings.Join(got, " ") != "order.assigned seat.given" {
			t.Errorf("types %v, want them in the order of Types", got)
		}
		all := world.Must(s.Endpoints(admin))(t)
		if len(all) != 2 {
			t.Errorf("the vendor admin sees %d endpoints, want 2", len(all))
		}
		if got := world.Must(s.Endpoints(pm))(t); len(got) != 1 || got[0].ID != mine.ID {
			t.Errorf("the partner manager sees %+v, want their one endpoint", got)
		}
		if got := world.Must(s.Endpoints(pm2))(t); len(got) != 0 {
			t.Errorf("another partner's manager sees %+v, want none", got)
		}
		for _, id := range []int64{vendor.ID, mine.ID, 9999} {
			_, err := s.Endpoint(pm2, id)
			world.WantError(t, err, allot.ENOTFOUND, "")
			_, err = s.RotateSecret(pm2, id)
			world.WantError(t, err, allot.ENOTFOUND, "")
			world.WantError(t, s.DeleteEndpoint(pm2, id), allot.ENOTFOUND, "")
		}
		_, err := s.Endpoints(w.Ctx(t, "am"))
		world.WantError(t, err, allot.EFORBIDDEN, "")

		desc, off := "CRM, live", false
		changed := world.Must(s.UpdateEndpoint(pm, mine.ID, webhook.EndpointChange{Description: &desc, Enabled: &off,
			Types: []string{"user.added", "user.removed"}}))(t)
		if !changed.Disabled || changed.Description != desc || len(changed.Types) != 2 || changed.URL != public {
			t.Errorf("changed endpoint %+v", changed)
		}
		w.Clock.Advance(time.Hour)
		rotated := world.Must(s.RotateSecret(pm, mine.ID))(t)
		if len(rotated.Secrets) != 2 || rotated.Secrets[1].Value != mine.Secrets[0].Value ||
			!rotated.Secrets[1].ExpiresAt.Equal(w.Clock.Now().Add(webhook.SecretOverlap)) || !rotated.Secrets[0].ExpiresAt.IsZero() {
			t.Errorf("rotated secrets %+v, want the new one then the old one for a day", rotated.Secrets)
		}
		w.Clock.Advance(25 * time.Hour)
		again := world.Must(s.RotateSecret(pm, mine.ID))(t)
		if len(again.Secrets) != 2 || again.Secrets[1].Value != rotated.Secrets[0].Value {
			t.Errorf("a second rotation keeps %+v, want the new one and the last one, the expired one dropped", again.Secrets)
		}
		if err := s.DeleteEndpoint(pm, mine.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Endpoint(admin, mine.ID)
		world.WantError(t, err, allot.ENOTFOUND, "")

		events := world.Must(w.Svc.Events(admin, allot.EventFilter{PartnerID: w.Partner.ID, Limit: 20}))(t)
		var actions []string
		for _, e := range events {
			if strings.HasPrefix(e.Action, "webhook.") {
				actions = append(actions, e.Action)
				if strings.Contains(e.Before+e.After, "whsec_") {
					t.Errorf("%s records a secret: %s %s", e.Action, e.Before, e.After)
				}
			}
		}
		if got := strings.Join(actions, " "); got != "webhook.delete webhook.rotate webhook.rotate webhook.update webhook.create" {
			t.Errorf("the partner's audit log records %s", got)
		}
	})
}

// TestEndpointFields refuses what an endpoint may not be, naming the
// field.
func TestEndpointFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w, s := setup(t, b)
		admin := w.Ctx(t, "admin")
		tests := []struct {
			name  string
			in    webhook.NewEndpoint
			field string
		}{
			{"no url", webhook.NewEndpoint{Types: []string{"seat.given"}}, "url"},
			{"not a url", webhook.NewEndpoint{URL: "hooks", Types: []string{"seat.given"}}, "url"},
			{"ftp", webhook.NewEndpoint{URL: "ftp://203.0.113.10/x", Types: []string{"seat.given"}}, "url"},
			{"http elsewhere", webhook.NewEndpoint{URL: "http://203.0.113.10/x", Types: []string{"seat.given"}}, "url"},
			{"credentials", webhook.NewEndpoint{URL: "https://a:b@203.0.113.10/x", Types: []string{"seat.given"}}, "url"},
			{"no types", webhook.NewEndpoint{URL: public}, "types"},
			{"unknown type", webhook.NewEndpoint{URL: public, Types: []string{"seat.given", "seat.stolen"}}, "types"},
			{"long description", webhook.NewEndpoint{URL: public, Types: []string{"seat.given"}, Description: strings.Repeat("d", 201)}, "description"},
			{"unknown partner", webhook.NewEndpoint{PartnerID: 999, URL: public, Types: []string{"seat.given"}}, "partner_id"},
		}
		for _, tt := range tests {
			_, err := s.CreateEndpoint(admin, tt.in)
			world.WantError(t, err, allot.EINVALID, tt.field)
			if msg := allot.ErrorMessage(err); len(msg) < 20 {
				t.Errorf("%s: the error says only %q", tt.name, msg)
			}
		}
	})
}

// TestRotation keeps two secrets at most, the new one and the one it
// replaced, so that a delivery never carries more than two signatures;
// shows only the secrets that still sign; and two rotations at once
// follow one another, neither losing the secret the other showed.
func TestRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w, s := setup(t, b)
		admin := w.Ctx(t, "admin")
		e := world.Must(s.CreateEndpoint(admin, webhook.NewEndpoint{URL: public, Types: []string{"seat.given"}}))(t)
		first := world.Must(s.RotateSecret(admin, e.ID))(t)
		second := world.Must(s.RotateSecret(admin, e.ID))(t)
		if got := values(second.Secrets); len(got) != 2 || got[1] != first.Secrets[0].Value {
			t.Errorf("two rotations within the overlap keep %d secrets, want the new one and the one it replaced", len(got))
		}
		w.Clock.Advance(webhook.SecretOverlap + time.Second)
		for _, got := range []webhook.Endpoint{world.Must(s.Endpoint(admin, e.ID))(t), world.Must(s.Endpoints(admin))(t)[0]} {
			if len(got.Secrets) != 1 || got.Secrets[0].Value != second.Secrets[0].Value {
				t.Errorf("after the overlap the endpoint shows %d secrets, want only the current one", len(got.Secrets))
			}
		}
		for range 5 {
			var (
				wg      sync.WaitGroup
				rotated [2]webhook.Endpoint
				errs    [2]error
			)
			for i := range rotated {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rotated[i], errs[i] = s.RotateSecret(admin, e.ID)
				}()
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatal(errs)
			}
			got := values(world.Must(s.Endpoint(admin, e.ID))(t).Secrets)
			slices.Sort(got)
			want := []string{rotated[0].Secrets[0].Value, rotated[1].Secrets[0].Value}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("after two rotations at once the endpoint keeps %d secrets, not both new ones: one was lost", len(got))
			}
		}
	})
}

// errUnreadable is the error of an endpoints table that cannot be read.
var errUnreadable = errors.New("the endpoints cannot be read")

// unreadable is a store whose endpoints cannot be read, one at a time, as
// when the database fails.
type unreadable struct{ webhook.Store }

func (s unreadable) Read(ctx context.Context, fn func(webhook.Tx) error) error {
	return s.Store.Read(ctx, func(tx webhook.Tx) error { return fn(unreadableTx{tx}) })
}

func (s unreadable) Write(ctx context.Context, fn func(webhook.Tx) error) error {
	return s.Store.Write(ctx, func(tx webhook.Tx) error { return fn(unreadableTx{tx}) })
}

type unreadableTx struct{ webhook.Tx }

func (unreadableTx) WebhookEndpoint(int64) (webhook.Endpoint, error) {
	return webhook.Endpoint{}, errUnreadable
}

func (unreadableTx) LockWebhookEndpoint(int64) (webhook.Endpoint, error) {
	return webhook.Endpoint{}, errUnreadable
}

// TestEndpointUnreadable returns the store's error when an endpoint cannot
// be read, not a "not found" that would hide the failure.
func TestEndpointUnreadable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w, s := setup(t, b)
		admin := w.Ctx(t, "admin")
		e := world.Must(s.CreateEndpoint(admin, webhook.NewEndpoint{URL: public, Types: []string{"seat.given"}}))(t)
		s.Store = unreadable{s.Store}
		_, err := s.Endpoint(admin, e.ID)
		if !errors.Is(err, errUnreadable) || allot.ErrorCode(err) == allot.ENOTFOUND {
			t.Errorf("reading an endpoint the store fails on: %v, want the store's error", err)
		}
		_, err = s.RotateSecret(admin, e.ID)
		if !errors.Is(err, errUnreadable) {
			t.Errorf("rotating an endpoint the store fails on: %v, want the store's error", err)
		}
	})
}
