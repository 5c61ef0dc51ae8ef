package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/demo"
	"allot/storetest"
	"allot/webhook"
)

// TestWebhooks checks the demo's endpoints: the vendor's has its
// deliveries delivered; Northwind's was disabled by a 410, its deliveries
// delivered but the replayed one, whose attempts are the 200 then the 410.
func TestWebhooks(t *testing.T) {
	ctx := allot.WithPrincipal(context.Background(), allot.System)
	db := storetest.Backends[0].Open(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, db, now, allot.PasswordParams{Time: 1, Memory: 64, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	hooks := &webhook.Service{Ledger: allot.NewService(db, allot.NewManualClock(now), nil), Store: db.Webhook()}
	es, err := hooks.Endpoints(ctx)
	if err != nil || len(es) != 2 {
		t.Fatalf("endpoints %+v: %v", es, err)
	}
	vendor, north := es[0], es[1]
	if vendor.PartnerID != 0 || vendor.Disabled || !vendor.FailingSince.IsZero() {
		t.Errorf("the vendor's endpoint is not well: %+v", vendor)
	}
	if north.PartnerID == 0 || !north.Disabled || !strings.Contains(north.DisabledReason, "410 Gone") {
		t.Errorf("Northwind's endpoint is not disabled by a 410: %+v", north)
	}
	statuses := func(e webhook.Endpoint) map[webhook.DeliveryStatus][]webhook.Delivery {
		ds, err := hooks.Deliveries(ctx, webhook.DeliveryFilter{EndpointID: e.ID, Limit: allot.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		out := map[webhook.DeliveryStatus][]webhook.Delivery{}
		for _, d := range ds {
			out[d.Status] = append(out[d.Status], d)
		}
		return out
	}
	if got := statuses(vendor); len(got[webhook.DeliveryDelivered]) < 10 || len(got) != 1 {
		t.Errorf("the vendor's deliveries: %+v", got)
	}
	got := statuses(north)
	if len(got[webhook.DeliveryDelivered]) == 0 || len(got[webhook.DeliveryFailed]) != 1 || len(got[webhook.DeliveryPending]) != 0 {
		t.Fatalf("Northwind's deliveries: %+v", got)
	}
	d, err := hooks.Delivery(ctx, got[webhook.DeliveryFailed][0].ID)
	if err != nil || len(d.Attempts) != 2 || d.Attempts[0].Status != 410 || d.Attempts[1].Status != 200 {
		t.Errorf("the replayed delivery's attempts: %+v: %v", d.Attempts, err)
	}
}
