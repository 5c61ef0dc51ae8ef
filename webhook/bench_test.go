package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/webhook"
)

// BenchmarkDeliver delivers b.N events of the audit log to a receiver on
// 127.0.0.1 that answers 200 at once: the fan-out, the claims, the signed
// requests and the record of every attempt, as the dispatcher does them.
// It reports deliveries per second; the goal is 500 or more.
func BenchmarkDeliver(b *testing.B) {
	storetest.Each(b, func(b *testing.B, backend storetest.Backend) {
		var received atomic.Int64
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			received.Add(1)
		}))
		defer rcv.Close()
		db := backend.Open(b)
		clock := allot.NewManualClock(time.Now())
		ledger := allot.NewService(db, clock, nil)
		s := &webhook.Service{Ledger: ledger, Store: db.Webhook(), AllowLoopback: true}
		sys := allot.WithPrincipal(context.Background(), allot.System)
		if _, err := s.CreateEndpoint(sys, webhook.NewEndpoint{URL: rcv.URL + "/hooks", Types: []string{"seat.given"}}); err != nil {
			b.Fatal(err)
		}
		clock.Advance(time.Second)
		err := db.Write(sys, func(tx allot.Tx) error {
			for i := range b.N {
				e := allot.Event{At: clock.Now(), ActorEmail: "system", CompanyID: 1, Action: "seat.allocate", SubjectType: "seat",
					SubjectID: int64(i + 1), After: `{"PoolID":1}`}
				if err := tx.AddEvent(&e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		start := time.Now()
		for deadline := start.Add(5 * time.Minute); received.Load() < int64(b.N) && time.Now().Before(deadline); {
			if _, err := s.DispatchOnce(sys); err != nil {
				b.Fatal(err)
			}
		}
		elapsed := time.Since(start)
		b.StopTimer()
		if got := received.Load(); got != int64(b.N) {
			b.Fatalf("the receiver got %d deliveries, want %d", got, b.N)
		}
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
	})
}
