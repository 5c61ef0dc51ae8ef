package allot_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot/storetest"
)

// The seat invariant: a pool never gives out more seats than
// it has, under concurrent requests, across processes, on every backend.
// Workers allocate, release and reallocate seats of one pool at random while
// the pool is checked after every success and by a sampler in between.
const (
	invQuantity       = 100  // seats in the pool
	invLearners       = 250  // enough learners without a seat to fill the pool
	invAttempts       = 2000 // operations tried in one run, all workers together
	invWorkers        = 64   // goroutines of the one-process test
	invProcesses      = 3    // processes of the several-process test
	invProcessWorkers = 8    // goroutines in each of those processes
	invSeed           = 0x5ea7
	invProduct        = "premium"
	invMaxFailures    = 20 // unexpected errors kept for the report
)

// The several-process test tells its child processes what to do through
// these environment variables.
const (
	invWorkerEnv  = "ALLOT_SEAT_WORKER" // "k/n": the child is worker k of n
	invURLEnv     = "ALLOT_SEAT_URL"
	invCompanyEnv = "ALLOT_SEAT_COMPANY"
	invPoolEnv    = "ALLOT_SEAT_POOL"
	invTallyLine  = "seat-tally: " // prefixes the child's one line of JSON
)

// invNow is when the invariant tests run. Their clocks never move, so no seat
// ends during a run and every seat not released is live.
var invNow = time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)

// TestSeatInvariant runs invWorkers goroutines in this process.
func TestSeatInvariant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := newSeatWorld(t, b.URL(t))
		sampled := w.sample(t)
		tally := w.churn(0, invAttempts, invWorkers)
		tally.add(sampled())
		w.verify(t, tally)
	})
}

// TestSeatInvariantProcesses runs the workers in invProcesses copies of the
// test binary sharing one database. In a child (invWorkerEnv set) it is the
// worker: it does its share of the attempts and prints its tally.
func TestSeatInvariantProcesses(t *testing.T) {
	if os.Getenv(invWorkerEnv) != "" {
		seatWorker(t)
		return
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		w := newSeatWorld(t, url)
		sampled := w.sample(t)
		var (
			cmds    []*exec.Cmd
			outputs []*bytes.Buffer
		)
		for k := range invProcesses {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSeatInvariantProcesses$", "-test.count=1")
			cmd.Env = append(os.Environ(),
				fmt.Sprintf("%s=%d/%d", invWorkerEnv, k, invProcesses),
				invURLEnv+"="+url,
				fmt.Sprintf("%s=%d", invCompanyEnv, w.company.ID),
				fmt.Sprintf("%s=%d", invPoolEnv, w.pool.ID))
			out := new(bytes.Buffer)
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatalf("start worker %d: %v", k, err)
			}
			cmds, outputs = append(cmds, cmd), append(outputs, out)
		}
		var tally seatTally
		for k, cmd := range cmds {
			err := cmd.Wait()
			child, found := readTally(outputs[k].Bytes())
			if err != nil || !found {
				t.Errorf("worker %d: %v; its output:\n%s", k, err, outputs[k])
			}
			tally.add(child)
		}
		tally.add(sampled())
		w.verify(t, tally)
	})
}

// seatWorker is the child's side of TestSeatInvariantProcesses.
func seatWorker(t *testing.T) {
	var k, n int
	if _, err := fmt.Sscanf(os.Getenv(invWorkerEnv), "%d/%d", &k, &n); err != nil || n < 1 || k < 0 || k >= n {
		t.Fatalf("%s=%q: want k/n", invWorkerEnv, os.Getenv(invWorkerEnv))
	}
	companyID, err1 := strconv.ParseInt(os.Getenv(invCompanyEnv), 10, 64)
	poolID, err2 := strconv.ParseInt(os.Getenv(invPoolEnv), 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s and %s must hold ids: %v %v", invCompanyEnv, invPoolEnv, err1, err2)
	}
	w := findSeatWorld(t, os.Getenv(invURLEnv), companyID, poolID)
	tally := w.churn(k*invAttempts/n, (k+1)*invAttempts/n, invProcessWorkers)
	line, err := json.Marshal(tally)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s%s\n", invTallyLine, line)
}

// readTally finds a child's tally in its output.
func readTally(out []byte) (seatTally, bool) {
	var tally seatTally
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), invTallyLine); ok {
			return tally, json.Unmarshal([]byte(rest), &tally) == nil
		}
	}
	return tally, false
}

// seatTally counts what a run did. It travels from child processes as JSON.
type seatTally struct {
	Allocated   int64    `json:"allocated"`
	Released    int64    `json:"released"`
	Reallocated int64    `json:"reallocated"`
	Conflicts   int64    `json:"conflicts"` // no free seat, already holds one, already released
	Idle        int64    `json:"idle"`      // releases and reallocations that found no seat to act on
	Errors      int64    `json:"errors"`    // attempts that failed otherwise
	Checks      int64    `json:"checks"`    // looks at the pool
	Full        int64    `json:"full"`      // looks that found every seat given: the limit was reached
	Failures    []string `json:"failures"`  // unexpected errors and broken invariants
}

func (s *seatTally) add(o seatTally) {
	s.Allocated += o.Allocated
	s.Released += o.Released
	s.Reallocated += o.Reallocated
	s.Conflicts += o.Conflicts
	s.Idle += o.Idle
	s.Errors += o.Errors
	s.Checks += o.Checks
	s.Full += o.Full
	for _, f := range o.Failures {
		s.fail("%s", f)
	}
}

func (s *seatTally) fail(format string, args ...any) {
	if len(s.Failures) < invMaxFailures {
		s.Failures = append(s.Failures, fmt.Sprintf(format, args...))
	}
}
