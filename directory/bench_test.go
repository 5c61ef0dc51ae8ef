package directory_test

// The import's benchmark, on every backend:
//
//	go test -run '^$' -bench BenchmarkImportUsers -benchtime 3x -v ./directory
//
// Each run imports 100,000 new learners from one CSV file into a company
// with a pool of 100,000 free seats: upload, preview (read, check and stage
// every row), confirm (create the users and their seats). It reports rows/s
// of the whole import, raw-rows/s of staging the same rows alone (the
// database's bulk insert: COPY on PostgreSQL, multi-row INSERTs on SQLite)
// and the peak heap in use while it ran. Each run starts after a checkpoint,
// so that it does not pay for writing out the pages the runs before it
// dirtied.

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/csvio"
	"allot/directory"
	"allot/storetest"
)

const importRows = 100_000

// importFile returns a CSV file of n new learners whose e-mails start with
// prefix.
func importFile(prefix string, n int) []byte {
	var b strings.Builder
	b.Grow(n * 64)
	b.WriteString("Email,First Name,Last Name,Department\r\n")
	for i := range n {
		fmt.Fprintf(&b, "%s.%d@bench.example,First%d,Last%d,Dept %d\r\n", prefix, i, i, i, i%40)
	}
	return []byte(b.String())
}

func BenchmarkImportUsers(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		ctx := context.Background()
		url := be.URL(b)
		db, sqldb := storetest.OpenURL(b, url), storetest.OpenPlain(b, url)
		svc := allot.NewService(db, allot.NewManualClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)), nil)
		dir := &directory.Service{Ledger: svc, Store: db.Directory(), Files: csvio.Files{}}
		sys := allot.WithPrincipal(ctx, allot.System)
		if _, err := svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
			b.Fatal(err)
		}
		var (
			elapsed, rawTime time.Duration
			peak             atomic.Uint64
		)
		for i := range b.N {
			b.StopTimer()
			c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: fmt.Sprintf("Bench %d", i), DefaultProductCode: "premium"})
			if err != nil {
				b.Fatal(err)
			}
			o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: importRows})
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := svc.AssignOrder(sys, o.ID); err != nil {
				b.Fatal(err)
			}
			data := importFile(fmt.Sprintf("u%d", i), importRows)
			// Write out what the runs before dirtied, so that this one
			// does not pay for it; only a superuser may.
			checkpoint := map[string]string{"sqlite": `PRAGMA wal_checkpoint(TRUNCATE)`, "postgres": `CHECKPOINT`}[be.Name]
			if _, err := sqldb.ExecContext(ctx, checkpoint); err != nil {
				b.Logf("no checkpoint before the import: %v", err)
			}
			runtime.GC()
			manager := allot.System
			manager.ActingCompanyID = c.ID
			as := allot.WithPrincipal(ctx, manager)
			stop := sampleHeap(&peak)
			b.StartTimer()

			start := time.Now()
			imp, err := dir.UploadImport(as, directory.NewImport{CompanyID: c.ID, Kind: directory.ImportUsers, Data: data})
			if err != nil {
				b.Fatal(err)
			}
			data = nil // the store holds the file now
			if _, err := dir.PreviewImport(as, imp.ID, imp.Suggested); err != nil {
				b.Fatal(err)
			}
			if err := dir.RunImportStep(ctx, imp.ID); err != nil {
				b.Fatal(err)
			}
			if _, err := dir.ConfirmImport(as, imp.ID, false); err != nil {
				b.Fatal(err)
			}
			if err := dir.RunImportStep(ctx, imp.ID); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)

			b.StopTimer()
			stop()
			imp, err = dir.Import(as, imp.ID)
			if err != nil {
				b.Fatal(err)
			}
			if want := (directory.ImportCounts{Rows: importRows, Create: importRows, Licensed: importRows}); imp.Status != directory.ImportApplied || imp.Counts != want {
				b.Fatalf("import %s %q %+v, want applied %+v", imp.Status, imp.Error, imp.Counts, want)
			}
			// The same rows, staged alone: the database's raw bulk insert.
			rows, err := dir.ImportRows(as, directory.ImportRowFilter{ImportID: imp.ID, Limit: -1})
			if err != nil || len(rows) != importRows {
				b.Fatalf("%d rows: %v", len(rows), err)
			}
			again, err := dir.UploadImport(as, directory.NewImport{CompanyID: c.ID, Kind: directory.ImportUsers, Data: []byte("Email\r\nx@bench.example\r\n")})
			if err != nil {
				b.Fatal(err)
			}
			again.Status = directory.ImportPreviewing
			if err := db.Directory().Write(ctx, func(tx directory.Tx) error { return tx.UpdateImport(again, directory.ImportUploaded) }); err != nil {
				b.Fatal(err)
			}
			start = time.Now()
			for from := 0; from < len(rows); from += 5000 {
				if err := db.Directory().StageImport(ctx, again, rows[from:min(from+5000, len(rows))]); err != nil {
					b.Fatal(err)
				}
			}
			rawTime += time.Since(start)
			b.StartTimer()
		}
		n := float64(b.N * importRows)
		b.ReportMetric(n/elapsed.Seconds(), "rows/s")
		b.ReportMetric(n/rawTime.Seconds(), "raw-rows/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	})
}

// sampleHeap records the largest heap in use into peak, every few
// milliseconds, until the function it returns is called.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
