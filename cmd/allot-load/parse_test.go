package main

import (
	"testing"
	"time"
)

// heyOutput is hey 0.1.4's summary, as Debian ships it, shortened.
const heyOutput = `
Summary:
  Total:	20.0591 secs
  Slowest:	0.1039 secs
  Fastest:	0.0001 secs
  Average:	0.0054 secs
  Requests/sec:	4120.1987

Response time histogram:
  0.000 [1]	|
  0.010 [7604]	|■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■

Latency distribution:
  10% in 0.0008 secs
  50% in 0.0028 secs
  90% in 0.0119 secs
  95% in 0.0253 secs
  99% in 0.0431 secs

Details (average, fastest, slowest):
  DNS+dialup:	0.0000 secs, 0.0001 secs, 0.1039 secs
  resp wait:	0.0050 secs, 0.0000 secs, 0.0827 secs

Status code distribution:
  [200]	82400 responses
  [503]	7 responses

Error distribution:
  [12]	Get "http://127.0.0.1:8080/v1/check": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
`

func TestHeySummary(t *testing.T) {
	h, err := heySummary(heyOutput)
	if err != nil {
		t.Fatal(err)
	}
	want := phase{Requests: 82407, Elapsed: 20059100 * time.Microsecond, P50: 2800 * time.Microsecond, P90: 11900 * time.Microsecond,
		P99: 43100 * time.Microsecond, Max: 103900 * time.Microsecond, NonOK: 7, SocketErrors: 12}
	if h.phase != want {
		t.Errorf("got  %+v\nwant %+v", h.phase, want)
	}
	if _, err := heySummary("Usage: hey [options...] <url>\n"); err == nil {
		t.Error("no summary read as one")
	}
}

func TestWrkResult(t *testing.T) {
	out := "Running 20s test @ http://127.0.0.1:41097\n  2 threads and 64 connections\n" +
		"ALLOT-WRK 957193 20041443 0 3 0 5 1 1823 6384 18777 49157\n"
	p, err := wrkResult(out)
	if err != nil {
		t.Fatal(err)
	}
	want := phase{Requests: 957193, Elapsed: 20041443 * time.Microsecond, P50: 1823 * time.Microsecond, P90: 6384 * time.Microsecond,
		P99: 18777 * time.Microsecond, Max: 49157 * time.Microsecond, NonOK: 5, SocketErrors: 4}
	if p != want {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}
	if _, err := wrkResult("Running 20s test\n"); err == nil {
		t.Error("no result line read as one")
	}
}
