package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"allot/loadtest"
)

// heyRun is the fixed-rate phase: c.Workers workers of hey, each sending
// c.Rate/c.Workers requests per second. hey sends one URL, so the phase
// checks one learner, drawn at random among those with a seat: one
// process is half the CPU of several with a learner each, which matters
// more on two CPUs than which pages of the ledger the check reads.
type heyRun struct {
	phase
	Target  int    // requests per second asked for
	Learner string // whose entitlement was checked
}

// runHey runs the fixed-rate phase against the server for d.
func runHey(ctx context.Context, c config, t tools, s *server, d time.Duration) (heyRun, error) {
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	learner := 1 + rand.Int64N(loadtest.Learners)
	for loadtest.Released(learner) {
		learner++
	}
	perWorker := c.Rate / c.Workers
	cmd := exec.CommandContext(ctx, t.hey, "-z", d.String(), "-c", strconv.Itoa(c.Workers), "-q", strconv.Itoa(perWorker),
		"-t", "10", "-H", "Authorization: Bearer "+s.token, s.checkURL(learner, c.Product))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return heyRun{}, fmt.Errorf("hey: %w\n%s", err, out.String())
	}
	h, err := heySummary(out.String())
	if err != nil {
		return h, err
	}
	h.Target, h.Learner = perWorker*c.Workers, loadtest.LearnerEmail(learner)
	h.Name = fmt.Sprintf("hey /v1/check at %d/s", h.Target)
	return h, nil
}

// heySummary reads hey's summary: the time it ran, the slowest request, the
// latency distribution, and the counts of status codes and of errors.
func heySummary(out string) (heyRun, error) {
	var (
		h       heyRun
		section string
		seen    = map[string]bool{}
	)
	secs := func(s string) (time.Duration, error) {
		f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), " secs"), 64)
		return time.Duration(math.Round(f * float64(time.Second))), err
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasSuffix(line, ":") && !strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		var err error
		switch {
		case section == "Summary:" && strings.HasPrefix(line, "Total:"):
			h.Elapsed, err = secs(strings.TrimPrefix(line, "Total:"))
			seen["total"] = true
		case section == "Summary:" && strings.HasPrefix(line, "Slowest:"):
			h.Max, err = secs(strings.TrimPrefix(line, "Slowest:"))
		case section == "Latency distribution:":
			pct, at, ok := strings.Cut(line, "% in ")
			if !ok {
				continue
			}
			var v time.Duration
			if v, err = secs(at); err == nil {
				switch pct {
				case "50":
					h.P50 = v
				case "90":
					h.P90 = v
				case "99":
					h.P99, seen["p99"] = v, true
				}
			}
		case section == "Status code distribution:" && strings.HasPrefix(line, "["):
			var code, n int64
			if _, err = fmt.Sscanf(line, "[%d] %d responses", &code, &n); err == nil {
				h.Requests += n
				if code < 200 || code > 299 {
					h.NonOK += n
				}
			}
		case section == "Error distribution:" && strings.HasPrefix(line, "["):
			var n int64
			if _, err = fmt.Sscanf(line, "[%d]", &n); err == nil {
				h.SocketErrors += n
			}
		}
		if err != nil {
			return h, fmt.Errorf("hey: read %q: %w", line, err)
		}
	}
	if !seen["total"] || (!seen["p99"] && h.Requests > 0) {
		return h, fmt.Errorf("hey: no summary in its output:\n%s", out)
	}
	return h, nil
}
