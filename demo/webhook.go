package demo

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"allot"
	"allot/webhook"
)

// webhooks gives the vendor and Northwind an endpoint each, subscribed
// to orders a month ago, with deliveries made as allot makes them: fanned
// out from the audit log and sent over HTTP, signed.
//
// The demo has no receiver of its own: while it loads, one on 127.0.0.1
// plays the vendor's learning platform, which thanks for each delivery,
// and Northwind's CRM, which does too until, decommissioned, it answers a
// replay with 410 Gone: that endpoint is disabled, saying why. A
// deployment refuses loopback endpoints unless told otherwise, so the
// deliveries of later events fail, as they would to a receiver gone.
func (l *loader) webhooks(store Store, northPM allot.User) {
	var gone atomic.Bool
	addr, stop, err := demoReceiver(&gone)
	if err != nil {
		l.do(func() error { return err })
		return
	}
	defer stop()
	svc := &webhook.Service{Ledger: l.svc, Store: store.Webhook(), AllowLoopback: true}
	orders := []string{"order.requested", "order.assigned", "order.rejected", "order.cancelled"}
	var north webhook.Endpoint
	day := 24 * time.Hour
	l.at(l.now.Add(-30 * day))
	l.do(func() (err error) {
		_, err = svc.CreateEndpoint(l.ctx, webhook.NewEndpoint{URL: "http://" + addr + "/learning-platform",
			Description: "The learning platform, tried on a receiver on allot's own machine", Types: orders})
		return err
	})
	l.do(func() (err error) {
		north, err = svc.CreateEndpoint(l.as(northPM), webhook.NewEndpoint{URL: "http://" + addr + "/northwind-crm",
			Description: "Northwind's CRM, tried on a receiver on allot's own machine", Types: orders})
		return err
	})
	// The orders of the month (Acme's AI coach seats, Globex's renewal,
	// Bluebird's and Stark's requests) are delivered a few minutes after the
	// last of them: to Northwind those of its customers.
	l.at(l.now.Add(-day + 5*time.Minute))
	l.do(func() error { _, err := svc.DispatchOnce(l.ctx); return err })
	l.at(l.now.Add(-1 * time.Hour))
	gone.Store(true)
	l.do(func() error {
		ds, err := svc.Deliveries(l.as(northPM), webhook.DeliveryFilter{EndpointID: north.ID, Limit: 1})
		if err != nil || len(ds) == 0 {
			return errors.Join(err, errors.New("no delivery to Northwind's CRM"))
		}
		if _, err := svc.Replay(l.as(northPM), ds[0].ID); err != nil {
			return err
		}
		_, err = svc.DispatchOnce(l.ctx)
		return err
	})
	l.at(l.now)
}

// demoReceiver listens on 127.0.0.1 and answers what is posted to it:
// thanks, or at /northwind-crm 410 Gone once gone is set. stop ends it.
func demoReceiver(gone *atomic.Bool) (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{ReadHeaderTimeout: time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		if gone.Load() && r.URL.Path == "/northwind-crm" {
			http.Error(w, "This CRM was decommissioned: no more events, please.", http.StatusGone)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"received":true}`)
	})}
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Shutdown(context.Background()) }, nil
}
