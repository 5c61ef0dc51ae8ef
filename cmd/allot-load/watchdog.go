package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync/atomic"
	"time"
)

// watchdog counts the requests the server answers, and when for stallAfter
// none is answered while some are in flight, writes every goroutine's
// stack to a file once: what the server was waiting for.
type watchdog struct {
	next             http.Handler
	inFlight, served atomic.Int64
	dump             atomic.Value // the file written, a string
}

const stallAfter = 3 * time.Second

func (wd *watchdog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wd.inFlight.Add(1)
	defer func() {
		wd.inFlight.Add(-1)
		wd.served.Add(1)
	}()
	wd.next.ServeHTTP(w, r)
}

// watch checks on the server until ctx is done.
func (wd *watchdog) watch(ctx context.Context, logf func(string, ...any)) {
	tick := time.NewTicker(stallAfter / 6)
	defer tick.Stop()
	last, since := int64(-1), time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n := wd.served.Load(); n != last || wd.inFlight.Load() == 0 {
			last, since = n, time.Now()
			continue
		}
		if time.Since(since) < stallAfter || wd.dump.Load() != nil {
			continue
		}
		file := filepath.Join(os.TempDir(), fmt.Sprintf("allot-load-stall-%s.txt", time.Now().Format("20060102-150405")))
		f, err := os.Create(file)
		if err != nil {
			logf("the server answers nothing with %d requests in flight; no goroutine dump: %v", wd.inFlight.Load(), err)
			wd.dump.Store("")
			continue
		}
		pprof.Lookup("goroutine").WriteTo(f, 2)
		f.Close()
		wd.dump.Store(file)
		logf("the server has answered nothing for %s with %d requests in flight: goroutines dumped to %s",
			stallAfter, wd.inFlight.Load(), file)
	}
}
