package main

// The handler's benchmark, on the load test's ledger (seeded in the OS's
// temporary directory the first time, in 10 to 30 s):
//
//	go test -run '^$' -bench BenchmarkHandler ./cmd/allot-load

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"allot/loadtest"
)

// BenchmarkHandler measures the server's handler answering the check of a
// learner drawn at random, as the load test serves it, without the
// network: what allot's code costs per check, apart from net/http's
// connections and the system calls that weigh most on small machines.
func BenchmarkHandler(b *testing.B) {
	ctx := context.Background()
	path, err := ledger(ctx, "", b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	s, err := startServer(ctx, path, io.Discard, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	defer s.close()
	rng := rand.New(rand.NewPCG(loadtest.Version, 11))
	requests := make([]*http.Request, 1<<12)
	for i := range requests {
		url := s.checkURL(rng.Int64N(loadtest.Learners)+1, loadtest.Product)
		requests[i] = httptest.NewRequest(http.MethodGet, url[strings.Index(url, "/v1/"):], nil)
		requests[i].Header.Set("Authorization", "Bearer "+s.token)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := httptest.NewRecorder()
		s.watch.ServeHTTP(w, requests[i%len(requests)])
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"allowed":`) {
			b.Fatalf("GET %s: %d %s", requests[i%len(requests)].URL, w.Code, w.Body)
		}
		i++
	}
}
