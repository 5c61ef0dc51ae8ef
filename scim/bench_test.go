package scim_test

// The SCIM benchmark, on every backend:
//
//	go test -run '^$' -bench BenchmarkMix -benchtime 3000x -v ./scim/
//
// Clients provision people over HTTP as a directory does, each in turn
// creating a user, changing it with a PATCH (display name, department and
// a work e-mail by a filtered path) and reading it back: one operation is
// one request, the mix a third of each. Each user created gets a seat of
// the company's default product. It reports requests/s and the 50th and
// 99th percentiles of the requests' latency: with one client sending
// each request when the last is answered, and eight at once (saturated);
// and with requests sent at 250 a second whatever the answers, in turn
// by eight clients, each request's latency counted from when it was due
// (Entra ID sends at most about 25 a second per tenant).

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/csvio"
	"allot/directory"
	"allot/scim"
	"allot/storetest"
)

func BenchmarkMix(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		b.Run("clients=1", func(b *testing.B) { closedLoop(b, be, 1) })
		b.Run("clients=8", func(b *testing.B) { closedLoop(b, be, 8) })
		b.Run("rate=250", func(b *testing.B) { openLoop(b, be, 8, 250) })
	})
}

// closedLoop runs b.N requests by clients that each send their next
// request as soon as the last is answered: the most one directory (one
// client) or several at once get through.
func closedLoop(b *testing.B, be storetest.Backend, clients int) {
	b.StopTimer()
	bench := newBench(b, be)
	lat := make([][]time.Duration, clients)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	b.StartTimer()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var id string
			for n := int64(0); next.Add(1) <= int64(b.N); n++ {
				start := time.Now()
				id = bench.step(b, c, n, id)
				lat[c] = append(lat[c], time.Since(start))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	report(b, lat)
}

// openLoop sends b.N requests at rate a second, in turn to each of the
// clients, whatever the answers: a request's latency runs from when it
// was due, so that one waiting behind a slow one counts its wait.
func openLoop(b *testing.B, be storetest.Backend, clients, rate int) {
	b.StopTimer()
	bench := newBench(b, be)
	lat := make([][]time.Duration, clients)
	queues := make([]chan time.Time, clients)
	var wg sync.WaitGroup
	for c := range clients {
		queues[c] = make(chan time.Time, b.N/clients+1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var id string
			n := int64(0)
			for due := range queues[c] {
				id = bench.step(b, c, n, id)
				lat[c] = append(lat[c], time.Since(due))
				n++
			}
		}()
	}
	b.StartTimer()
	start := time.Now()
	for i := range b.N {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(due))
		queues[i%clients] <- due
	}
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	b.StopTimer()
	report(b, lat)
}

// report reports the requests a second and the latencies' percentiles.
func report(b *testing.B, lat [][]time.Duration) {
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(percentile(all, 0.50), "p50-ms")
	b.ReportMetric(percentile(all, 0.99), "p99-ms")
}

// percentile returns the p-th percentile of the sorted durations, in ms.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, int(float64(len(sorted))*p))
	return float64(sorted[i]) / float64(time.Millisecond)
}

// bench is a company with free seats and its SCIM token, served over HTTP.
type bench struct {
	url, token string
	client     *http.Client
	users      atomic.Int64
}

func newBench(b *testing.B, be storetest.Backend) *bench {
	b.Helper()
	db := be.Open(b)
	svc := allot.NewService(db, allot.NewManualClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)), nil)
	dir := &directory.Service{Ledger: svc, Store: db.Directory(), Files: csvio.Files{}}
	s := &scim.Service{Ledger: svc, Store: db.SCIM(), Directory: dir}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		b.Fatal(err)
	}
	c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: "Bench", DefaultProductCode: "premium"})
	if err != nil {
		b.Fatal(err)
	}
	o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: b.N + 10})
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := svc.AssignOrder(sys, o.ID); err != nil {
		b.Fatal(err)
	}
	_, token, err := s.NewToken(sys, c.ID)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(scim.New(scim.Config{Service: s}))
	b.Cleanup(srv.Close)
	return &bench{url: srv.URL + scim.Prefix, token: token,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// step sends client c's request n: it creates a user, patches the user
// created last (id), or reads it, in turn. It returns the user to go on
// with.
func (be *bench) step(b *testing.B, c int, n int64, id string) string {
	switch {
	case id == "" || n%3 == 0:
		u := be.users.Add(1)
		body := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u%d@bench.test","active":true,`+
			`"name":{"givenName":"User","familyName":"%d"},"emails":[{"primary":true,"type":"work","value":"u%d@bench.test"}]}`, u, u, u)
		return be.do(b, "POST", "/Users", body, http.StatusCreated)
	case n%3 == 1:
		body := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[`+
			`{"op":"Replace","path":"displayName","value":"User %d of client %d"},`+
			`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Dept %d"},`+
			`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"u%s.%d@bench.test"}]}`, n, c, n%40, id[:8], n)
		be.do(b, "PATCH", "/Users/"+id, body, http.StatusNoContent)
	default:
		be.do(b, "GET", "/Users/"+id, "", http.StatusOK)
	}
	return id
}

// do sends a request and returns the id of the user it answers with. It
// runs on the clients' goroutines: it reports failures, and goes on.
func (be *bench) do(b *testing.B, method, path, body string, want int) string {
	req, err := http.NewRequest(method, be.url+path, strings.NewReader(body))
	if err != nil {
		b.Error(err)
		return ""
	}
	req.Header.Set("Authorization", "Bearer "+be.token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := be.client.Do(req)
	if err != nil {
		b.Error(err)
		return ""
	}
	defer resp.Body.Close()
	var r struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil && resp.StatusCode != http.StatusNoContent {
		b.Errorf("%s %s: %v", method, path, err)
	}
	if resp.StatusCode != want {
		b.Errorf("%s %s: %d, want %d", method, path, resp.StatusCode, want)
	}
	return r.ID
}
