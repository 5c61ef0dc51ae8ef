package reclaim_test

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
	"allot/reclaim"
	"allot/storetest"
	"allot/world"
)

// The environment of a child process that runs the rules: the database's
// URL, the instant its clock stands at, and when the processes begin,
// together, once all have started.
const (
	runURLEnv = "ALLOT_RECLAIM_URL"
	runAtEnv  = "ALLOT_RECLAIM_AT"
	runGoEnv  = "ALLOT_RECLAIM_GO"
)

// How many learners are warned and how many seats reclaimed when the
// processes run, and how often each process runs the rules.
const (
	warnLearners   = 150
	idleLearners   = 100
	runProcesses   = 3
	runRoundsEach  = 4
	warnRuleDays   = 30
	warnRuleBefore = 7
)

// TestWarningOnceAcrossProcesses has three processes run the rules of one
// database at once, several times: Acme's rule warns each of its learners
// exactly once, with one audit event and one mail each; Beta's rule, which
// warns nobody, reclaims each idle seat once, and its pool gets each back
// once.
func TestWarningOnceAcrossProcesses(t *testing.T) {
	if os.Getenv(runURLEnv) != "" {
		runChild(t)
		return
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		f := world.Setup(t, storetest.Backend{Name: b.Name, URL: func(testing.TB) string { return url }})
		f.Pool(f.Company, warnLearners)
		beta, _ := world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Beta", DefaultProductCode: "premium"}))(t)
		betaPool := f.Pool(beta, idleLearners)
		for i := range warnLearners {
			f.Learner(f.Company, fmt.Sprintf("warned%d@acme.test", i))
		}
		for i := range idleLearners {
			f.Learner(beta, fmt.Sprintf("idle%d@beta.test", i))
		}
		world.Must(f.Reclaim.SetRule(f.As(f.CM), f.Company.ID, reclaim.RuleInput{Days: warnRuleDays, WarnDays: warnRuleBefore, Enabled: true}))(t)
		world.Must(f.Reclaim.SetRule(f.As(f.Managing(beta)), beta.ID, reclaim.RuleInput{Days: warnRuleDays, Enabled: true}))(t)
		f.Clock.Advance(warnRuleDays * day)
		at := f.Clock.Now()
		begin := time.Now().Add(2 * time.Second)
		var children []*exec.Cmd
		outs := make([]*strings.Builder, runProcesses)
		for k := range runProcesses {
			cmd := exec.Command(os.Args[0], "-test.run=^TestWarningOnceAcrossProcesses$", "-test.count=1")
			cmd.Env = append(os.Environ(), runURLEnv+"="+url, runAtEnv+"="+at.Format(time.RFC3339Nano),
				runGoEnv+"="+begin.Format(time.RFC3339Nano))
			outs[k] = &strings.Builder{}
			cmd.Stdout, cmd.Stderr = outs[k], outs[k]
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			children = append(children, cmd)
		}
		warned, reclaimed := map[int64]int{}, map[int64]int{}
		for k, cmd := range children {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("process %d: %v\n%s", k, err, outs[k])
			}
			var res reclaim.RunResult
			_, line, _ := strings.Cut(outs[k].String(), "ran ")
			if err := json.Unmarshal([]byte(strings.SplitN(line, "\n", 2)[0]), &res); err != nil {
				t.Fatalf("process %d said %q: %v", k, outs[k], err)
			}
			t.Logf("process %d warned %d learners and reclaimed %d seats", k, len(res.Warned), len(res.Reclaimed))
			for _, id := range res.Warned {
				warned[id]++
			}
			for _, id := range res.Reclaimed {
				reclaimed[id]++
			}
		}
		if len(warned) != warnLearners || len(reclaimed) != idleLearners {
			t.Errorf("the processes warned of %d seats and reclaimed %d, want %d and %d", len(warned), len(reclaimed), warnLearners, idleLearners)
		}
		for id, n := range warned {
			if n != 1 {
				t.Errorf("seat %d warned of %d times", id, n)
			}
		}
		for id, n := range reclaimed {
			if n != 1 {
				t.Errorf("seat %d reclaimed %d times", id, n)
			}
		}
		mails := f.Mails(allot.MailReclaimWarning)
		if len(mails) != warnLearners {
			t.Errorf("%d learners were warned, want %d", len(mails), warnLearners)
		}
		for to, ms := range mails {
			if len(ms) != 1 {
				t.Errorf("%s got %d warnings", to, len(ms))
			}
		}
		events := map[string]int{}
		err := f.Svc.Store.Read(context.Background(), func(tx allot.Tx) error {
			es, err := tx.Events(allot.EventFilter{Limit: 100000})
			for _, e := range es {
				if e.Action == "seat.reclaim_warning" || e.Action == "seat.reclaim" || e.Action == "seat.release" {
					events[e.Action]++
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if events["seat.reclaim_warning"] != warnLearners || events["seat.reclaim"] != idleLearners || events["seat.release"] != idleLearners {
			t.Errorf("audit events %v, want %d warnings and %d reclaims and releases", events, warnLearners, idleLearners)
		}
		if got := f.Reload(betaPool).Used; got != 0 {
			t.Errorf("Beta's pool has %d seats used, want 0", got)
		}
	})
}

// runChild is one process running the rules: runRoundsEach times over the
// database of its environment at the instant given; it prints what it did.
func runChild(t *testing.T) {
	at, err := time.Parse(time.RFC3339Nano, os.Getenv(runAtEnv))
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.OpenURL(t, os.Getenv(runURLEnv))
	s := &reclaim.Service{Ledger: allot.NewService(db, allot.NewManualClock(at), nil), Store: db.Reclaim()}
	begin, err := time.Parse(time.RFC3339Nano, os.Getenv(runGoEnv))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(begin))
	var total reclaim.RunResult
	for range runRoundsEach {
		res, err := s.Run(allot.WithPrincipal(context.Background(), allot.System))
		if err != nil {
			t.Fatal(err)
		}
		total.Warned = append(total.Warned, res.Warned...)
		total.Reclaimed = append(total.Reclaimed, res.Reclaimed...)
	}
	out, _ := json.Marshal(total)
	fmt.Printf("ran %s\n", out)
}
