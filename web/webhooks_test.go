package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/webhook"
)

// receiver is an endpoint's receiver on 127.0.0.1: it thanks for what is
// posted to /ok, and answers 410 Gone at /gone.
func receiver(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/gone" {
			http.Error(w, "this hook is no more", http.StatusGone)
			return
		}
		io.WriteString(w, "thanks")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// dispatch fans out every event recorded so far and sends every delivery
// due, until none is pending, as the server's background work does. On
// PostgreSQL the fan-out reads an event once no transaction that began
// before it still runs anywhere on the server, which other tests may delay
// for a moment: it is asked again, within a bound.
func (s *site) dispatch(t *testing.T) {
	t.Helper()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	events, err := s.svc.Events(sys, allot.EventFilter{Limit: 1})
	if err != nil || len(events) == 0 {
		t.Fatalf("the newest event: %v %v", events, err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := s.webhooks.DispatchOnce(sys); err != nil {
			t.Fatal(err)
		}
		var cursor webhook.Cursor
		err := s.webhooks.Store.Write(sys, func(tx webhook.Tx) (err error) { cursor, err = tx.LockWebhookCursor(); return err })
		pending, err2 := s.webhooks.Deliveries(sys, webhook.DeliveryFilter{Status: webhook.DeliveryPending, Limit: 1})
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		if cursor.EventID >= events[0].ID && len(pending) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fan-out stands at %+v, the newest event is %d; %d deliveries pending", cursor, events[0].ID, len(pending))
		}
	}
}

// TestWebhooksPages subscribes an endpoint as Channel One's manager, with
// its fields' errors tied to them; finds its deliveries, delivered, with
// their attempts and payload, replays one, rotates the secret, disables,
// enables and deletes it; the vendor admin's endpoint that answers 410 is
// shown disabled with why, and its delivery is not replayed until it is
// enabled. Nobody else finds another's endpoint or delivery.
func TestWebhooksPages(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		s.webhooks.AllowLoopback = true
		hooks := receiver(t)
		pm, admin := s.signIn(t, "pm@channel.test"), s.signIn(t, "admin@vendor.test")
		for who, c := range map[string]*client{"pm": pm, "admin": admin} {
			_, body := c.get("/")
			expect(t, who+"'s menu", body, []string{`<a href="/webhooks">Webhooks</a>`}, nil)
		}
		for _, who := range []string{"cm@acme.test", "am@vendor.test"} {
			c := s.signIn(t, who)
			_, body := c.get("/")
			expect(t, who+"'s menu", body, nil, []string{`href="/webhooks"`})
			if res, _ := c.get("/webhooks"); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s's webhooks: status %d, want 403", who, res.StatusCode)
			}
		}

		_, body := pm.get("/webhooks")
		expect(t, "none yet", body, []string{"No endpoint yet"}, nil)
		_, body = pm.get("/webhooks/new")
		expect(t, "the form", body, []string{`name="type" value="seat.given"`, "A learner was given a seat", `name="type" value="order.assigned"`},
			[]string{`name="partner_id"`})
		_, body = admin.get("/webhooks/new")
		expect(t, "the vendor admin's form", body, []string{`name="partner_id"`, `<option value="" selected>The vendor: every customer's events</option>`,
			`>Channel One: its customers' events</option>`}, nil)

		for _, tt := range []struct {
			name, field, message string
			form                 url.Values
		}{
			{"a private address", "url", "a private address", url.Values{"url": {"https://10.0.0.5/hook"}, "type": {"seat.given"}}},
			{"no type", "types", "choose at least one event type", url.Values{"url": {hooks.URL + "/ok"}}},
		} {
			res, body := pm.post("/webhooks", tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tt.name, res.StatusCode)
			}
			expect(t, tt.name, body, []string{`<p class="field-error" id="` + tt.field + `-error">`, tt.message}, nil)
			tied := regexp.MustCompile(`(name="` + tt.field + `"|<fieldset class="stack webhook-types")[^>]*aria-invalid="true" aria-describedby="[^"]*` + tt.field + `-error"`)
			if !tied.MatchString(body) {
				t.Errorf("%s: the field %s is not tied to its error\n%s", tt.name, tt.field, body)
			}
			if tt.form.Has("type") {
				expect(t, tt.name+": the types ticked stay", body, []string{`value="seat.given" checked`}, nil)
			}
		}

		_, body = pm.post("/webhooks", url.Values{"url": {hooks.URL + "/ok"}, "description": {"Channel One's CRM"}, "type": {"seat.given"}})
		expect(t, "subscribed", body, []string{"The endpoint is subscribed", "<h1 class=\"webhook-url\">" + hooks.URL + "/ok</h1>",
			"Channel One's customers", `<code class="secret">whsec_`, "Enabled</span>", "Nothing has been sent to this endpoint yet"}, nil)
		endpoint := regexp.MustCompile(`action="/webhooks/(\d+)/rotate"`).FindStringSubmatch(body)
		if endpoint == nil {
			t.Fatalf("no endpoint's page\n%s", body)
		}
		page := "/webhooks/" + endpoint[1]
		secret := regexp.MustCompile(`<code class="secret">(whsec_[^<]+)</code>`).FindStringSubmatch(body)[1]

		// The world's seats of Acme and Beta are given: Channel One's.
		s.dispatch(t)
		_, body = pm.get(page)
		expect(t, "delivered", body, []string{"Delivered (", `<span class="badge delivered">Delivered</span>`, "<code>seat.given</code>"},
			[]string{"Nothing has been sent"})
		if n := count(body, `<span class="badge delivered">`); n < 2 {
			t.Errorf("%d deliveries listed, want Acme's and Beta's seats at least\n%s", n, body)
		}
		delivery := regexp.MustCompile(`href="/webhooks/deliveries/(\d+)"`).FindStringSubmatch(body)[1]
		_, body = pm.get(page + "?status=failed")
		expect(t, "none failed", body, []string{"Failed (0)", "No delivery is failed."}, nil)
		if res, body := pm.get(page + "?status=lost"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "status=") {
			t.Errorf("a status that is none: %d\n%s", res.StatusCode, body)
		}

		_, body = pm.get("/webhooks/deliveries/" + delivery)
		expect(t, "a delivery", body, []string{"Delivery of <code>seat.given</code>", "<code>msg_", "<td>200", `<pre class="webhook-response">thanks</pre>`,
			`"type": "seat.given"`, `"action": "seat.allocate"`, `action="/webhooks/deliveries/` + delivery + `/replay"`}, nil)
		_, body = pm.post("/webhooks/deliveries/"+delivery+"/replay", nil)
		expect(t, "replayed", body, []string{"The delivery is sent again now, with the same webhook-id.", `<span class="badge pending">Pending</span>`}, nil)
		s.dispatch(t)
		_, body = pm.get("/webhooks/deliveries/" + delivery)
		if n := count(body, `<pre class="webhook-response">thanks</pre>`); n != 2 {
			t.Errorf("%d attempts after the replay, want 2\n%s", n, body)
		}

		_, body = pm.post(page+"/rotate", nil)
		expect(t, "rotated", body, []string{"The endpoint has a new secret", "The previous secret <code class=\"secret\">" + secret + "</code> signs too until"}, nil)
		_, body = pm.post(page+"/disable", nil)
		expect(t, "disabled", body, []string{"The endpoint is disabled", "Disabled</span> Disabled by pm@channel.test.", `action="` + page + `/enable"`}, nil)
		_, body = pm.post(page+"/enable", nil)
		expect(t, "enabled", body, []string{"The endpoint is enabled", "The events recorded while it was disabled are not delivered", "Enabled</span>"}, nil)

		// The vendor admin's endpoint is gone: it is disabled, and its
		// delivery waits for it to be enabled to be replayed.
		_, body = admin.post("/webhooks", url.Values{"url": {hooks.URL + "/gone"}, "type": {"order.requested"}})
		gone := regexp.MustCompile(`action="/webhooks/(\d+)/rotate"`).FindStringSubmatch(body)[1]
		s.w.NewOrder(t, s.w.Acme.Company)
		s.dispatch(t)
		_, body = admin.get("/webhooks")
		expect(t, "the vendor admin's list", body, []string{"2 endpoints: 1 enabled, 1 disabled.", `<span class="badge disabled">Disabled</span>`,
			"It answered 410 Gone", "Every customer", "Channel One's customers"}, nil)
		_, body = admin.get("/webhooks/" + gone + "?status=failed")
		expect(t, "its failed delivery", body, []string{"Failed (1)", "410", "<code>order.requested</code>"}, nil)
		failed := regexp.MustCompile(`href="/webhooks/deliveries/(\d+)"`).FindStringSubmatch(body)[1]
		_, body = admin.get("/webhooks/deliveries/" + failed)
		expect(t, "its attempt", body, []string{"<td>410", "this hook is no more", "Its endpoint is disabled: enable it to replay its deliveries."}, nil)
		if res, body := admin.post("/webhooks/deliveries/"+failed+"/replay", nil); res.StatusCode != http.StatusConflict ||
			!strings.Contains(body, "enable it to replay") {
			t.Errorf("a replay while the endpoint is disabled: %d\n%s", res.StatusCode, body)
		}

		pm2 := s.signIn(t, "pm2@channel2.test")
		for _, path := range []string{page, "/webhooks/deliveries/" + delivery} {
			if res, _ := pm2.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("Channel Two's manager opens %s: status %d, want 404", path, res.StatusCode)
			}
		}
		for _, path := range []string{"/webhooks/" + gone, "/webhooks/deliveries/" + failed} {
			if res, _ := pm.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("Channel One's manager opens the vendor's %s: status %d, want 404", path, res.StatusCode)
			}
		}
		if res, _ := pm2.post(page+"/delete", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("Channel Two's manager deletes Channel One's endpoint: status %d, want 404", res.StatusCode)
		}
		_, body = pm.post(page+"/delete", nil)
		expect(t, "deleted", body, []string{"The endpoint is deleted", "No endpoint yet"}, nil)
	})
}
