package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/webhook"
)

// The endpoints' addresses of these tests are of TEST-NET-3 (RFC 5737):
// public addresses, so subscribing them needs no name resolved, and
// nothing is ever sent to them here.

// TestWebhookEndpoints subscribes endpoints through the API as the vendor
// admin and partners' managers: each manager reads and changes their own
// partner's only, the vendor admin every one; an address inside the
// network, a missing partner or an unknown type is refused naming its
// field; nobody else manages webhooks.
func TestWebhookEndpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		e := newEnv(t, b)
		post := func(who, body string) request {
			return request{who: who, method: "POST", path: "/v1/webhooks", body: body}
		}
		get := func(who, path string) request { return request{who: who, method: "GET", path: path} }
		patch := func(who, path, body string) request {
			return request{who: who, method: "PATCH", path: path, body: body}
		}
		var secret string
		e.run(t, []scenario{
			{name: "none yet", request: get("admin", "/v1/webhooks"), status: 200, want: []string{`"items":[]`}},
			{name: "the types", request: get("pm", "/v1/webhook-types"), status: 200,
				want: []string{`{"name":"seat.given","description":"A learner was given a seat`, `"name":"order.assigned"`}},
			{name: "the vendor admin subscribes the vendor's", request: post("admin",
				`{"url":"https://203.0.113.10/allot","description":"The product","types":["seat.given","seat.released"]}`), status: 201,
				want:    []string{`"url":"https://203.0.113.10/allot"`, `"types":["seat.given","seat.released"]`, `"secret":"whsec_`, `"disabled":false`},
				notWant: []string{`"partner_id"`, `"failing_since"`}, keep: map[string]string{"hook.vendor": "id"}},
			{name: "a partner's manager subscribes their partner's", request: post("pm",
				`{"url":"https://203.0.113.11/channel-one","types":["order.assigned"]}`), status: 201,
				want: []string{`"partner_id":{partner1}`, `"created_by":{pm}`}, keep: map[string]string{"hook.partner1": "id"}},
			{name: "whatever partner they name", request: post("pm",
				`{"url":"https://203.0.113.11/other","types":["order.assigned"],"partner_id":{partner2}}`), status: 201,
				want: []string{`"partner_id":{partner1}`}, keep: map[string]string{"hook.partner1b": "id"}},
			{name: "the vendor admin subscribes one for Channel Two", request: post("admin",
				`{"url":"https://203.0.113.12/channel-two","types":["user.added"],"partner_id":{partner2}}`), status: 201,
				want: []string{`"partner_id":{partner2}`}, keep: map[string]string{"hook.partner2": "id"}},
			{name: "not for a missing partner", request: post("admin", `{"url":"https://203.0.113.12/x","types":["user.added"],"partner_id":999999}`),
				status: 422, want: []string{`"location":"body.partner_id"`}},
			{name: "not to a private address", request: post("admin", `{"url":"https://10.1.2.3/hook","types":["seat.given"]}`),
				status: 422, want: []string{`"location":"body.url"`, "private address"}},
			{name: "not to the metadata service", request: post("pm", `{"url":"https://169.254.169.254/latest/meta-data","types":["seat.given"]}`),
				status: 422, want: []string{`"location":"body.url"`, "link-local"}},
			{name: "not to loopback", request: post("pm", `{"url":"http://127.0.0.1:8080/hook","types":["seat.given"]}`),
				status: 422, want: []string{`"location":"body.url"`, "loopback"}},
			{name: "not plain http", request: post("pm", `{"url":"http://203.0.113.11/hook","types":["seat.given"]}`),
				status: 422, want: []string{`"location":"body.url"`, "https://"}},
			{name: "not another scheme", request: post("pm", `{"url":"ftp://203.0.113.11/hook","types":["seat.given"]}`),
				status: 422, want: []string{`"location":"body.url"`}},
			{name: "no types", request: post("pm", `{"url":"https://203.0.113.11/hook","types":[]}`),
				status: 422, want: []string{`"location":"body.types"`}},
			{name: "an unknown type", request: post("pm", `{"url":"https://203.0.113.11/hook","types":["seat.stolen"]}`),
				status: 422, want: []string{`"location":"body.types"`, "seat.stolen"}},
			{name: "a description with a control character", request: post("pm", `{"url":"https://203.0.113.11/hook","types":["seat.given"],"description":"a\u0007b"}`),
				status: 422, want: []string{`"location":"body.description"`}},

			{name: "the vendor admin lists every one", request: get("admin", "/v1/webhooks"), status: 200,
				want: []string{`"id":{hook.vendor},`, `"id":{hook.partner1},`, `"id":{hook.partner2},`}},
			{name: "a partner's manager their partner's", request: get("pm", "/v1/webhooks"), status: 200,
				want: []string{`"id":{hook.partner1},`, `"id":{hook.partner1b},`}, notWant: []string{"203.0.113.10", "203.0.113.12"}},
			{name: "the other partner's its own", request: get("pm2", "/v1/webhooks"), status: 200,
				want: []string{`"id":{hook.partner2},`}, notWant: []string{"203.0.113.10", "203.0.113.11"}},
			{name: "an account manager none", request: get("am", "/v1/webhooks"), status: 403},
			{name: "a company's manager none", request: get("acme-cm", "/v1/webhooks"), status: 403},
			{name: "a learner none", request: get("acme-learner", "/v1/webhooks"), status: 403},
			{name: "nor subscribes one", request: post("acme-cm", `{"url":"https://203.0.113.13/acme","types":["seat.given"]}`), status: 403},

			{name: "a partner's manager reads theirs with its secret", request: get("pm", "/v1/webhooks/{hook.partner1}"), status: 200,
				want: []string{`"secret":"whsec_`, `"secrets":[{"value":"whsec_`},
				check: func(t *testing.T, _ *http.Response, body string) {
					var ep struct{ Secret string }
					decode(t, body, &ep)
					secret = ep.Secret
				}},
			{name: "the vendor admin reads it too", request: get("admin", "/v1/webhooks/{hook.partner1}"), status: 200},
			{name: "not the other partner's", request: get("pm", "/v1/webhooks/{hook.partner2}"), status: 404, want: []string{`"code":"not_found"`}},
			{name: "nor the vendor's", request: get("pm", "/v1/webhooks/{hook.vendor}"), status: 404},
			{name: "nor in manage-company mode", request: request{who: "pm", method: "GET", path: "/v1/webhooks/{hook.vendor}",
				headers: map[string]string{"Allot-Company": "{acme}"}}, status: 404},
			{name: "nor changes it", request: patch("pm2", "/v1/webhooks/{hook.partner1}", `{"enabled":false}`), status: 404},

			{name: "disabled", request: patch("pm", "/v1/webhooks/{hook.partner1}", `{"enabled":false}`), status: 200,
				want: []string{`"disabled":true`, `"disabled_reason":"Disabled by pm@channel.test."`, `"disabled_at":"`}},
			{name: "enabled again", request: patch("pm", "/v1/webhooks/{hook.partner1}", `{"enabled":true}`), status: 200,
				want: []string{`"disabled":false`}, notWant: []string{`"disabled_reason"`, `"disabled_at"`}},
			{name: "its types and description changed", request: patch("pm", "/v1/webhooks/{hook.partner1}",
				`{"types":["seat.expired","order.assigned"],"description":"Renewals desk"}`), status: 200,
				want: []string{`"types":["order.assigned","seat.expired"]`, `"description":"Renewals desk"`, `"url":"https://203.0.113.11/channel-one"`}},
			{name: "not to a private address", request: patch("pm", "/v1/webhooks/{hook.partner1}", `{"url":"https://192.168.1.1/"}`),
				status: 422, want: []string{`"location":"body.url"`}},
			{name: "nor without types", request: patch("pm", "/v1/webhooks/{hook.partner1}", `{"types":[]}`),
				status: 422, want: []string{`"location":"body.types"`}},
		})
		e.run(t, []scenario{
			{name: "its secret rotated", request: request{who: "pm", method: "POST", path: "/v1/webhooks/{hook.partner1}/rotate-secret"}, status: 200,
				check: func(t *testing.T, _ *http.Response, body string) {
					var ep struct {
						Secret  string
						Secrets []struct {
							Value     string
							ExpiresAt string `json:"expires_at"`
						}
					}
					decode(t, body, &ep)
					if len(ep.Secrets) != 2 || ep.Secret == secret || ep.Secrets[0].Value != ep.Secret || ep.Secrets[0].ExpiresAt != "" ||
						ep.Secrets[1].Value != secret || ep.Secrets[1].ExpiresAt == "" || !strings.HasPrefix(ep.Secret, "whsec_") {
						t.Errorf("after a rotation from %s: %s", secret, body)
					}
				}},
			{name: "not by another partner", request: request{who: "pm2", method: "POST", path: "/v1/webhooks/{hook.partner1}/rotate-secret"}, status: 404},
			{name: "no deliveries yet", request: get("pm", "/v1/webhooks/{hook.partner1}/deliveries"), status: 200, want: []string{`"items":[]`}},
			{name: "deliveries of a status that is none", request: get("pm", "/v1/webhooks/{hook.partner1}/deliveries?status=lost"), status: 422,
				want: []string{`"location":"query.status"`}},
			{name: "not the other partner's deliveries", request: get("pm2", "/v1/webhooks/{hook.partner1}/deliveries"), status: 404},
			{name: "no delivery 999999999", request: get("admin", "/v1/webhook-deliveries/999999999"), status: 404},
			{name: "nor its replay", request: request{who: "admin", method: "POST", path: "/v1/webhook-deliveries/999999999/replay"}, status: 404},
			{name: "not deleted by another partner", request: request{who: "pm2", method: "DELETE", path: "/v1/webhooks/{hook.partner1}"}, status: 404},
			{name: "deleted", request: request{who: "pm", method: "DELETE", path: "/v1/webhooks/{hook.partner1}"}, status: 204},
			{name: "gone", request: get("admin", "/v1/webhooks/{hook.partner1}"), status: 404},
			{name: "the audit log has it", request: get("pm", "/v1/audit?action=webhook.delete"), status: 200,
				want: []string{`"subject_id":{hook.partner1}`}, notWant: []string{"whsec_"}},
		})
	})
}

// TestWebhookDeliveries sends the deliveries of two released seats to a
// receiver on 127.0.0.1: the vendor's endpoint has them delivered, listed
// newest first a page at a time, each with its attempt and body; Channel
// One's answers 410 and is disabled, its delivery failed, replayed only once
// the endpoint is enabled again, with the same webhook-id.
func TestWebhookDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		e := newEnv(t, b)
		e.webhooks.AllowLoopback = true
		receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/gone" {
				http.Error(w, "no more", http.StatusGone)
				return
			}
			io.WriteString(w, "thanks")
		}))
		t.Cleanup(receiver.Close)
		get := func(who, path string) request { return request{who: who, method: "GET", path: path} }
		replay := func(who string) request {
			return request{who: who, method: "POST", path: "/v1/webhook-deliveries/{d.partner1}/replay"}
		}
		dispatch := func(t *testing.T) { t.Helper(); deliverAll(t, e.svc, e.webhooks, true) }
		var messageID string
		e.run(t, []scenario{
			{name: "the vendor's endpoint", request: request{who: "admin", method: "POST", path: "/v1/webhooks",
				body: `{"url":"` + receiver.URL + `/ok","types":["seat.released"]}`}, status: 201, keep: map[string]string{"hook.vendor": "id"}},
			{name: "Channel One's", request: request{who: "pm", method: "POST", path: "/v1/webhooks",
				body: `{"url":"` + receiver.URL + `/gone","types":["seat.released"]}`}, status: 201, keep: map[string]string{"hook.partner1": "id"}},
			{name: "Acme's seat released", request: request{who: "acme-cm", method: "POST", path: "/v1/seats/{acme.seat}/release", body: `{"reason":"other"}`},
				status: 200},
			{name: "Beta's", request: request{who: "beta-cm", method: "POST", path: "/v1/seats/{beta.seat}/release", body: `{"reason":"other"}`},
				status: 200},
		})
		dispatch(t)
		e.run(t, []scenario{
			{name: "both delivered to the vendor", request: get("admin", "/v1/webhooks/{hook.vendor}/deliveries"), status: 200,
				want: []string{`"type":"seat.released","status":"delivered","attempts":1`, `"last_status":200`}, check: func(t *testing.T, _ *http.Response, body string) {
					if n := len(listItems(t, body)); n != 2 {
						t.Errorf("%d deliveries, want 2: %s", n, body)
					}
				}, keep: map[string]string{"d.vendor": "items.0.id", "d.vendor.older": "items.1.id"}},
			{name: "a page of one", request: get("admin", "/v1/webhooks/{hook.vendor}/deliveries?limit=1"), status: 200,
				want: []string{`"id":{d.vendor},`, `"next":"{d.vendor}"`}, notWant: []string{`"id":{d.vendor.older},`}},
			{name: "the next page", request: get("admin", "/v1/webhooks/{hook.vendor}/deliveries?limit=1&cursor={d.vendor}"), status: 200,
				want: []string{`"id":{d.vendor.older},`}, notWant: []string{`"id":{d.vendor},`}},
			{name: "a cursor that is none", request: get("admin", "/v1/webhooks/{hook.vendor}/deliveries?cursor=soon"), status: 422,
				want: []string{`"location":"query.cursor"`}},
			{name: "none failed", request: get("admin", "/v1/webhooks/{hook.vendor}/deliveries?status=failed"), status: 200, want: []string{`"items":[]`}},
			{name: "one with its attempt and body", request: get("admin", "/v1/webhook-deliveries/{d.vendor}"), status: 200,
				want: []string{`"delivery":{"id":{d.vendor},"endpoint_id":{hook.vendor},`, `"message_id":"msg_`, `"attempts":[{"n":1,"at":"`,
					`"status":200,`, `"response":"thanks"`, `"payload":{"type":"seat.released",`, `"action":"seat.release"`, `"company_id":{beta}`}},
			{name: "Channel One's answered 410", request: get("pm", "/v1/webhooks/{hook.partner1}"), status: 200,
				want: []string{`"disabled":true`, `"disabled_reason":"It answered 410 Gone`, `"failing_since":"`}},
			{name: "its delivery of Acme's seat failed", request: get("pm", "/v1/webhooks/{hook.partner1}/deliveries?status=failed"), status: 200,
				want: []string{`"status":"failed","attempts":1`, `"last_status":410`, `"last_error":"answered 410 Gone"`},
				keep: map[string]string{"d.partner1": "items.0.id"}},
			{name: "nothing of Channel One's to Channel Two", request: get("pm2", "/v1/webhook-deliveries/{d.partner1}"), status: 404},
			{name: "not replayed while disabled", request: replay("pm"), status: 409, want: []string{`"code":"conflict"`, "enable it"}},
			{name: "enabled again", request: request{who: "pm", method: "PATCH", path: "/v1/webhooks/{hook.partner1}", body: `{"enabled":true}`},
				status: 200, want: []string{`"disabled":false`}, notWant: []string{"failing_since"}},
			{name: "replayed", request: replay("pm"), status: 200, want: []string{`"id":{d.partner1},`, `"status":"pending"`},
				check: func(t *testing.T, _ *http.Response, body string) {
					var d struct {
						MessageID string `json:"message_id"`
					}
					decode(t, body, &d)
					messageID = d.MessageID
				}},
		})
		dispatch(t)
		e.run(t, []scenario{
			{name: "tried again, with the same webhook-id", request: get("pm", "/v1/webhook-deliveries/{d.partner1}"), status: 200,
				want: []string{`"message_id":"` + messageID + `"`, `"status":"failed","attempts":2`, `"attempts":[{"n":2,`, `},{"n":1,`}},
			{name: "and disabled again", request: get("pm", "/v1/webhooks/{hook.partner1}"), status: 200, want: []string{`"disabled":true`}},
		})
	})
}

// deliverAll fans out every event recorded so far and, when send is set,
// sends every delivery due until none is pending. On PostgreSQL the fan-out
// reads an event once no transaction that began before it still runs
// anywhere on the server, which other tests' transactions may delay for a
// moment: it is asked again, within a bound.
func deliverAll(t *testing.T, svc *allot.Service, hooks *webhook.Service, send bool) {
	t.Helper()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	events, err := svc.Events(sys, allot.EventFilter{Limit: 1})
	if err != nil || len(events) == 0 {
		t.Fatalf("the newest event: %v %v", events, err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		step := hooks.FanOut
		if send {
			step = hooks.DispatchOnce
		}
		if _, err := step(sys); err != nil {
			t.Fatal(err)
		}
		var cursor webhook.Cursor
		err := hooks.Store.Write(sys, func(tx webhook.Tx) (err error) { cursor, err = tx.LockWebhookCursor(); return err })
		pending, err2 := hooks.Deliveries(sys, webhook.DeliveryFilter{Status: webhook.DeliveryPending, Limit: 1})
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		if cursor.EventID >= events[0].ID && (!send || len(pending) == 0) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fan-out stands at %+v, the newest event is %d; %d deliveries pending", cursor, events[0].ID, len(pending))
		}
	}
}
