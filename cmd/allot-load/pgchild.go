package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"allot"
	"allot/loadtest"
	"allot/store"
)

// childCommand, as the first argument, runs allot-load as one of the
// processes that check on PostgreSQL: the run starts one or two of them at
// once, as allot serve would run on one or two machines.
const childCommand = "check-process"

// childResult is what a checking process found in its measured window, as
// it prints it on one line of JSON.
type childResult struct {
	Checks  int64         // decisions made
	Refused int64         // of them refused: learners whose seat was released
	Elapsed time.Duration // from the start until the last caller's last check ended
	CPU     time.Duration // the process's own CPU time over that window
}

// childDrawn is how many learners each caller draws and then checks in
// turn, as wrk's threads do.
const childDrawn = 1 << 14

// runChild opens the ledger at -url as allot serve does (store.Open and a
// Service on the wall clock), warms up for -warmup with -callers callers,
// then prints "ready" and waits for a line on in. On that line its callers
// check learners drawn at random by e-mail, as the product's integration
// asks, for -duration, each decision checked against the ledger. It then
// prints its childResult.
func runChild(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet(childCommand, flag.ContinueOnError)
	url := fs.String("url", "", "the ledger's postgres:// URL")
	callers := fs.Int("callers", 1, "callers checking at once")
	duration := fs.Duration("duration", 10*time.Second, "the measured window")
	warmup := fs.Duration("warmup", 2*time.Second, "checks before the window, not counted")
	seed := fs.Uint64("seed", 1, "the seed of the learners drawn")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := allot.NewService(db, allot.SystemClock{}, nil)
	system := allot.WithPrincipal(context.Background(), allot.System)
	check := func(q allot.EntitlementQuery) (allot.Decision, error) { return svc.Check(system, q) }
	picks := make([][]int64, *callers)
	rng := rand.New(rand.NewPCG(loadtest.Version, *seed))
	for i := range picks {
		for range childDrawn {
			picks[i] = append(picks[i], 1+rng.Int64N(loadtest.Learners))
		}
	}
	if _, err := callAll(check, picks, *warmup); err != nil {
		return err
	}
	fmt.Fprintln(out, "ready")
	if _, err := bufio.NewReader(in).ReadString('\n'); err != nil {
		return fmt.Errorf("wait for the start: %w", err)
	}
	r, err := callAll(check, picks, *duration)
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(r)
}

// callAll runs a caller for each list of picks, each checking its learners
// in turn, for d: a check started before d ran out counts. It stops at the
// first decision that is wrong for the ledger.
func callAll(check decider, picks [][]int64, d time.Duration) (childResult, error) {
	var (
		r        childResult
		stop     atomic.Bool
		wg       sync.WaitGroup
		errs     = make([]error, len(picks))
		cpu      = sampleCPU().self
		start    = time.Now()
		deadline = time.AfterFunc(d, func() { stop.Store(true) })
	)
	defer deadline.Stop()
	for n, learners := range picks {
		wg.Go(func() {
			var checks, refused int64
			for i := 0; !stop.Load(); i++ {
				l := learners[i%len(learners)]
				dec, err := check(allot.EntitlementQuery{Email: loadtest.LearnerEmail(l), ProductCode: loadtest.Product})
				if err == nil && dec.Allowed == loadtest.Released(l) {
					err = fmt.Errorf("learner %d: allowed %t (%s)", l, dec.Allowed, dec.Reason)
				}
				if err != nil {
					errs[n] = err
					stop.Store(true)
					break
				}
				checks++
				if !dec.Allowed {
					refused++
				}
			}
			atomic.AddInt64(&r.Checks, checks)
			atomic.AddInt64(&r.Refused, refused)
		})
	}
	wg.Wait()
	r.Elapsed, r.CPU = time.Since(start), sampleCPU().self-cpu
	return r, errors.Join(errs...)
}

// decider is Service.Check as the product's integration asks it.
type decider func(allot.EntitlementQuery) (allot.Decision, error)

// runProcesses runs procs checking processes of callers each on the ledger
// at url. It starts them all, waits until each has warmed up, starts their
// measured windows at once, and adds up what they checked.
func runProcesses(ctx context.Context, self, url string, procs, callers int, d time.Duration) (pgPhase, error) {
	ctx, cancel := context.WithTimeout(ctx, d+2*time.Minute)
	defer cancel()
	type process struct {
		cmd *exec.Cmd
		in  io.WriteCloser
		out *bufio.Reader
	}
	var ps []process
	defer func() {
		for _, p := range ps {
			p.in.Close()
			p.cmd.Wait()
		}
	}()
	for i := range procs {
		cmd := exec.CommandContext(ctx, self, childCommand, "-url", url, "-callers", strconv.Itoa(callers),
			"-duration", d.String(), "-warmup", pgWarmUp.String(), "-seed", strconv.Itoa(i+1))
		cmd.Stderr = os.Stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			return pgPhase{}, err
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			return pgPhase{}, err
		}
		if err := cmd.Start(); err != nil {
			return pgPhase{}, err
		}
		ps = append(ps, process{cmd, in, bufio.NewReader(out)})
	}
	for _, p := range ps {
		if line, err := p.out.ReadString('\n'); line != "ready\n" {
			return pgPhase{}, fmt.Errorf("a checking process did not start (%q, %v): see above", line, err)
		}
	}
	before := sampleCPU()
	for _, p := range ps {
		if _, err := io.WriteString(p.in, "go\n"); err != nil {
			return pgPhase{}, err
		}
	}
	var total pgPhase
	for _, p := range ps {
		var r childResult
		if err := json.NewDecoder(p.out).Decode(&r); err != nil {
			return pgPhase{}, fmt.Errorf("a checking process failed (%v): see above", err)
		}
		total.Ops, total.Refused = total.Ops+r.Checks, total.Refused+r.Refused
		total.Rate += float64(r.Checks) / r.Elapsed.Seconds()
		total.Own += r.CPU
	}
	total.Machine = sampleCPU().machine - before.machine
	return total, nil
}
