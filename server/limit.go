package server

import (
	"sync"
	"time"

	"allot"
)

// limiter counts attempts per key in fixed windows of time.
type limiter struct {
	clock  allot.Clock
	max    int
	window time.Duration

	mu   sync.Mutex
	hits map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(clock allot.Clock, max int, per time.Duration) *limiter {
	return &limiter{clock: clock, max: max, window: per, hits: map[string]*window{}}
}

// allow counts an attempt for key and reports whether it is within the
// limit; when it is not, it says how long until the next window.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) > 10000 {
		for k, w := range l.hits {
			if now.Sub(w.start) >= l.window {
				delete(l.hits, k)
			}
		}
	}
	w := l.hits[key]
	if w == nil || now.Sub(w.start) >= l.window {
		w = &window{start: now}
		l.hits[key] = w
	}
	if w.n >= l.max {
		return false, w.start.Add(l.window).Sub(now)
	}
	w.n++
	return true, 0
}

// reset forgets key's attempts.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}
