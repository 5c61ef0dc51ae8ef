package offline_test

import (
	"context"
	"testing"
	"time"

	"allot"
	"allot/offline"
	"allot/storetest"
	"allot/world"
)

// BenchmarkIssue measures issuing a token of a decision the check made:
// the claims, their JSON and the Ed25519 signature with the key in memory,
// which is read once, then every minute. The goal is 50 µs or less beside
// the check itself (BenchmarkCheck at the root, on the same backend):
//
//	go test -run '^$' -bench Issue ./offline
func BenchmarkIssue(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		db := be.Open(b)
		svc := &offline.Service{Ledger: allot.NewService(db, allot.NewManualClock(world.T0), nil), Store: db.Offline(),
			TTL: offline.DefaultTTL, Issuer: "https://allot.example"}
		d := allot.Decision{Allowed: true, UserID: 123456, Email: "learner123456@load.test", ProductCode: "premium",
			Status: allot.StatusActive, Until: world.T0.Add(200 * 24 * time.Hour)}
		ctx := context.Background()
		if _, err := svc.Issue(ctx, d); err != nil { // the first key, made once
			b.Fatal(err)
		}
		b.Run("serial", func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Issue(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := svc.Issue(ctx, d); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	})
}
