package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"
	"time"

	"allot"
	"allot/support"
	"allot/world"
)

// TestDeskAccess: only the desk's staff reach the desk; the others are
// told what it is for, and nothing of a request shows.
func TestDeskAccess(t *testing.T) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		learner := s.signIn(t, "learner@acme.test")
		id, _ := learner.openRequest(request("Cannot sign in", "normal"))
		for _, who := range []string{"cm@acme.test", "learner@acme.test", "pm@channel.test", "am@vendor.test"} {
			c := s.signIn(t, who)
			for path, refusal := range map[string]string{
				"/desk":                              "the support desk is the vendor's support and customer success teams'",
				fmt.Sprintf("/desk/requests/%d", id): "the support desk is the vendor's support and customer success teams'",
				"/desk/settings":                     "only the vendor admin sets how support requests are routed and answered",
			} {
				res, body := c.get(path)
				status(t, who+" "+path, res, http.StatusForbidden)
				expect(t, who+" "+path, body, []string{refusal}, []string{"Cannot sign in"})
			}
			res, _ := c.post(fmt.Sprintf("/desk/requests/%d/reply", id), url.Values{"body": {"forged"}})
			status(t, who+" replies", res, http.StatusForbidden)
			_, body := c.get("/support")
			expect(t, who+"'s menu", body, []string{`<a href="/support"`}, []string{`<a href="/desk"`})
		}
		_, body := s.signIn(t, "agent@vendor.test").get("/desk/settings")
		expect(t, "an agent's settings", body, []string{"only the vendor admin sets how support requests are routed and answered"}, nil)
		th := world.Must(s.w.Support.Get(s.w.Ctx(t, "agent"), id))(t)
		if len(th.Messages) != 1 {
			t.Errorf("the request has %d messages after forged replies", len(th.Messages))
		}
	})
}

// TestDeskQueue: the queue puts urgent requests first, then by due time,
// says when each is due, warns past 75 % of a target and marks a breach;
// its filters narrow it.
func TestDeskQueue(t *testing.T) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		normal, _ := cm.openRequest(request("Normal one", "normal"))
		s.w.Clock.Advance(time.Hour)
		urgent, _ := cm.openRequest(request("Urgent one", "urgent"))
		globex, _ := s.signIn(t, "cm@globex.test").openRequest(url.Values{"subject": {"Plan our rollout"}, "body": {"When?"},
			"category": {"rollout"}, "priority": {"low"}})

		agent := s.signIn(t, "agent@vendor.test")
		_, body := agent.get("/desk")
		expect(t, "the queue", body, []string{"3 requests, urgent first, then by due time", `<a href="/desk" aria-current="page">Desk</a>`,
			"due in 12 h", "due in 11 h", "Customer Success"}, []string{"Near breach", `class="badge breached"`, `href="/desk/settings"`})
		rows := idsIn(body)
		if want := []int64{urgent, normal, globex}; fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Errorf("the queue's order is %v, want urgent %d first, then by due time: %v", rows, urgent, want)
		}

		for _, c := range []struct {
			query string
			want  []int64
		}{
			{"priority=urgent", []int64{urgent}},
			{"team=success", []int64{globex}},
			{fmt.Sprintf("company=%d", s.w.Acme.Company.ID), []int64{urgent, normal}},
			{fmt.Sprintf("partner=%d", s.w.Partner2.ID), []int64{globex}},
			{"assignee=unassigned", []int64{urgent, normal, globex}},
			{"assignee=mine", nil},
			{"breached=1", nil},
			{"status=solved", nil},
		} {
			_, body := agent.get("/desk?" + c.query)
			if got := idsIn(body); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: rows %v, want %v", c.query, got, c.want)
			}
		}
		res, body := agent.get("/desk?team=sales")
		status(t, "a bad filter", res, http.StatusUnprocessableEntity)
		expect(t, "a bad filter", body, []string{`team="sales" cannot be used: the team is support or success`}, nil)

		// 9 hours after the normal request, 75 % of its first response
		// has passed: a warning; after 13 hours it is breached.
		s.w.Clock.Advance(8*time.Hour + time.Minute)
		_, body = agent.get(fmt.Sprintf("/desk?company=%d&priority=normal", s.w.Acme.Company.ID))
		expect(t, "near breach", body, []string{`<tr class="warned">`, "Near breach", "due in 3 h"}, []string{`class="badge breached"`})
		s.w.Clock.Advance(4 * time.Hour)
		if _, err := s.w.Support.Sweep(s.w.As(allot.System)); err != nil {
			t.Fatal(err)
		}
		_, body = agent.get("/desk?breached=1")
		expect(t, "breached", body, []string{`<tr class="late">`, `<span class="badge breached">Breached</span>`, "breached 1 h ago"}, nil)
		if got := idsIn(body); !slices.Contains(got, normal) {
			t.Errorf("breached rows %v, want the normal request among them", got)
		}
		_, body = cm.get("/support")
		expect(t, "the requester sees the breach", body, []string{`<span class="badge breached">Late</span>`}, nil)
	})
}

// idsIn returns the IDs of the requests a list's rows link to, in order.
func idsIn(body string) []int64 {
	var out []int64
	for _, m := range regexp.MustCompile(`<td>#(\d+)</td>`).FindAllStringSubmatch(body, -1) {
		var id int64
		fmt.Sscan(m[1], &id)
		out = append(out, id)
	}
	return out
}

// TestDeskAnswers: the agent reads a request with the requester's
// licences beside it, notes and answers it; the requester reads the
// answer and not the note, answers back, and the desk escalates it.
func TestDeskAnswers(t *testing.T) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		learner := s.signIn(t, "learner@acme.test")
		id, _ := learner.openRequest(request("Cannot sign in", "normal"))
		path := fmt.Sprintf("/desk/requests/%d", id)

		agent := s.signIn(t, "agent@vendor.test")
		_, body := agent.get(path)
		expect(t, "the desk's page", body, []string{fmt.Sprintf("#%d Cannot sign in", id), "Licences of Acme", "<td>Premium</td>",
			`<td class="num">1 / 10</td>`, "Seats of learner@acme.test", "Premium <span class=\"badge active\">Active</span>",
			"First response", "Resolution", "due in 12 h", "Nobody yet", `<option value="waiting">Waiting on customer</option>`,
			`action="/desk/requests/` + fmt.Sprint(id) + `/escalate"`, "agent@vendor.test (support agent)", "success@vendor.test (success manager)"}, nil)

		// Errors beside their fields, in the form that sent them.
		res, body := agent.send(path+"/reply", url.Values{"body": {" "}, "status": {"waiting"}})
		status(t, "an empty reply", res, http.StatusUnprocessableEntity)
		expect(t, "an empty reply", body, []string{`<p class="field-error" id="reply-body-error">write a message</p>`,
			`aria-describedby="reply-body-error"`}, []string{`id="note-body-error"`})
		res, body = agent.post(path+"/escalate", url.Values{"reason": {""}})
		status(t, "escalate without a reason", res, http.StatusUnprocessableEntity)
		expect(t, "escalate without a reason", body, []string{`<p class="field-error" id="reason-error">say why Customer Success should take it</p>`}, nil)

		_, body = agent.send(path+"/note", url.Values{"body": {"Their pool is full; ask the manager."}})
		expect(t, "the note", body, []string{"Your note was added. The customer does not see it.", "Internal note", "Their pool is full; ask the manager."}, nil)
		_, body = agent.send(path+"/reply", url.Values{"body": {"Your manager gives seats: ask them."}, "status": {"waiting"}},
			file{"steps.txt", []byte("1. ask\n")})
		expect(t, "the reply", body, []string{"Your reply was sent.", "Your manager gives seats: ask them.", `<span class="badge waiting">Waiting on customer</span>`,
			"steps.txt"}, nil)

		_, body = learner.get(fmt.Sprintf("/support/requests/%d", id))
		expect(t, "the requester reads the reply", body, []string{"Your manager gives seats: ask them.", "steps.txt", "the desk waits for your answer",
			`<span class="badge reply">Support</span>`}, []string{"Their pool is full", "Internal note", "/escalate"})
		_, body = learner.send(fmt.Sprintf("/support/requests/%d/messages", id), url.Values{"body": {"They said no."}})
		expect(t, "the requester answers", body, []string{"Your message was added.", "They said no.", `<span class="badge open">Open</span>`}, nil)

		_, body = agent.get("/desk?assignee=mine")
		if got := idsIn(body); fmt.Sprint(got) != fmt.Sprint([]int64{id}) {
			t.Errorf("the agent's requests %v, want the one they answered", got)
		}
		_, body = agent.post(path+"/priority", url.Values{"priority": {"urgent"}})
		expect(t, "urgent now", body, []string{"The priority is urgent now; its clocks follow it.", `<span class="badge priority-urgent">Urgent</span>`}, nil)
		_, body = agent.post(path+"/assign", url.Values{"assignee_id": {"0"}})
		expect(t, "unassigned", body, []string{"The request is back in the queue, assigned to nobody."}, nil)
		_, body = agent.post(path+"/escalate", url.Values{"reason": {"They want more seats."}})
		expect(t, "escalated", body, []string{"The request went to Customer Success's queue.", "Escalated to Customer Success: They want more seats."},
			[]string{`action="/desk/requests/` + fmt.Sprint(id) + `/escalate"`})
		_, body = agent.post(path+"/status", url.Values{"status": {"closed"}})
		expect(t, "closed", body, []string{"The request is closed now."}, nil)
		_, body = learner.get(fmt.Sprintf("/support/requests/%d", id))
		expect(t, "closed for the requester", body, []string{"This request is closed."}, []string{`/messages"`, "They want more seats"})
		th := world.Must(s.w.Support.Get(s.w.Ctx(t, "agent"), id))(t)
		if r := th.Request; r.Team != support.TeamSuccess || r.Priority != support.Urgent || r.Status != support.StatusClosed {
			t.Errorf("the request is %s, %s, %s; want Customer Success's, urgent, closed", r.Team, r.Priority, r.Status)
		}
	})
}

// TestDeskSettings: the vendor admin edits the routing table, the
// policies and the contacts; what is wrong is named beside its row or
// field.
func TestDeskSettings(t *testing.T) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		admin := s.signIn(t, "admin@vendor.test")
		_, body := admin.get("/desk")
		expect(t, "the admin's desk", body, []string{`href="/desk/settings"`}, nil)
		_, body = admin.get("/desk/settings")
		expect(t, "the settings", body, []string{"<h1>Desk settings</h1>", `value="technical"`, `value="Technical problem"`,
			"Standard", `name="targets.urgent.first_response" value="12"`, `name="targets.normal.resolution" value="120"`, "Success contacts", "Acme"}, nil)

		rows := url.Values{"category": {"technical", "billing", "rollout", ""}, "label": {"Technical problem", "", "Rollout planning", ""},
			"team": {"support", "support", "success", "support"}}
		res, body := admin.post("/desk/settings/routes", rows)
		status(t, "a row without a label", res, http.StatusUnprocessableEntity)
		expect(t, "a row without a label", body, []string{`<p class="field-error" id="route-1-error">row 2: a label has 1 to 100 characters</p>`,
			`aria-describedby="route-1-error"`, `value="billing"`}, nil)
		rows["label"][1], rows["remove"] = "Billing", []string{"2"}
		_, body = admin.post("/desk/settings/routes", rows)
		expect(t, "saved", body, []string{"The routing table is saved: 2 categories.", `value="billing"`}, []string{`value="rollout"`})
		routes := world.Must(s.w.Support.Routes(s.w.Ctx(t, "agent")))(t)
		if fmt.Sprint(routes) != "[{technical Technical problem support} {billing Billing support}]" {
			t.Errorf("routes %v", routes)
		}

		policy := url.Values{"name": {"Business hours"}, "calendar.all_hours": {"0"}, "calendar.days": {"1", "2", "3", "4", "5"},
			"calendar.open": {"08:00"}, "calendar.close": {"18:00"}, "calendar.zone": {"Europe/Atlantis"}, "calendar.country": {"de"}}
		for _, pr := range []string{"low", "normal", "high", "urgent"} {
			policy.Set("targets."+pr+".first_response", "8")
			policy.Set("targets."+pr+".next_response", "8")
			policy.Set("targets."+pr+".resolution", "40")
		}
		policy.Set("targets.urgent.first_response", "soon")
		res, body = admin.post("/desk/settings/policies", policy)
		status(t, "hours that are not a number", res, http.StatusUnprocessableEntity)
		expect(t, "hours that are not a number", body, []string{`id="policy-new-targets-urgent-first-response-error">give the target as a number of hours, such as 12 or 1.5; "soon" is not one</p>`,
			`name="targets.urgent.first_response" value="soon" size="5" aria-invalid="true" aria-describedby="policy-new-targets-urgent-first-response-error"`,
			`value="Business hours"`, "<details open>"}, nil)
		policy.Set("targets.urgent.first_response", "4")
		res, body = admin.post("/desk/settings/policies", policy)
		status(t, "a zone that is none", res, http.StatusUnprocessableEntity)
		expect(t, "a zone that is none", body, []string{`id="policy-new-calendar-zone-error">"Europe/Atlantis" is not a time zone such as Europe/Berlin</p>`}, nil)
		policy.Set("calendar.zone", "Europe/Berlin")
		_, body = admin.post("/desk/settings/policies", policy)
		expect(t, "the policy", body, []string{"The policy Business hours is saved.", `value="Business hours"`}, nil)
		var pol support.Policy
		for _, p := range world.Must(s.w.Support.Policies(s.w.Ctx(t, "agent")))(t) {
			if p.Name == "Business hours" {
				pol = p
			}
		}
		if pol.Calendar.Open != 8*60 || pol.Calendar.Close != 18*60 || pol.Calendar.Zone != "Europe/Berlin" || pol.Targets[support.Urgent].FirstResponse != 4*time.Hour {
			t.Errorf("the policy saved is %+v", pol)
		}

		res, body = admin.post("/desk/settings/accounts", url.Values{"holder": {fmt.Sprintf("company:%d", s.w.Acme.Company.ID)},
			"success_id": {fmt.Sprint(s.w.Users["agent"].ID)}})
		status(t, "an agent as contact", res, http.StatusUnprocessableEntity)
		expect(t, "an agent as contact", body, []string{`<p class="field-error" id="success-error">the contact is one of the vendor's customer success managers</p>`}, nil)
		_, body = admin.post("/desk/settings/accounts", url.Values{"holder": {fmt.Sprintf("partner:%d", s.w.Partner.ID)},
			"success_id": {fmt.Sprint(s.w.Users["success"].ID)}, "policy_id": {fmt.Sprint(pol.ID)}})
		expect(t, "the partner's contact", body, []string{"success@vendor.test is the customer success contact now.",
			"<tr><td>Acme</td><td>success@vendor.test <span class=\"muted\">(its partner's)</span></td><td>Business hours</td></tr>",
			"<tr><td>Globex</td><td>—</td><td>The default</td></tr>"}, nil)
	})
}
