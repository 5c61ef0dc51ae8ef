package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"allot/loadtest"
)

// tools are the paths of wrk and hey.
type tools struct{ wrk, hey string }

// findTools finds wrk and hey on the PATH.
func findTools() (tools, error) {
	var t tools
	var missing []string
	for _, tool := range []struct {
		name string
		path *string
	}{{"wrk", &t.wrk}, {"hey", &t.hey}} {
		p, err := exec.LookPath(tool.name)
		if err != nil {
			missing = append(missing, tool.name)
		}
		*tool.path = p
	}
	if len(missing) > 0 {
		return t, fmt.Errorf("%s not found on the PATH: install with apt-get install -y %s (or run scripts/load, which does)",
			strings.Join(missing, " and "), strings.Join(missing, " "))
	}
	return t, nil
}

// wrkScript asks for path with the token when set, or, when path is empty,
// for the check of a learner drawn at random. Each thread draws and formats
// a few thousand requests before its first one and then sends them in
// turn: formatting a request in Lua as it is sent cost wrk about as much
// CPU as sending it, CPU taken from the server on a small machine. The
// drawing is not done in init: wrk runs each thread's init while the
// threads before it already send, outside the time it divides by. done
// prints the results on one line that wrkResult reads.
const wrkScript = `-- Written by allot-load for one run.
local path, token = %q, %q
local learners, per_company, product, drawn = %d, %d, %q, %d

if token ~= "" then
	wrk.headers["Authorization"] = "Bearer " .. token
end

local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("thread_no", threads)
end

local requests, n = {}, 0
local function draw()
	if path ~= "" then
		requests[1] = wrk.format("GET", path)
		return
	end
	math.randomseed(os.time() + 7919 * (thread_no or 0))
	for k = 1, drawn do
		local i = math.random(learners)
		local company = math.floor((i - 1) / per_company) + 1
		requests[k] = wrk.format("GET", "/v1/check?user=learner" .. i .. "%%40company" .. company .. ".test&product=" .. product)
	end
end

function request()
	if n == 0 then
		draw()
	end
	n = n %% #requests + 1
	return requests[n]
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("ALLOT-WRK %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\n",
		summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`

// wrkDrawn is how many requests each wrk thread draws and then sends in
// turn. A learner comes round again only after as many others, whose pages
// of the ledger have long left the CPU's caches by then.
const wrkDrawn = 1 << 14

// writeScript writes a wrk script into dir and returns its path.
func writeScript(dir, name, path, token, product string) (string, error) {
	file := filepath.Join(dir, name+".lua")
	body := fmt.Sprintf(wrkScript, path, token, loadtest.Learners, loadtest.PerCompany, product, wrkDrawn)
	return file, os.WriteFile(file, []byte(body), 0o600)
}

// phase is what one measured phase found.
type phase struct {
	Name               string
	Requests           int64
	Elapsed            time.Duration
	P50, P90, P99, Max time.Duration
	NonOK              int64         // responses other than 2xx (wrk: 4xx and 5xx)
	SocketErrors       int64         // connect, read, write errors and timeouts
	ServerCPU          time.Duration // CPU time of allot's process
	ClientCPU          time.Duration // of wrk or hey
	OtherCPU           time.Duration // of the rest of the machine
}

// Rate is the requests answered per second.
func (p phase) Rate() float64 { return float64(p.Requests) / p.Elapsed.Seconds() }

// runWrk runs wrk with script against the server for d.
func runWrk(ctx context.Context, c config, t tools, addr, script string, d time.Duration) (phase, string, error) {
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.wrk, "-t", strconv.Itoa(c.Threads), "-c", strconv.Itoa(c.Connections),
		"-d", fmt.Sprintf("%ds", int(d.Seconds())), "--timeout", "2s", "-s", script, "http://"+addr)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return phase{}, out.String(), fmt.Errorf("wrk: %w\n%s", err, out.String())
	}
	p, err := wrkResult(out.String())
	return p, out.String(), err
}

// wrkResult reads the line the script's done function prints.
func wrkResult(out string) (phase, error) {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		fields, ok := strings.CutPrefix(sc.Text(), "ALLOT-WRK ")
		if !ok {
			continue
		}
		var (
			p                                             phase
			duration, connect, read, write, status, tmout int64
			p50, p90, p99, maxLatency                     int64
		)
		if _, err := fmt.Sscan(fields, &p.Requests, &duration, &connect, &read, &write, &status, &tmout,
			&p50, &p90, &p99, &maxLatency); err != nil {
			return p, fmt.Errorf("wrk: read its results: %w", err)
		}
		us := func(n int64) time.Duration { return time.Duration(n) * time.Microsecond }
		p.Elapsed, p.P50, p.P90, p.P99, p.Max = us(duration), us(p50), us(p90), us(p99), us(maxLatency)
		p.NonOK, p.SocketErrors = status, connect+read+write+tmout
		return p, nil
	}
	return phase{}, errors.New("wrk printed no results:\n" + out)
}
