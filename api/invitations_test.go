package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"allot/api"
	"allot/storetest"
)

// The invite wizard over HTTP: a plan names every problem, the preview is
// the exact mail with a link to where the request came, a confirmation
// reserves the seats and schedules the mails at their local time, and the
// scheduled invitations are moved, cancelled, sent now and sent again.
// Times: the clock stands at 2 March 2026, 9:00 UTC; clocks go forward in
// Berlin at 2:00 on 29 March 2026 and back at 3:00 on 25 October.

// inviteBody is the JSON body of an invitation to the programme with these
// fields besides.
func inviteBody(fields string) string { return `{` + fields + `}` }

// coaching6 is an experience of six months of coaching.
const coaching6 = `"experiences":[{"product":"coaching","months":6}]`

// wantAllocated returns a check that Acme's coaching pool has n seats
// allocated.
func (e *env) wantAllocated(n int) func(t *testing.T, res *http.Response, body string) {
	return func(t *testing.T, res *http.Response, body string) {
		t.Helper()
		_, pools := e.do(request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/pools"})
		for _, p := range listItems(t, pools) {
			if jsonAt(p, "id") == e.ids["acme.coaching"] {
				if got := jsonAt(p, "allocated"); got != int64(n) {
					t.Errorf("the coaching pool has %d seats allocated, want %d", got, n)
				}
				return
			}
		}
		t.Errorf("no coaching pool in %s", pools)
	}
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		as := func(who, method, path, body string) request {
			return request{who: who, method: method, path: path, body: body}
		}
		plan := func(fields string) request {
			return as("acme-cm", "POST", "/v1/programmes/{leaders}/invitations/plan", inviteBody(fields))
		}
		confirm := func(fields string) request {
			return as("acme-cm", "POST", "/v1/programmes/{leaders}/invitations", inviteBody(fields))
		}
		patch := func(inv, body string) request { return as("acme-cm", "PATCH", "/v1/invitations/{"+inv+"}", body) }
		invalid := func(field string, more ...string) []string {
			return append([]string{`"code":"invalid"`, `"location":"body.` + field + `"`}, more...)
		}
		const (
			gapAt  = `"send_date":"2026-03-29","send_time":"02:30","zone":"Europe/Berlin"`
			people = `"emails":"ana@acme.test, not-an-address\nana@ACME.test;learner@acme.test cm@globex.test  bo@acme.test"`
			good   = `"emails":"ana@acme.test learner@acme.test bo@acme.test"`
		)

		e.run(t, []scenario{
			{name: "a programme", request: as("acme-cm", "POST", "/v1/companies/{acme}/programmes",
				`{"name":"Leaders","products":["premium","coaching"],"lang":"de"}`), status: 201, keep: map[string]string{"leaders": "id"}},

			{name: "the plan names each problem", request: plan(coaching6 + `,` + people + `,` + gapAt), status: 200,
				want: []string{`"emails":["ana@acme.test","learner@acme.test","bo@acme.test"]`, `"merged":["ana@acme.test"]`,
					`{"email":"not-an-address","message":"\"not-an-address\" is not a valid e-mail address"}`,
					`{"email":"cm@globex.test","message":"has an account outside Acme"}`,
					`"draws":[{"product":"coaching","pool_id":{acme.coaching},"count":3,"asked_end":"2026-09-02T09:00:00Z","ends":"2026-09-02T09:00:00Z","short":false,"length":"6 months"}]`,
					`"starts":"2026-03-02T09:00:00Z"`, `"now":false`, `"lang":"de"`,
					`"send":{"at":"2026-03-29T03:00:00+02:00","local":"2026-03-29 02:30","zone":"Europe/Berlin","shift":"gap",` +
						`"sentence":"2:30 does not exist on 29 March 2026 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do."}`}},
			{name: "the preview is the mail in its language, linking to this address", request: as("acme-cm", "POST",
				"/v1/programmes/{leaders}/invitations/preview", inviteBody(coaching6+`,`+people+`,`+gapAt+`,"lang":"fr"`)), status: 200,
				want: []string{`"lang":"fr"`, `"subject":"`, "Leaders", `Accepter l`},
				check: func(t *testing.T, res *http.Response, body string) {
					if !strings.Contains(body, e.srv.URL+"/link/") {
						t.Errorf("the preview's link does not lead to %s/link/:\n%s", e.srv.URL, body)
					}
				}},
			{name: "a confirmation with a problem left is refused naming each address", request: confirm(coaching6 + `,` + people + `,` + gapAt),
				status: 422, want: invalid("emails", "not-an-address", "cm@globex.test"), check: e.wantAllocated(0)},
			{name: "the confirmation reserves the seats and schedules the mails", request: confirm(coaching6 + `,` + good + `,` + gapAt),
				status: 201, want: []string{`"sent":0,"scheduled":3,"sentence":"0 invitations sent, 3 scheduled."`, `"shift":"gap"`},
				keep: map[string]string{"inv.ana": "ids.0", "inv.lea": "ids.1", "inv.bo": "ids.2"}, check: e.wantAllocated(3)},
			{name: "those invited are not members of the company until their mail goes out",
				request: as("acme-cm", "GET", "/v1/companies/{acme}/users?limit=500", ""), status: 200,
				want: []string{`"learner@acme.test"`}, notWant: []string{"ana@acme.test", "bo@acme.test"}},
			{name: "inviting them again", request: confirm(coaching6 + `,` + good + `,` + gapAt),
				status: 422, want: invalid("emails", "is invited to Leaders already"), check: e.wantAllocated(3)},
			{name: "the scheduled invitations", request: as("acme-cm", "GET", "/v1/companies/{acme}/invitations?scheduled=true", ""),
				status: 200, want: []string{`"email":"ana@acme.test"`, `"status":"scheduled"`, `"send_at":"2026-03-29T01:00:00Z"`,
					`"access_starts":"2026-03-02T09:00:00Z","access_ends":"2026-09-02T09:00:00Z"`},
				check: e.wantIDs("inv.ana", "inv.lea", "inv.bo")},

			// Ana's moves into the hour Berlin lives twice, in French; Bo's to
			// 4:00 in Paris. The list puts the soonest first.
			{name: "a time that happens twice", request: patch("inv.ana", `{"send_date":"2026-10-25","send_time":"02:30","lang":"fr"}`),
				status: 200, want: []string{`"lang":"fr"`, `"status":"scheduled"`, `"send_at":"2026-10-25T00:30:00Z"`,
					`"send":{"at":"2026-10-25T02:30:00+02:00","local":"2026-10-25 02:30","zone":"Europe/Berlin","shift":"overlap",` +
						`"sentence":"2:30 happens twice on 25 October 2026 in Europe/Berlin: it is sent the first time."}`}},
			{name: "another zone", request: patch("inv.bo", `{"send_date":"2026-03-29","send_time":"04:00","zone":"Europe/Paris"}`),
				status: 200, want: []string{`"zone":"Europe/Paris"`, `"send_at":"2026-03-29T02:00:00Z"`, `"shift":"none"`, `"lang":"de"`}},
			{name: "31 April", request: patch("inv.ana", `{"send_date":"2026-04-31","send_time":"09:00"}`),
				status: 422, want: invalid("send_date", "April 2026 has 30 days, not 31")},
			{name: "an unknown zone", request: patch("inv.ana", `{"zone":"Mars/Olympus"}`),
				status: 422, want: invalid("zone", "Mars/Olympus")},
			{name: "a time that has passed", request: patch("inv.ana", `{"send_date":"2026-03-01","send_time":"09:00"}`),
				status: 422, want: invalid("send_time", "has passed")},
			{name: "a time without its date", request: patch("inv.ana", `{"send_time":"09:00"}`),
				status: 422, want: invalid("send_date")},
			{name: "a time that is none", request: patch("inv.ana", `{"send_date":"2026-05-01","send_time":"9h"}`),
				status: 422, want: invalid("send_time", `\"9h\" is not a time`)},
			{name: "hour 24", request: patch("inv.ana", `{"send_date":"2026-05-01","send_time":"24:00"}`),
				status: 422, want: invalid("send_time", "hour 24")},
			{name: "an unknown language", request: patch("inv.ana", `{"lang":"it"}`), status: 422, want: invalid("lang")},
			{name: "the soonest first, the refused changes changing nothing",
				request: as("acme-cm", "GET", "/v1/companies/{acme}/invitations", ""), status: 200,
				want: []string{`"send_at":"2026-10-25T00:30:00Z"`}, check: e.wantIDs("inv.lea", "inv.bo", "inv.ana")},
			{name: "only scheduled invitations are listed by company",
				request: as("acme-cm", "GET", "/v1/companies/{acme}/invitations?scheduled=false", ""), status: 422,
				want: []string{`"location":"query.scheduled"`}},

			{name: "a cancel frees the seat", request: as("acme-cm", "POST", "/v1/invitations/{inv.lea}/cancel", ""),
				status: 200, want: []string{`"email":"learner@acme.test"`, `"status":"cancelled"`, `"cancelled_at":"2026-03-02T09:00:00Z"`},
				check: e.wantAllocated(2)},
			{name: "the cancelled invitation", request: as("acme-cm", "GET", "/v1/programmes/{leaders}/members?status=cancelled", ""),
				status: 200, want: []string{`"status":"cancelled"`, `"cancelled_at":"2026-03-02T09:00:00Z"`}, check: e.wantIDs("inv.lea")},
			{name: "cancelling twice", request: as("acme-cm", "POST", "/v1/invitations/{inv.lea}/cancel", ""),
				status: 409, want: []string{`"code":"conflict"`, "cancelled"}},
			{name: "sent now", request: as("acme-cm", "POST", "/v1/invitations/{inv.bo}/send-now", ""),
				status: 200, want: []string{`"status":"invited"`, `"sent_at":"2026-03-02T09:00:00Z"`, `"send_at":"2026-03-02T09:00:00Z"`}},
			{name: "moving one that went out", request: patch("inv.bo", `{"lang":"fr"}`), status: 409, want: []string{`"code":"conflict"`}},
			{name: "sent again", request: as("acme-cm", "POST", "/v1/invitations/{inv.bo}/resend", ""),
				status: 200, want: []string{`"email":"bo@acme.test"`, `"status":"invited"`}},
			{name: "one not sent is not sent again", request: as("acme-cm", "POST", "/v1/invitations/{inv.ana}/resend", ""),
				status: 409, want: []string{`"code":"conflict"`, "scheduled"}},
			{name: "bo is a member of the company once his mail went out",
				request: as("acme-cm", "GET", "/v1/companies/{acme}/users?limit=500", ""), status: 200,
				want: []string{`"bo@acme.test"`}, notWant: []string{"ana@acme.test"}},

			{name: "the programme's members, newest first", request: as("acme-cm", "GET", "/v1/programmes/{leaders}/members", ""),
				status: 200, want: []string{`"status":"invited"`, `"status":"cancelled"`, `"status":"scheduled"`},
				check: e.wantIDs("inv.bo", "inv.lea", "inv.ana")},
			{name: "those invited", request: as("pm", "GET", "/v1/programmes/{leaders}/members?status=invited", ""),
				status: 200, want: []string{`"email":"bo@acme.test"`, `"access_ends":"2026-09-02T09:00:00Z"`}, check: e.wantIDs("inv.bo")},
			{name: "those of two statuses", request: as("acme-cm", "GET", "/v1/programmes/{leaders}/members?status=scheduled,%20cancelled", ""),
				status: 200, check: e.wantIDs("inv.lea", "inv.ana")},
			{name: "an unknown status", request: as("acme-cm", "GET", "/v1/programmes/{leaders}/members?status=invited,lapsed", ""),
				status: 422, want: []string{`"location":"query.status"`}},
			{name: "not for another company's manager", request: as("globex-cm", "GET", "/v1/programmes/{leaders}/members", ""), status: 404},
			{name: "not for a learner", request: as("acme-learner", "GET", "/v1/companies/{acme}/invitations", ""), status: 404},
		})

		// Sent at once, once: a retry with the same key is the first answer.
		once := confirm(`"pool_id":{acme.coaching},"emails":"cy@acme.test","lang":"es"`)
		once.headers = map[string]string{"Idempotency-Key": "invite-cy"}
		var first string
		e.run(t, []scenario{
			{name: "now", request: plan(`"pool_id":{acme.coaching},"emails":"cy@acme.test"`), status: 200,
				want: []string{`"now":true`, `"shift":"none"`, `"draws":[{"product":"coaching","pool_id":{acme.coaching},"count":1,"ends":"2027-03-02T09:00:00Z","short":false}]`}},
			{name: "sent at once", request: once, status: 201,
				want:  []string{`"sent":1,"scheduled":0,"sentence":"1 invitation sent, 0 scheduled."`},
				check: func(t *testing.T, res *http.Response, body string) { first = body }},
			{name: "a retry", request: once, status: 201, check: func(t *testing.T, res *http.Response, body string) {
				if res.Header.Get("Idempotent-Replayed") != "true" || body != first {
					t.Errorf("a retry with the same key is not the first answer replayed: %v\n%s", res.Header, body)
				}
			}},
			{name: "cy is a member at once", request: as("acme-cm", "GET", "/v1/programmes/{leaders}/members?status=invited", ""),
				status: 200, want: []string{`"email":"cy@acme.test"`, `"lang":"es"`}, check: e.wantAllocated(3)},
		})

		// Whatever a person types is refused naming its field.
		many := make([]string, 500)
		for i := range many {
			many[i] = fmt.Sprintf("p%d@acme.test", i)
		}
		e.run(t, []scenario{
			{name: "a subscription and experiences", request: plan(`"pool_id":{acme.coaching},` + coaching6 + `,"emails":"dee@acme.test"`),
				status: 422, want: invalid("experiences", "not both")},
			{name: "neither", request: plan(`"emails":"dee@acme.test"`), status: 422, want: invalid("pool_id")},
			{name: "another company's subscription", request: plan(`"pool_id":{globex.coaching},"emails":"dee@acme.test"`),
				status: 422, want: invalid("pool_id", "no subscription")},
			{name: "an unknown zone", request: plan(coaching6 + `,"emails":"dee@acme.test","zone":"Europe/Atlantis"`),
				status: 422, want: invalid("zone", "Europe/Atlantis")},
			{name: "a time that has passed", request: plan(coaching6 + `,"emails":"dee@acme.test","send_date":"2026-03-02","send_time":"08:59"`),
				status: 422, want: invalid("send_time", "has passed")},
			{name: "31 April", request: plan(coaching6 + `,"emails":"dee@acme.test","send_date":"2026-04-31","send_time":"09:00"`),
				status: 422, want: invalid("send_date", "not 31")},
			{name: "a date without its time", request: plan(coaching6 + `,"emails":"dee@acme.test","send_date":"2026-04-30"`),
				status: 422, want: invalid("send_time")},
			{name: "30 February", request: plan(coaching6 + `,"emails":"dee@acme.test","starts":"2027-02-30"`),
				status: 422, want: invalid("starts", "not 30")},
			{name: "a start that is no date", request: plan(coaching6 + `,"emails":"dee@acme.test","starts":"next week"`),
				status: 422, want: invalid("starts")},
			{name: "a start that has passed", request: plan(coaching6 + `,"emails":"dee@acme.test","starts":"2026-03-01"`),
				status: 422, want: invalid("starts", "has passed")},
			{name: "a product the programme does not offer", request: plan(`"experiences":[{"product":"nope","days":10}],"emails":"dee@acme.test"`),
				status: 422, want: invalid("experiences[0].product")},
			{name: "a length of 5 months", request: plan(`"experiences":[{"product":"coaching","months":5}],"emails":"dee@acme.test"`),
				status: 422, want: invalid("experiences[0].months")},
			{name: "too many days", request: plan(`"experiences":[{"product":"coaching","days":100000}],"emails":"dee@acme.test"`),
				status: 422, want: invalid("experiences[0].days")},
			{name: "a reminder too late", request: plan(coaching6 + `,"emails":"dee@acme.test","remind_days":61`),
				status: 422, want: invalid("remind_days")},
			{name: "no e-mail", request: plan(coaching6 + `,"emails":" ,\n"`), status: 422, want: invalid("emails")},
			{name: "a preview of nobody who can be invited", request: as("acme-cm", "POST", "/v1/programmes/{leaders}/invitations/preview",
				inviteBody(coaching6+`,"emails":"not-an-address"`)), status: 422, want: invalid("emails", "not-an-address")},
			{name: "an unknown language", request: plan(coaching6 + `,"emails":"dee@acme.test","lang":"it"`), status: 422, want: invalid("lang")},
			{name: "more people than free seats", request: plan(`"experiences":[{"product":"premium","months":3}],"emails":"` + strings.Join(many, " ") + `"`),
				status: 409, want: []string{`"code":"conflict"`, "500 people invited but only 499 free seats of Premium"}},
			{name: "a partner's manager outside manage-company mode", request: as("pm", "POST", "/v1/programmes/{leaders}/invitations/plan",
				inviteBody(coaching6+`,"emails":"dee@acme.test"`)), status: 403},
			{name: "another company's manager", request: as("globex-cm", "POST", "/v1/programmes/{leaders}/invitations",
				inviteBody(coaching6+`,"emails":"dee@acme.test"`)), status: 404},
			{name: "nothing was reserved", request: as("acme-cm", "GET", "/v1/programmes/{leaders}/members", ""), status: 200,
				notWant: []string{"dee@acme.test", "p0@acme.test"}, check: e.wantAllocated(3)},
		})
	})
}

// TestPreviewLinksToTheBaseURL: with a base address configured, the
// preview's link leads there, as the mail's does, whatever address the
// request came to.
func TestPreviewLinksToTheBaseURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	srv := httptest.NewServer(api.New(api.Config{Ledger: e.svc, Directory: e.dir, Accounts: e.acc, Programs: e.programs,
		Keys: e.db, BaseURL: "https://allot.example/"}))
	t.Cleanup(srv.Close)
	e.srv = srv
	e.run(t, []scenario{
		{name: "a programme", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/programmes",
			body: `{"name":"Leaders","products":["coaching"]}`}, status: 201, keep: map[string]string{"leaders": "id"}},
		{name: "the preview", request: request{who: "acme-cm", method: "POST", path: "/v1/programmes/{leaders}/invitations/preview",
			body: `{"pool_id":{acme.coaching},"emails":"new@acme.test"}`}, status: 200,
			want: []string{"https://allot.example/link/"}, notWant: []string{srv.URL}},
	})
}
