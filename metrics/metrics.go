// Package metrics is allot's adapter to Prometheus: what operators watch
// (requests, checks, jobs, mail, imports, syncs, webhook deliveries),
// counted in this process and exposed at /metrics to operators only.
package metrics

// Metrics are one process's metrics. A nil *Metrics counts nothing, so
// that every part of allot may be used without them.
type Metrics struct{}
