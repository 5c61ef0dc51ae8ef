package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/webhook"
)

var webhookTests = []test{
	{"Cursor", testWebhookCursor},
	{"FanOutOnce", testWebhookFanOutOnce},
	{"ClaimAndLease", testWebhookClaim},
	{"Isolation", testWebhookIsolation},
	{"DeleteWhileEnqueuing", testWebhookDeleteWhileEnqueuing},
}

// endpoint adds an endpoint of partner partnerID to s.
func endpoint(t *testing.T, s webhook.Store, partnerID int64, disabled bool) webhook.Endpoint {
	t.Helper()
	e := webhook.Endpoint{PartnerID: partnerID, URL: "https://hooks.example/" + fmt.Sprint(partnerID), Types: []string{"seat.given"},
		Secrets: []webhook.Secret{{Value: "whsec_c2VjcmV0", CreatedAt: t0}}, Disabled: disabled, CreatedAt: t0}
	write(t, s, func(tx webhook.Tx) error { return tx.AddWebhookEndpoint(&e) })
	return e
}

// event records an event of company c in s.
func event(t *testing.T, s allot.Store, c allot.Company, action string) allot.Event {
	t.Helper()
	e := allot.Event{At: t0, CompanyID: c.ID, PartnerID: c.PartnerID, Action: action, SubjectType: "seat", SubjectID: 1}
	write(t, s, func(tx allot.Tx) error { return tx.AddEvent(&e) })
	return e
}

// fanOut does one step of the fan-out as the service does: under the
// cursor's lock, it reads up to n events after it, enqueues one delivery
// of each to endpoint, and moves the cursor on. It returns the events it
// read and the deliveries that were new.
func fanOut(s webhook.Store, endpoint int64, n int, t *testing.T) ([]allot.Event, int, error) {
	var (
		events []allot.Event
		added  int
	)
	err := s.Write(t.Context(), func(tx webhook.Tx) error {
		c, err := tx.LockWebhookCursor()
		if err != nil {
			return err
		}
		evs, last, err := tx.EventsAfter(c, n)
		if err != nil || len(evs) == 0 {
			return err
		}
		var ds []webhook.NewDelivery
		for _, e := range evs {
			ds = append(ds, webhook.NewDelivery{EndpointID: endpoint, EventID: e.ID, MessageID: fmt.Sprintf("msg_%d", e.ID),
				Type: "seat.given", Payload: []byte(`{}`), At: t0})
		}
		if added, err = tx.AddDeliveries(ds); err != nil {
			return err
		}
		events = evs
		return tx.SetWebhookCursor(last)
	})
	return events, added, err
}

// horizonWait bounds how long a test waits for the fan-out to see an
// event: on PostgreSQL it waits for every older transaction of the server
// to end, those of other tests and benchmarks among them, which may load
// a large ledger in one transaction.
const horizonWait = 3 * time.Minute

// visible waits until the fan-out may read n events, within horizonWait.
func visible(t *testing.T, s webhook.Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(horizonWait); ; time.Sleep(10 * time.Millisecond) {
		evs := read(t, s, func(tx webhook.Tx) ([]allot.Event, error) {
			evs, _, err := tx.EventsAfter(webhook.Cursor{}, n+1)
			return evs, err
		})
		if len(evs) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fan-out sees %d of %d events after %s", len(evs), n, horizonWait)
		}
	}
}

func testWebhookCursor(t *testing.T, s Stores) {
	w := seed(t, s)
	e := endpoint(t, s.Webhook(), 0, false)
	var ids []int64
	for range 5 {
		ids = append(ids, event(t, s, w.acme, "seat.allocate").ID)
	}
	visible(t, s.Webhook(), len(ids))
	got, added, err := fanOut(s.Webhook(), e.ID, 3, t)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "the first three events", got, eventID, ids[:3]...)
	same(t, "deliveries added", added, 3)
	got, added, err = fanOut(s.Webhook(), e.ID, 3, t)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "the rest, after the cursor", got, eventID, ids[3:]...)
	same(t, "deliveries added", added, 2)
	got, _, err = fanOut(s.Webhook(), e.ID, 3, t)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "nothing after the last", got, eventID)
	// Enqueued once: the same (endpoint, event) again adds nothing.
	err = writeErr(t, s.Webhook(), func(tx webhook.Tx) error {
		added, err := tx.AddDeliveries([]webhook.NewDelivery{{EndpointID: e.ID, EventID: ids[0], MessageID: "msg_again", Type: "seat.given",
			Payload: []byte(`{}`), At: t0}})
		same(t, "a delivery enqueued again", added, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testWebhookFanOutOnce writes events from several goroutines, each in a
// transaction that waits a little before committing (on PostgreSQL their
// IDs commit out of order), while several fan-outs run: every event is
// read by exactly one fan-out, and none is passed over.
func testWebhookFanOutOnce(t *testing.T, s Stores) {
	w := seed(t, s)
	e := endpoint(t, s.Webhook(), 0, false)
	const writers, each = 4, 25
	var (
		wg, fans sync.WaitGroup
		written  atomic.Int64
		done     atomic.Bool
		mu       sync.Mutex
		read     = map[int64]int{}
		added    atomic.Int64
	)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				err := s.Write(t.Context(), func(tx allot.Tx) error {
					ev := allot.Event{At: t0, CompanyID: w.acme.ID, PartnerID: w.partner.ID, Action: "seat.allocate", SubjectType: "seat",
						SubjectID: int64(i*each + j)}
					if err := tx.AddEvent(&ev); err != nil {
						return err
					}
					time.Sleep(time.Duration(j%3) * time.Millisecond)
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
			}
		}()
	}
	for range 3 {
		fans.Add(1)
		go func() {
			defer fans.Done()
			for deadline := time.Now().Add(horizonWait); time.Now().Before(deadline); {
				evs, n, err := fanOut(s.Webhook(), e.ID, 7, t)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, ev := range evs {
					read[ev.ID]++
				}
				total := len(read)
				mu.Unlock()
				added.Add(int64(n))
				if done.Load() && total == writers*each {
					return
				}
				if len(evs) == 0 {
					time.Sleep(2 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	done.Store(true)
	fans.Wait()
	same(t, "events written", written.Load(), writers*each)
	same(t, "events read", len(read), writers*each)
	for id, n := range read {
		if n != 1 {
			t.Errorf("event %d was read by %d fan-outs, want 1", id, n)
		}
	}
	same(t, "deliveries enqueued", added.Load(), writers*each)
}

func testWebhookClaim(t *testing.T, s Stores) {
	w := seed(t, s)
	on, off := endpoint(t, s.Webhook(), 0, false), endpoint(t, s.Webhook(), 0, true)
	var ds []webhook.NewDelivery
	for i := range 3 {
		ev := event(t, s, w.acme, "seat.allocate")
		ds = append(ds, webhook.NewDelivery{EndpointID: on.ID, EventID: ev.ID, MessageID: fmt.Sprint("msg_on", i), Type: "seat.given",
			Payload: []byte(`{"n":1}`), At: t0.Add(time.Duration(i) * time.Second)})
		ds = append(ds, webhook.NewDelivery{EndpointID: off.ID, EventID: ev.ID, MessageID: fmt.Sprint("msg_off", i), Type: "seat.given",
			Payload: []byte(`{}`), At: t0})
	}
	write(t, s.Webhook(), func(tx webhook.Tx) error { _, err := tx.AddDeliveries(ds); return err })
	var first, second, late []webhook.Claim
	lease := time.Minute
	write(t, s.Webhook(), func(tx webhook.Tx) (err error) {
		first, err = tx.ClaimDeliveries(t0.Add(time.Second), lease, 5)
		return err
	})
	if len(first) != 2 || first[0].MessageID != "msg_on0" || first[0].Attempts != 1 || first[0].Round != 1 || string(first[0].Payload) != `{"n":1}` {
		t.Fatalf("the first claim %+v, want the two due deliveries of the enabled endpoint, first attempt", first)
	}
	write(t, s.Webhook(), func(tx webhook.Tx) (err error) {
		second, err = tx.ClaimDeliveries(t0.Add(2*time.Second), lease, 5)
		return err
	})
	if len(second) != 1 || second[0].MessageID != "msg_on2" {
		t.Errorf("a claim during the lease took %+v, want only the third, due now", second)
	}
	write(t, s.Webhook(), func(tx webhook.Tx) (err error) {
		late, err = tx.ClaimDeliveries(t0.Add(time.Second+lease), lease, 5)
		return err
	})
	if len(late) != 2 || late[0].ID != first[0].ID || late[0].Attempts != 2 || late[0].MessageID != "msg_on0" {
		t.Errorf("after the lease ran out the claim took %+v, want the first two again, same webhook-id, second attempt", late)
	}
	now := t0.Add(time.Second + lease)
	done := webhook.Delivery{Status: webhook.DeliveryDelivered, LastStatus: 200, DeliveredAt: now}
	err := writeErr(t, s.Webhook(), func(tx webhook.Tx) error {
		return tx.FinishAttempt(first[0], webhook.Attempt{N: 1, At: now, Status: 200}, done)
	})
	wantCode(t, "finishing a lost claim", err, allot.ECONFLICT)
	write(t, s.Webhook(), func(tx webhook.Tx) error {
		return tx.FinishAttempt(late[0], webhook.Attempt{N: 2, At: now, Status: 200, Duration: time.Millisecond, Response: "ok"}, done)
	})
	got := read(t, s.Webhook(), func(tx webhook.Tx) (webhook.Delivery, error) {
		d, _, err := tx.WebhookDelivery(late[0].ID)
		return d, err
	})
	if got.Status != webhook.DeliveryDelivered || got.Attempts != 2 || !got.DeliveredAt.Equal(now) {
		t.Errorf("the finished delivery %+v", got)
	}
	attempts := read(t, s.Webhook(), func(tx webhook.Tx) ([]webhook.Attempt, error) { return tx.WebhookAttempts(late[0].ID) })
	if len(attempts) != 1 || attempts[0].N != 2 || attempts[0].Response != "ok" || attempts[0].Duration != time.Millisecond {
		t.Errorf("attempts %+v", attempts)
	}
	write(t, s.Webhook(), func(tx webhook.Tx) error { return tx.ReplayDelivery(late[0].ID, now) })
	var replayed []webhook.Claim
	write(t, s.Webhook(), func(tx webhook.Tx) (err error) {
		replayed, err = tx.ClaimDeliveries(now, lease, 1)
		return err
	})
	if len(replayed) != 1 || replayed[0].ID != late[0].ID || replayed[0].Round != 1 || replayed[0].Attempts != 3 {
		t.Errorf("the replayed delivery is claimed as %+v, want its third attempt, the first of a new round", replayed)
	}
}

func testWebhookIsolation(t *testing.T, s Stores) {
	w := seed(t, s)
	var other allot.Partner
	write(t, s, func(tx allot.Tx) error {
		other = allot.Partner{Name: "Channel Two", CreatedAt: t0}
		return tx.CreatePartner(&other)
	})
	vendor, mine, theirs := endpoint(t, s.Webhook(), 0, false), endpoint(t, s.Webhook(), w.partner.ID, false), endpoint(t, s.Webhook(), other.ID, false)
	ev := event(t, s, w.acme, "seat.allocate")
	write(t, s.Webhook(), func(tx webhook.Tx) error {
		var ds []webhook.NewDelivery
		for _, e := range []webhook.Endpoint{vendor, mine, theirs} {
			ds = append(ds, webhook.NewDelivery{EndpointID: e.ID, EventID: ev.ID, MessageID: fmt.Sprint("msg_", e.ID), Type: "seat.given",
				Payload: []byte(`{}`), At: t0})
		}
		_, err := tx.AddDeliveries(ds)
		return err
	})
	id := func(e webhook.Endpoint) int64 { return e.ID }
	all := read(t, s.Webhook(), func(tx webhook.Tx) ([]webhook.Endpoint, error) {
		return tx.WebhookEndpoints(webhook.EndpointFilter{All: true})
	})
	sameIDs(t, "every endpoint", all, id, vendor.ID, mine.ID, theirs.ID)
	own := read(t, s.Webhook(), func(tx webhook.Tx) ([]webhook.Endpoint, error) {
		return tx.WebhookEndpoints(webhook.EndpointFilter{PartnerID: w.partner.ID})
	})
	sameIDs(t, "the partner's endpoints", own, id, mine.ID)
	vendors := read(t, s.Webhook(), func(tx webhook.Tx) ([]webhook.Endpoint, error) {
		return tx.WebhookEndpoints(webhook.EndpointFilter{})
	})
	sameIDs(t, "the vendor's endpoints", vendors, id, vendor.ID)
	ds := read(t, s.Webhook(), func(tx webhook.Tx) ([]webhook.Delivery, error) {
		return tx.WebhookDeliveries(webhook.EndpointFilter{PartnerID: other.ID}, webhook.DeliveryFilter{Limit: 10})
	})
	if len(ds) != 1 || ds[0].EndpointID != theirs.ID {
		t.Errorf("the other partner's deliveries %+v, want only its endpoint's", ds)
	}
	write(t, s.Webhook(), func(tx webhook.Tx) error { return tx.DeleteWebhookEndpoint(mine.ID) })
	ds = read(t, s.Webhook(), func(tx webhook.Tx) ([]webhook.Delivery, error) {
		return tx.WebhookDeliveries(webhook.EndpointFilter{All: true}, webhook.DeliveryFilter{Limit: 10})
	})
	if len(ds) != 2 {
		t.Errorf("after deleting an endpoint, %d deliveries remain, want the other two", len(ds))
	}
}

// testWebhookDeleteWhileEnqueuing deletes an endpoint while another
// transaction enqueues a delivery to it: the delete waits for that
// transaction and takes the new delivery with it, instead of failing on
// the delivery's foreign key.
func testWebhookDeleteWhileEnqueuing(t *testing.T, s Stores) {
	w := seed(t, s)
	e := endpoint(t, s.Webhook(), 0, false)
	ev := event(t, s, w.acme, "seat.allocate")
	var once sync.Once
	enqueued, release, added := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		added <- s.Webhook().Write(t.Context(), func(tx webhook.Tx) error {
			_, err := tx.AddDeliveries([]webhook.NewDelivery{{EndpointID: e.ID, EventID: ev.ID, MessageID: "msg_late", Type: "seat.given",
				Payload: []byte(`{}`), At: t0}})
			once.Do(func() { close(enqueued) })
			<-release
			return err
		})
	}()
	<-enqueued
	deleted := make(chan error, 1)
	go func() {
		deleted <- s.Webhook().Write(t.Context(), func(tx webhook.Tx) error { return tx.DeleteWebhookEndpoint(e.ID) })
	}()
	time.Sleep(200 * time.Millisecond) // time for the delete to wait on the enqueuing transaction
	close(release)
	if err := <-added; err != nil {
		t.Fatal(err)
	}
	if err := <-deleted; err != nil {
		t.Fatalf("deleting the endpoint while a delivery to it was enqueued: %v", err)
	}
	left := read(t, s.Webhook(), func(tx webhook.Tx) ([]webhook.Delivery, error) {
		return tx.WebhookDeliveries(webhook.EndpointFilter{All: true}, webhook.DeliveryFilter{EndpointID: e.ID})
	})
	same(t, "deliveries left of the deleted endpoint", len(left), 0)
}
