package reclaim_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"allot"
	"allot/reclaim"
	"allot/storetest"
	"allot/world"
)

const day = 24 * time.Hour

// system is the context the rules run in.
var system = allot.WithPrincipal(context.Background(), allot.System)

// seatsOf returns the seat IDs of the entries, sorted.
func seatsOf(es []reclaim.Entry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.SeatID)
	}
	slices.Sort(out)
	return out
}

// sorted returns ids sorted, as a new slice.
func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// only returns the one plan of a company with one rule.
func only(t *testing.T, f *world.Fixture, c allot.Company) reclaim.Plan {
	t.Helper()
	plans := world.Must(f.Reclaim.Preview(f.As(f.CM), c.ID))(t)
	if len(plans) != 1 {
		t.Fatalf("%d plans, want 1", len(plans))
	}
	return plans[0]
}

// login records that u logged in to the product now.
func login(t *testing.T, f *world.Fixture, u allot.User) {
	t.Helper()
	if err := f.Svc.RecordLogin(f.As(f.Admin), u.ID); err != nil {
		t.Fatal(err)
	}
}

// TestPreviewEqualsRun follows a rule of 30 days with a warning 7 days
// before through a month: at each step the preview names exactly the seats
// the run then warns of and reclaims, at the same instant. The learner who
// logs in after the warning keeps the seat; the one who never logged in
// loses it, once warned and 7 days later; the pool gets the seat back and
// the audit log names the rule.
func TestPreviewEqualsRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		pool := f.Pool(f.Company, 10)
		never := f.Learner(f.Company, "never@acme.test")
		back := f.Learner(f.Company, "back@acme.test")
		fresh := f.Learner(f.Company, "fresh@acme.test")
		f.Clock.Advance(day)
		login(t, f, back)
		rule := world.Must(f.Reclaim.SetRule(f.As(f.CM), f.Company.ID, reclaim.RuleInput{Days: 30, WarnDays: 7, Enabled: true}))(t)
		f.Clock.Advance(19 * day) // day 20
		login(t, f, fresh)

		step := func(name string, wantReclaim, wantWarn []int64) reclaim.RunResult {
			t.Helper()
			pl := only(t, f, f.Company)
			if got := seatsOf(pl.Reclaim); !slices.Equal(got, sorted(wantReclaim)) {
				t.Errorf("%s: the preview reclaims %v, want %v", name, got, wantReclaim)
			}
			if got := seatsOf(pl.Warn); !slices.Equal(got, sorted(wantWarn)) {
				t.Errorf("%s: the preview warns %v, want %v", name, got, wantWarn)
			}
			res := world.Must(f.Reclaim.Run(system))(t)
			if !slices.Equal(sorted(res.Reclaimed), seatsOf(pl.Reclaim)) || !slices.Equal(sorted(res.Warned), seatsOf(pl.Warn)) {
				t.Errorf("%s: the run reclaimed %v and warned %v; its preview said %v and %v", name, res.Reclaimed, res.Warned,
					seatsOf(pl.Reclaim), seatsOf(pl.Warn))
			}
			return res
		}
		neverSeat, backSeat := f.Seat(never, "premium"), f.Seat(back, "premium")
		f.Clock.Advance(2 * day) // day 22: nobody is due a warning yet
		step("day 22", nil, nil)
		f.Clock.Advance(3 * day) // day 25: never (day 23) and back (day 24) are
		step("day 25", nil, []int64{neverSeat.ID, backSeat.ID})
		step("day 25 again", nil, nil)
		if pl := only(t, f, f.Company); len(pl.Warned) != 2 || !pl.Warned[0].ReclaimAt.Equal(world.T0.Add(32*day)) {
			t.Errorf("warned %+v, want both to go back on day 32, a week after the warning", pl.Warned)
		}
		f.Clock.Advance(6 * day) // day 31: back logs in
		login(t, f, back)
		f.Clock.Advance(day) // day 32
		step("day 32", []int64{neverSeat.ID}, nil)
		step("day 32 again", nil, nil)

		if st := f.Seat(never, "premium"); st.ReleasedAt.IsZero() || st.ReleaseReason != reclaim.Reason {
			t.Errorf("never's seat %+v, want released as reclaimed", st)
		}
		for _, u := range []allot.User{back, fresh} {
			if !f.Seat(u, "premium").ReleasedAt.IsZero() {
				t.Errorf("%s lost their seat", u.Email)
			}
		}
		if got := f.Reload(pool).Used; got != 3-1 {
			t.Errorf("the pool has %d seats used, want 2", got)
		}
		warned := f.Mails(allot.MailReclaimWarning)
		if len(warned[never.Email]) != 1 || len(warned[back.Email]) != 1 || len(warned[fresh.Email]) != 0 {
			t.Errorf("warnings %v, want one to never and back each", warned)
		}
		if m := warned[never.Email]; len(m) == 1 && (!m[0].EndsAt.Equal(world.T0.Add(32*day)) || m[0].Product != "Premium") {
			t.Errorf("the warning says %+v", m[0])
		}
		if got := f.Mails(allot.MailReclaimed)["cm@acme.test"]; len(got) != 1 || got[0].Seats != 1 {
			t.Errorf("the manager was told %+v, want one mail of one seat", got)
		}
		assertAudit(t, f, neverSeat.ID, rule.ID)
	})
}

// assertAudit checks that the audit log records seat's release and names
// the rule that reclaimed it.
func assertAudit(t *testing.T, f *world.Fixture, seatID, ruleID int64) {
	t.Helper()
	events := world.Must(f.Svc.Events(f.As(f.CM), allot.EventFilter{CompanyID: f.Company.ID, Limit: allot.MaxLimit}))(t)
	var released, named bool
	for _, e := range events {
		if e.SubjectType != "seat" || e.SubjectID != seatID {
			continue
		}
		switch e.Action {
		case "seat.release":
			released = true
		case "seat.reclaim":
			var after struct {
				RuleID int64 `json:"rule_id"`
			}
			if err := json.Unmarshal([]byte(e.After), &after); err != nil {
				t.Fatal(err)
			}
			named = after.RuleID == ruleID && e.ActorEmail == "system"
		}
	}
	if !released || !named {
		t.Errorf("the audit log records the release: %v; names rule %d: %v", released, ruleID, named)
	}
}

// TestRuleWithoutWarning checks a rule without a warning: the seat goes
// back on the day, counted from the seat for a learner who never logged
// in, and a product's own rule takes its seats out of the company-wide one.
func TestRuleWithoutWarning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company
		coach := w.NewSeat(t, w.Acme, "coaching") // a new learner's, beside their premium seat
		world.Must(w.Reclaim.SetRule(w.Ctx(t, "acme cm"), acme.ID, reclaim.RuleInput{Days: 10, Enabled: true}))(t)
		world.Must(w.Reclaim.SetRule(w.Ctx(t, "acme cm"), acme.ID, reclaim.RuleInput{ProductCode: "coaching", Days: 20}))(t)
		w.Clock.Advance(10*day - time.Second)
		if res := world.Must(w.Reclaim.Run(system))(t); len(res.Reclaimed) != 0 {
			t.Errorf("a second early, the run reclaimed %v", res.Reclaimed)
		}
		w.Clock.Advance(time.Second)
		plans := world.Must(w.Reclaim.Preview(w.Ctx(t, "acme cm"), acme.ID))(t)
		if len(plans) != 2 || plans[0].Rule.ProductID != 0 || plans[1].Rule.Product != "Coaching" {
			t.Fatalf("plans %+v, want the company-wide rule then Coaching's", plans)
		}
		if len(plans[0].Reclaim) != 2 || len(plans[1].Reclaim) != 0 {
			t.Errorf("the company-wide rule reclaims %d seats and Coaching's %d, want the two premium seats and none",
				len(plans[0].Reclaim), len(plans[1].Reclaim))
		}
		for _, e := range plans[0].Reclaim {
			if e.ProductID != w.Product.ID || !e.IdleSince.Equal(world.T0) {
				t.Errorf("reclaims %+v, want premium seats idle since the start", e)
			}
		}
		res := world.Must(w.Reclaim.Run(system))(t)
		if !slices.Equal(sorted(res.Reclaimed), seatsOf(plans[0].Reclaim)) {
			t.Errorf("reclaimed %v, want %v", res.Reclaimed, seatsOf(plans[0].Reclaim))
		}
		w.Clock.Advance(10 * day) // Coaching's rule is due, but off
		if res := world.Must(w.Reclaim.Run(system))(t); len(res.Reclaimed) != 0 {
			t.Errorf("a rule switched off reclaimed %v", res.Reclaimed)
		}
		if pl := world.Must(w.Reclaim.Preview(w.Ctx(t, "acme cm"), acme.ID))(t); seatsOf(pl[1].Reclaim)[0] != coach.ID {
			t.Errorf("Coaching's rule would reclaim %v, want %d", seatsOf(pl[1].Reclaim), coach.ID)
		}
		history := world.Must(w.Reclaim.History(w.Ctx(t, "acme cm"), acme.ID))(t)
		if len(history) != 2 || history[0].Email == "" || history[0].Product != "Premium" || history[0].Days != 10 {
			t.Errorf("history %+v, want the two premium seats", history)
		}
	})
}

// TestRuleInput checks what a rule may be, field by field.
func TestRuleInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		tests := []struct {
			name  string
			in    reclaim.RuleInput
			field string
		}{
			{"no days", reclaim.RuleInput{Days: 0}, "days"},
			{"over ten years", reclaim.RuleInput{Days: 3651}, "days"},
			{"a warning as long as the rule", reclaim.RuleInput{Days: 30, WarnDays: 30}, "warn_days"},
			{"a negative warning", reclaim.RuleInput{Days: 30, WarnDays: -1}, "warn_days"},
			{"no such product", reclaim.RuleInput{ProductCode: "nope", Days: 30}, "product"},
		}
		for _, tt := range tests {
			_, err := f.Reclaim.SetRule(f.As(f.CM), f.Company.ID, tt.in)
			world.WantError(t, err, allot.EINVALID, tt.field)
		}
		for _, in := range []reclaim.RuleInput{{Days: 1}, {Days: 3650, WarnDays: 3649}, {ProductCode: "premium", Days: 60, WarnDays: 14, Enabled: true}} {
			world.Must(f.Reclaim.SetRule(f.As(f.CM), f.Company.ID, in))(t)
		}
		rules := world.Must(f.Reclaim.Rules(f.As(f.CM), f.Company.ID))(t)
		if len(rules) != 2 || rules[0].Days != 3650 || rules[1].ProductCode != "premium" || rules[1].ChangedBy != "cm@acme.test" {
			t.Errorf("rules %+v, want the company-wide rule changed to 3650 days and premium's", rules)
		}
		_, err := f.Reclaim.SetRules(f.As(f.CM), f.Company.ID, []reclaim.RuleInput{{Days: 5}, {Days: 6}})
		world.WantError(t, err, allot.EINVALID, "rules[1].product")
		kept := world.Must(f.Reclaim.SetRules(f.As(f.CM), f.Company.ID, []reclaim.RuleInput{{ProductCode: "premium", Days: 9}}))(t)
		if len(kept) != 1 || kept[0].ID != rules[1].ID || kept[0].Days != 9 || kept[0].Enabled {
			t.Errorf("rules %+v, want premium's alone, of 9 days, off", kept)
		}
	})
}

// TestRuleIsolation checks that another company's rules read as not found,
// and that a partner's manager sets them only in manage-company mode.
func TestRuleIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		r := world.Must(w.Reclaim.SetRule(w.Ctx(t, "acme cm"), acme, reclaim.RuleInput{Days: 30}))(t)
		for _, who := range []string{"globex cm", "pm2", "acme learner", "globex learner"} {
			ctx := w.Ctx(t, who)
			_, err := w.Reclaim.Rules(ctx, acme)
			world.WantError(t, err, allot.ENOTFOUND, "")
			_, err = w.Reclaim.Preview(ctx, acme)
			world.WantError(t, err, allot.ENOTFOUND, "")
			_, err = w.Reclaim.SetRule(ctx, acme, reclaim.RuleInput{Days: 30})
			world.WantError(t, err, allot.ENOTFOUND, "")
			_, err = w.Reclaim.History(ctx, acme)
			world.WantError(t, err, allot.ENOTFOUND, "")
		}
		// Globex's manager names Acme's rule in their own company.
		_, err := w.Reclaim.Switch(w.Ctx(t, "globex cm"), w.Globex.Company.ID, r.ID, true)
		world.WantError(t, err, allot.ENOTFOUND, "")
		world.WantError(t, w.Reclaim.DeleteRule(w.Ctx(t, "globex cm"), w.Globex.Company.ID, r.ID), allot.ENOTFOUND, "")
		_, err = w.Reclaim.SetRule(w.Ctx(t, "pm"), acme, reclaim.RuleInput{Days: 30})
		world.WantError(t, err, allot.EFORBIDDEN, "")
		world.Must(w.Reclaim.Switch(w.Ctx(t, "pm@acme"), acme, r.ID, true))(t)
		_, err = w.Reclaim.Run(w.Ctx(t, "admin"))
		world.WantError(t, err, allot.EFORBIDDEN, "")
		if err := w.Reclaim.DeleteRule(w.Ctx(t, "acme cm"), acme, r.ID); err != nil {
			t.Fatal(err)
		}
		if rules := world.Must(w.Reclaim.Rules(w.Ctx(t, "pm"), acme))(t); len(rules) != 0 {
			t.Errorf("rules %+v after the delete", rules)
		}
	})
}
