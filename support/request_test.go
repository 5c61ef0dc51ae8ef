package support_test

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/support"
	"allot/world"
)

// open opens a request of category as principal name of w, and fails the
// test when it cannot.
func open(t *testing.T, w *world.World, who allot.Principal, category string, pr support.Priority) support.Request {
	t.Helper()
	return world.Must(w.Support.Open(w.As(who), support.NewRequest{Subject: "Cannot sign in", Body: "The page says no seat.",
		Category: category, Priority: pr}))(t)
}

// target returns r's running target of kind, as stored.
func target(t *testing.T, w *world.World, id int64, kind support.Kind) support.TargetState {
	t.Helper()
	th := world.Must(w.Support.Get(w.Ctx(t, "agent"), id))(t)
	for _, g := range th.Request.Targets {
		if g.Kind == kind && g.Running() {
			return g
		}
	}
	t.Fatalf("request %d has no running %s target: %+v", id, kind, th.Request.Targets)
	return support.TargetState{}
}

// TestRequestLife follows a request from opening to closing: its clocks
// start, stop and move as the conversation goes, and each side is told by
// mail.
func TestRequestLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		start := w.Clock.Now()
		learner := w.Acme.Learner.Principal()
		r := open(t, w, learner, "member_access", "")
		if r.Team != support.TeamSupport || r.Priority != support.Normal || r.Status != support.StatusNew {
			t.Fatalf("opened %+v, want new, normal, with Support", r)
		}
		first := target(t, w, r.ID, support.KindFirstResponse)
		if want := start.Add(12 * time.Hour); !first.Due.Equal(want) || !r.DueAt.Equal(want) {
			t.Errorf("first response due %s (queue %s), want %s", first.Due, r.DueAt, want)
		}
		if want := start.Add(9 * time.Hour); !first.WarnAt.Equal(want) || !r.WarnAt.Equal(want) {
			t.Errorf("first response warned at %s (request %s), want %s: 75 %% of 12 h", first.WarnAt, r.WarnAt, want)
		}
		if got := w.Mails(allot.MailSupportReceived)[w.Acme.Learner.Email]; len(got) != 1 || !got[0].AnswerBy.Equal(first.Due) {
			t.Errorf("receipts %+v, want one saying the answer is due %s", got, first.Due)
		}

		// The agent answers after 2 hours, asking for a screenshot: the
		// first response is met and the resolution clock stops.
		w.Clock.Advance(2 * time.Hour)
		world.Must(w.Support.Reply(w.Ctx(t, "agent"), r.ID, support.Reply{Body: "Which page?", Status: support.StatusWaiting}))(t)
		th := world.Must(w.Support.Get(w.As(learner), r.ID))(t)
		if th.Request.Status != support.StatusWaiting || th.Request.Assignee != "agent@vendor.test" {
			t.Errorf("after the reply %+v, want waiting, assigned to the agent", th.Request)
		}
		res := target(t, w, r.ID, support.KindResolution)
		if !res.Paused || res.Left != res.Length-2*time.Hour {
			t.Errorf("resolution %+v, want paused with %s left", res, res.Length-2*time.Hour)
		}
		if got := w.Mails(allot.MailSupportReply)[w.Acme.Learner.Email]; len(got) != 1 || got[0].Body != "Which page?" || got[0].Token == "" {
			t.Errorf("reply mails %+v, want the reply with its token", got)
		}

		// A day later the learner answers: the request opens again, the
		// resolution clock runs from where it stopped, a next response is owed.
		w.Clock.Advance(24 * time.Hour)
		world.Must(w.Support.Write(w.As(learner), r.ID, "The sign-in page.", nil))(t)
		res = target(t, w, r.ID, support.KindResolution)
		if want := w.Clock.Now().Add(res.Length - 2*time.Hour); res.Paused || !res.Due.Equal(want) {
			t.Errorf("resolution %+v, want running, due %s", res, want)
		}
		next := target(t, w, r.ID, support.KindNextResponse)
		if want := w.Clock.Now().Add(24 * time.Hour); !next.Due.Equal(want) {
			t.Errorf("next response due %s, want %s", next.Due, want)
		}
		if got := w.Mails(allot.MailSupportUpdate)["agent@vendor.test"]; len(got) != 1 {
			t.Errorf("the assignee was told %d times of the learner's message, want once", len(got))
		}

		// Made urgent after an hour, the next response (24 h) is due in 3 h.
		w.Clock.Advance(time.Hour)
		urgent, closed := support.Urgent, support.StatusClosed
		world.Must(w.Support.Update(w.Ctx(t, "agent"), r.ID, support.Change{Priority: &urgent}))(t)
		if next = target(t, w, r.ID, support.KindNextResponse); !next.Due.Equal(w.Clock.Now().Add(3 * time.Hour)) {
			t.Errorf("urgent next response due %s, want %s", next.Due, w.Clock.Now().Add(3*time.Hour))
		}
		world.Must(w.Support.Update(w.Ctx(t, "agent"), r.ID, support.Change{Status: &closed}))(t)
		if _, err := w.Support.Write(w.As(learner), r.ID, "One more thing", nil); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("writing on a closed request: %v, want a conflict", err)
		}
		th = world.Must(w.Support.Get(w.Ctx(t, "agent"), r.ID))(t)
		for _, g := range th.Request.Targets {
			if g.Running() {
				t.Errorf("target %s still runs on a closed request", g.Kind)
			}
		}
		if len(th.Messages) != 3 {
			t.Errorf("%d messages, want the question, the reply and the answer", len(th.Messages))
		}
	})
}

// TestRequestFields refuses bad requests, naming the field.
func TestRequestFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		ok := support.NewRequest{Subject: "Help", Body: "Please", Category: "technical"}
		big := make([]byte, support.MaxAttachmentSize+1)
		copy(big, "%PDF-1.4\n")
		for _, c := range []struct {
			name  string
			edit  func(*support.NewRequest)
			field string
		}{
			{"no subject", func(n *support.NewRequest) { n.Subject = "  " }, "subject"},
			{"a two-line subject", func(n *support.NewRequest) { n.Subject = "a\nb" }, "subject"},
			{"no text", func(n *support.NewRequest) { n.Body = "" }, "body"},
			{"an unknown category", func(n *support.NewRequest) { n.Category = "billing" }, "category"},
			{"an unknown priority", func(n *support.NewRequest) { n.Priority = "asap" }, "priority"},
			{"a file over the limit", func(n *support.NewRequest) { n.Attachments = []support.Upload{{Name: "big.pdf", Data: big}} }, "attachments[0]"},
			{"a program called a PDF", func(n *support.NewRequest) {
				n.Attachments = []support.Upload{{Name: "ok.png", Data: []byte("\x89PNG\r\n\x1a\n....")}, {Name: "x.pdf", Data: []byte("MZ\x90\x00\x03")}}
			}, "attachments[1]"},
			{"copying a success contact the company lacks", func(n *support.NewRequest) { n.CopySuccess = true }, "copy_success"},
		} {
			in := ok
			c.edit(&in)
			if _, err := w.Support.Open(w.As(w.Acme.CM), in); allot.ErrorCode(err) != allot.EINVALID || world.FieldOf(err) != c.field {
				t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
			}
		}
		in := ok
		in.Attachments = []support.Upload{{Name: `C:\shots\screen.png`, Data: []byte("\x89PNG\r\n\x1a\nrest")}}
		r := world.Must(w.Support.Open(w.As(w.Acme.CM), in))(t)
		th := world.Must(w.Support.Get(w.As(w.Acme.CM), r.ID))(t)
		if a := th.Messages[0].Attachments; len(a) != 1 || a[0].Name != "screen.png" || a[0].Type != "image/png" {
			t.Fatalf("attachments %+v, want screen.png as image/png", a)
		}
		got := world.Must(w.Support.Attachment(w.As(w.Acme.CM), th.Messages[0].Attachments[0].ID))(t)
		if string(got.Data) != "\x89PNG\r\n\x1a\nrest" {
			t.Errorf("attachment bytes %q", got.Data)
		}
		if _, err := w.Support.Attachment(w.As(w.Globex.CM), got.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager reading the attachment: %v, want not found", err)
		}
		// A file of the desk's internal note is the desk's alone.
		note := world.Must(w.Support.Note(w.Ctx(t, "agent"), r.ID, "their log", []support.Upload{{Name: "log.txt", Data: []byte("trace")}}))(t)
		if _, err := w.Support.Attachment(w.As(w.Acme.CM), note.Attachments[0].ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("the requester reading a note's file: %v, want not found", err)
		}
		if a := world.Must(w.Support.Attachment(w.Ctx(t, "agent"), note.Attachments[0].ID))(t); string(a.Data) != "trace" {
			t.Errorf("the agent reads the note's file as %q", a.Data)
		}
	})
}

// TestRouting sends each category to its team, by the default table and
// by one the vendor admin edited; only the vendor admin edits it.
func TestRouting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		for _, c := range []struct {
			category string
			team     support.Team
		}{
			{"technical", support.TeamSupport}, {"member_access", support.TeamSupport}, {"licences", support.TeamSupport},
			{"escalation", support.TeamSupport}, {"rollout", support.TeamSuccess}, {"engagement", support.TeamSuccess},
			{"expansion", support.TeamSuccess}, {"programme_resources", support.TeamSuccess},
		} {
			if r := open(t, w, w.Acme.CM, c.category, support.Low); r.Team != c.team {
				t.Errorf("%s went to %s, want %s", c.category, r.Team, c.team)
			}
		}
		table := []support.Route{{Category: "technical", Label: "Something broke", Team: support.TeamSuccess}, {Category: "billing", Label: "Invoices", Team: support.TeamSupport}}
		if _, err := w.Support.SetRoutes(w.Ctx(t, "agent"), table); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("an agent editing the routes: %v, want forbidden", err)
		}
		for _, c := range []struct {
			name  string
			rows  []support.Route
			field string
		}{
			{"none", nil, "routes"},
			{"a bad key", []support.Route{{Category: "Bad Key", Label: "x", Team: support.TeamSupport}}, "routes[0].category"},
			{"a repeat", append(table, table[0]), "routes[2].category"},
			{"no team", []support.Route{{Category: "x", Label: "x", Team: "sales"}}, "routes[0].team"},
		} {
			if _, err := w.Support.SetRoutes(w.Ctx(t, "admin"), c.rows); allot.ErrorCode(err) != allot.EINVALID || world.FieldOf(err) != c.field {
				t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
			}
		}
		world.Must(w.Support.SetRoutes(w.Ctx(t, "admin"), table))(t)
		if r := open(t, w, w.Acme.CM, "technical", ""); r.Team != support.TeamSuccess {
			t.Errorf("technical went to %s after the edit, want success", r.Team)
		}
		if r := open(t, w, w.Acme.CM, "billing", ""); r.Team != support.TeamSupport {
			t.Errorf("billing went to %s, want support", r.Team)
		}
		if _, err := w.Support.Open(w.As(w.Acme.CM), support.NewRequest{Subject: "x", Body: "y", Category: "rollout"}); world.FieldOf(err) != "category" {
			t.Errorf("a category no longer offered: %v, want invalid category", err)
		}
	})
}

// TestEscalation hands a request from Support to the company's success
// contact, who is told, and copies the contact when asked.
func TestEscalation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		success := w.Users["success"]
		world.Must(w.Support.SetAccount(w.Ctx(t, "admin"), support.Account{PartnerID: w.Acme.Company.PartnerID, SuccessID: success.ID}))(t)
		if _, err := w.Support.SetAccount(w.Ctx(t, "admin"), support.Account{CompanyID: w.Acme.Company.ID, SuccessID: w.Users["agent"].ID}); world.FieldOf(err) != "success_id" {
			t.Errorf("an agent as success contact: %v, want invalid success_id", err)
		}
		r := open(t, w, w.Acme.CM, "technical", support.High)
		if _, err := w.Support.Escalate(w.As(w.Acme.CM), r.ID, "please"); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a company manager escalating: %v, want forbidden", err)
		}
		if _, err := w.Support.Escalate(w.Ctx(t, "agent"), r.ID, " "); world.FieldOf(err) != "reason" {
			t.Errorf("escalating without a reason: %v, want invalid reason", err)
		}
		e := world.Must(w.Support.Escalate(w.Ctx(t, "agent"), r.ID, "They plan a rollout to 2,000 people"))(t)
		if e.Team != support.TeamSuccess || e.AssigneeID != success.ID || e.Escalated.IsZero() {
			t.Errorf("escalated %+v, want with Success, assigned to the contact", e)
		}
		if got := w.Mails(allot.MailSupportEscalated)[success.Email]; len(got) != 1 {
			t.Errorf("the contact was told %d times, want once", len(got))
		}
		if _, err := w.Support.Escalate(w.Ctx(t, "agent"), r.ID, "again"); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("escalating twice: %v, want a conflict", err)
		}
		th := world.Must(w.Support.Get(w.As(w.Acme.CM), r.ID))(t)
		for _, m := range th.Messages {
			if m.Kind == support.MessageNote {
				t.Errorf("the company manager reads the desk's note %q", m.Body)
			}
		}
		// Copying: the contact is told once, however often it is asked.
		r2 := world.Must(w.Support.Open(w.As(w.Acme.CM), support.NewRequest{Subject: "Rollout", Body: "Plan", Category: "rollout", CopySuccess: true}))(t)
		world.Must(w.Support.CopySuccess(w.As(w.Acme.CM), r2.ID))(t)
		if got := w.Mails(allot.MailSupportCopied)[success.Email]; len(got) != 1 {
			t.Errorf("copied mails %d, want 1", len(got))
		}
		world.Must(w.Support.Reply(w.Ctx(t, "agent"), r2.ID, support.Reply{Body: "Let us plan it."}))(t)
		if got := w.Mails(allot.MailSupportReply)[success.Email]; len(got) != 1 {
			t.Errorf("the copied contact got %d replies, want 1", len(got))
		}
	})
}

// TestRequestIsolation: a company manager sees their company's requests,
// a member only their own, a partner its customers', the desk every one;
// another's reads as not found.
func TestRequestIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acmeLearner := open(t, w, w.Acme.Learner.Principal(), "technical", "")
		acmeCM := open(t, w, w.Acme.CM, "technical", "")
		globex := open(t, w, w.Globex.CM, "technical", "")
		pm := open(t, w, w.Who["pm"], "expansion", "")
		if pm.CompanyID != 0 || pm.PartnerID != w.Acme.Company.PartnerID {
			t.Errorf("the partner's own request %+v, want of the partner, no company", pm)
		}
		other := w.NewLearner(t, w.Acme)
		for _, c := range []struct {
			name string
			who  allot.Principal
			sees []int64
		}{
			{"acme's learner", w.Acme.Learner.Principal(), []int64{acmeLearner.ID}},
			{"another acme learner", other.Principal(), nil},
			{"acme's manager", w.Acme.CM, []int64{acmeLearner.ID, acmeCM.ID}},
			{"globex's manager", w.Globex.CM, []int64{globex.ID}},
			{"acme's partner", w.Who["pm"], []int64{acmeLearner.ID, acmeCM.ID, pm.ID}},
			{"globex's partner", w.Who["pm2"], []int64{globex.ID}},
			{"an agent", w.Who["agent"], []int64{acmeLearner.ID, acmeCM.ID, globex.ID, pm.ID}},
		} {
			rs, total := world.Must2(w.Support.Requests(w.As(c.who), support.RequestFilter{}))(t)
			got := map[int64]bool{}
			for _, r := range rs {
				got[r.ID] = true
			}
			if total != len(c.sees) || len(rs) != len(c.sees) {
				t.Errorf("%s lists %d of %d, want %d", c.name, len(rs), total, len(c.sees))
			}
			for _, id := range []int64{acmeLearner.ID, acmeCM.ID, globex.ID, pm.ID} {
				want := false
				for _, s := range c.sees {
					want = want || s == id
				}
				_, err := w.Support.Get(w.As(c.who), id)
				if want != (err == nil) || got[id] != want || (!want && allot.ErrorCode(err) != allot.ENOTFOUND) {
					t.Errorf("%s reading request %d: %v (listed %v), want seen %v or not found", c.name, id, err, got[id], want)
				}
				if _, err := w.Support.Write(w.As(c.who), id, "hello", nil); !want && allot.ErrorCode(err) != allot.ENOTFOUND {
					t.Errorf("%s writing on request %d: %v, want not found", c.name, id, err)
				}
			}
		}
		if _, _, err := w.Support.Requests(w.As(w.Acme.CM), support.RequestFilter{CompanyID: w.Globex.Company.ID}); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("acme's manager filtering on globex: %v, want not found", err)
		}
		if _, err := w.Support.Open(w.As(w.Acme.CM), support.NewRequest{CompanyID: w.Globex.Company.ID, Subject: "x", Body: "y", Category: "technical"}); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("acme's manager opening for globex: %v, want not found", err)
		}
		if _, err := w.Support.Reply(w.As(w.Acme.CM), acmeCM.ID, support.Reply{Body: "answering myself"}); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a company manager replying as the desk: %v, want forbidden", err)
		}
		if _, err := w.Support.Licences(w.As(w.Acme.CM), acmeCM.ID); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a company manager reading the licence context: %v, want forbidden", err)
		}
	})
}

// TestLicenceContext shows the desk the requester's company pools and
// seats beside their request.
func TestLicenceContext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		r := open(t, w, w.Acme.Learner.Principal(), "member_access", "")
		l := world.Must(w.Support.Licences(w.Ctx(t, "agent"), r.ID))(t)
		if l.Requester.ID != w.Acme.Learner.ID || l.Company.ID != w.Acme.Company.ID || len(l.Pools) != 2 {
			t.Fatalf("context %+v, want acme's learner with acme's two pools", l)
		}
		if len(l.Seats) != 1 || l.Seats[0].ID != w.Acme.Seat.ID || l.Seats[0].Product == "" {
			t.Errorf("seats %+v, want the learner's premium seat", l.Seats)
		}
		if len(l.Events) == 0 {
			t.Errorf("no licence events of the learner")
		}
		for _, e := range l.Events {
			if e.CompanyID != w.Acme.Company.ID {
				t.Errorf("event %+v of another company", e)
			}
		}
	})
}
