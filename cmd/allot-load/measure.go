package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

// results are what the measured phases found.
type results struct {
	Health     phase // wrk /healthz without credentials
	HealthAuth phase // wrk /healthz with the token
	Check      phase // wrk /v1/check
	Fixed      heyRun
	LoadAvg    string // before the run
}

// measure warms the server up, then runs the phases one after the other.
func measure(ctx context.Context, c config, t tools, s *server, logf func(string, ...any)) (results, error) {
	r := results{LoadAvg: loadAverage()}
	dir, err := os.MkdirTemp("", "allot-load-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	var scripts [3]string
	for i, sc := range []struct{ name, path, token string }{
		{"health", "/healthz", ""}, {"health-token", "/healthz", s.token}, {"check", "", s.token},
	} {
		if scripts[i], err = writeScript(dir, sc.name, sc.path, sc.token, c.Product); err != nil {
			return r, err
		}
	}
	wrk := func(name, script string, profile bool) (phase, error) {
		logf("%s for %s…", name, c.Duration)
		var stop func()
		if profile && c.CPUProfile != "" {
			f, err := os.Create(c.CPUProfile)
			if err != nil {
				return phase{}, err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return phase{}, err
			}
			stop = pprof.StopCPUProfile
		}
		before := sampleCPU()
		p, out, err := runWrk(ctx, c, t, s.addr, script, c.Duration)
		if stop != nil {
			stop()
		}
		p.Name = name
		p.cpu(before, sampleCPU())
		logf("%s", indent(out))
		return p, err
	}
	logf("warming up: wrk /v1/check for %s (not counted)…", warmUp)
	if _, _, err := runWrk(ctx, c, t, s.addr, scripts[2], warmUp); err != nil {
		return r, err
	}
	if r.Health, err = wrk("wrk /healthz (no token)", scripts[0], false); err != nil {
		return r, err
	}
	if r.HealthAuth, err = wrk("wrk /healthz (token)", scripts[1], false); err != nil {
		return r, err
	}
	if r.Check, err = wrk("wrk /v1/check (random learner)", scripts[2], true); err != nil {
		return r, err
	}
	logf("hey /v1/check at %d/s for %s (%d workers at %d/s each)…", c.Rate, c.Duration, c.Workers, c.Rate/c.Workers)
	var stop func()
	if c.RateProfile != "" {
		f, err := os.Create(c.RateProfile)
		if err != nil {
			return r, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return r, err
		}
		stop = pprof.StopCPUProfile
	}
	before := sampleCPU()
	r.Fixed, err = runHey(ctx, c, t, s, c.Duration)
	if stop != nil {
		stop()
	}
	if err != nil {
		return r, err
	}
	r.Fixed.cpu(before, sampleCPU())
	return r, nil
}

// loadAverage returns the machine's load averages, when it tells them.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// cpuSample is CPU time used so far: by this process (the server), by its
// children that have ended (wrk and hey), by the whole machine.
type cpuSample struct{ self, children, machine time.Duration }

// cpu sets p's CPU times from samples taken before and after it. What the
// machine spent besides the server and its clients went to other programs.
func (p *phase) cpu(before, after cpuSample) {
	p.ServerCPU, p.ClientCPU = after.self-before.self, after.children-before.children
	if after.machine > 0 {
		p.OtherCPU = max(0, after.machine-before.machine-p.ServerCPU-p.ClientCPU)
	}
}

// perRequest formats CPU time per answered request.
func perRequest(cpu time.Duration, p phase) string {
	if p.Requests == 0 || cpu == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f µs", float64(cpu.Microseconds())/float64(p.Requests))
}

// cpus formats CPU time over a phase as a number of CPUs busy.
func cpus(cpu time.Duration, p phase) string {
	if p.Elapsed == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", cpu.Seconds()/p.Elapsed.Seconds())
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
