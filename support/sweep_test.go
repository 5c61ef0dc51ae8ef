package support_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/support"
	"allot/world"
)

// The environment of a sweeping child process: the database's URL and the
// instant its clock stands at.
const (
	sweepURLEnv = "ALLOT_SWEEP_URL"
	sweepAtEnv  = "ALLOT_SWEEP_AT"
	sweepGoEnv  = "ALLOT_SWEEP_GO" // when the processes begin, together, once all have started
)

// sweepRequests is how many requests are past their targets when the
// processes sweep; sweepRounds how often each process sweeps.
const (
	sweepRequests  = 300
	sweepProcesses = 3
	sweepRounds    = 5
)

// TestBreachOnceAcrossProcesses has three processes sweep one database at
// once, several times, over requests past their warnings and their first
// response: each warning and each breach is recorded exactly once, with one
// audit event and one mail to each person told, and the processes together
// counted each once.
func TestBreachOnceAcrossProcesses(t *testing.T) {
	if os.Getenv(sweepURLEnv) != "" {
		sweepChild(t)
		return
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		w := world.NewWith(t, storetest.Backend{Name: b.Name, URL: func(testing.TB) string { return url }}, world.Options{})
		ids := map[int64]bool{}
		for i := range sweepRequests {
			who := []allot.Principal{w.Acme.CM, w.Globex.CM, w.Acme.Learner.Principal()}[i%3]
			ids[open(t, w, who, "technical", support.Normal).ID] = true
		}
		// Past the warnings of the first response (9 h) and of the
		// resolution (3.75 days of 5), and past the first response itself.
		w.Clock.Advance(4 * 24 * time.Hour)
		at := w.Clock.Now()
		begin := time.Now().Add(2 * time.Second)
		var children []*exec.Cmd
		outs := make([]*strings.Builder, sweepProcesses)
		for k := range sweepProcesses {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBreachOnceAcrossProcesses$", "-test.count=1")
			cmd.Env = append(os.Environ(), sweepURLEnv+"="+url, sweepAtEnv+"="+at.Format(time.RFC3339Nano),
				sweepGoEnv+"="+begin.Format(time.RFC3339Nano))
			outs[k] = &strings.Builder{}
			cmd.Stdout, cmd.Stderr = outs[k], outs[k]
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			children = append(children, cmd)
		}
		var total support.SweepResult
		for k, cmd := range children {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("process %d: %v\n%s", k, err, outs[k])
			}
			var res support.SweepResult
			_, line, _ := strings.Cut(outs[k].String(), "swept ")
			if err := json.Unmarshal([]byte(strings.SplitN(line, "\n", 2)[0]), &res); err != nil {
				t.Fatalf("process %d said %q: %v", k, outs[k], err)
			}
			t.Logf("process %d warned %d and recorded %d breaches", k, res.Warned, res.Breached)
			total.Warned += res.Warned
			total.Breached += res.Breached
		}
		if total.Warned != 2*sweepRequests || total.Breached != sweepRequests {
			t.Errorf("the processes warned %d times and recorded %d breaches, want %d and %d", total.Warned, total.Breached, 2*sweepRequests, sweepRequests)
		}
		events := map[string]int{}
		err := w.Svc.Store.Read(context.Background(), func(tx allot.Tx) error {
			es, err := tx.Events(allot.EventFilter{Limit: 100000})
			for _, e := range es {
				if ids[e.SubjectID] && (e.Action == "request.breach" || e.Action == "request.warning") {
					events[fmt.Sprintf("%s %d %s", e.Action, e.SubjectID, e.After)]++
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 3*sweepRequests {
			t.Errorf("%d distinct warnings and breaches recorded, want %d", len(events), 3*sweepRequests)
		}
		for e, n := range events {
			if n != 1 {
				t.Errorf("%s recorded %d times", e, n)
			}
		}
		// Nobody has the requests: each agent of Support is told of each
		// breach once; the world has one agent.
		if got := w.Mails(allot.MailSupportBreach)["agent@vendor.test"]; len(got) != sweepRequests {
			t.Errorf("the agent was told of %d breaches, want %d", len(got), sweepRequests)
		}
		rs, _ := world.Must2(w.Support.Requests(w.Ctx(t, "agent"), support.RequestFilter{Breached: true, Limit: allot.MaxLimit}))(t)
		if len(rs) != min(sweepRequests, allot.MaxLimit) {
			t.Errorf("%d requests listed as breached, want %d", len(rs), sweepRequests)
		}
		for _, r := range rs[:1] {
			th := world.Must(w.Support.Get(w.Ctx(t, "agent"), r.ID))(t)
			for _, g := range th.Request.Targets {
				if g.Kind == support.KindFirstResponse && !g.BreachedAt.Equal(at) {
					t.Errorf("first response breached at %s, want %s", g.BreachedAt, at)
				}
			}
		}
	})
}

// sweepChild is one sweeping process: it sweeps the database of its
// environment sweepRounds times at the instant given, and prints what it
// recorded.
func sweepChild(t *testing.T) {
	at, err := time.Parse(time.RFC3339Nano, os.Getenv(sweepAtEnv))
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.OpenURL(t, os.Getenv(sweepURLEnv))
	s := &support.Service{Ledger: allot.NewService(db, allot.NewManualClock(at), nil), Store: db.Support()}
	begin, err := time.Parse(time.RFC3339Nano, os.Getenv(sweepGoEnv))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(begin))
	var total support.SweepResult
	for range sweepRounds {
		res, err := s.Sweep(allot.WithPrincipal(context.Background(), allot.System))
		if err != nil {
			t.Fatal(err)
		}
		total.Warned += res.Warned
		total.Breached += res.Breached
	}
	out, _ := json.Marshal(total)
	fmt.Printf("swept %s\n", out)
}
