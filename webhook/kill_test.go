package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/webhook"
)

// buildAllot builds the allot command into a temporary directory.
func buildAllot(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "allot")
	build := exec.Command("go", "build", "-o", bin, "allot/cmd/allot")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build allot/cmd/allot: %v", err)
	}
	return bin
}

// holder is a receiver that holds the first request open, never
// answering it, and answers the others 200; it records each webhook-id.
type holder struct {
	mu    sync.Mutex
	ids   []string
	first chan struct{}
	hold  chan struct{}
}

func (h *holder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	h.mu.Lock()
	h.ids = append(h.ids, r.Header.Get("webhook-id"))
	n := len(h.ids)
	h.mu.Unlock()
	if n == 1 {
		close(h.first)
		select { // the process sending it is killed meanwhile
		case <-h.hold:
		case <-r.Context().Done():
		}
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (h *holder) seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.ids...)
}

// serve starts allot serve on database url, delivering webhooks with a
// one-second timeout (so a lease of eighteen seconds).
func serve(t *testing.T, bin, url string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-database", url, "-addr", "127.0.0.1:0", "-webhooks-allow-loopback", "-webhooks-timeout", "1s")
	cmd.Dir = t.TempDir()
	if testing.Verbose() {
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// TestDeliveryAfterAKill runs allot serve, kills it (SIGKILL) while its
// receiver holds the delivery it sends, and starts another: once the lease
// of the first runs out, the second delivers the same message again, with
// the same webhook-id: at least once.
func TestDeliveryAfterAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds allot and waits for a lease to run out")
	}
	bin := buildAllot(t)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		h := &holder{first: make(chan struct{}), hold: make(chan struct{})}
		rcv := httptest.NewServer(h)
		defer rcv.Close()
		defer close(h.hold)

		db := storetest.OpenURL(t, url)
		ledger := allot.NewService(db, allot.SystemClock{}, nil)
		s := &webhook.Service{Ledger: ledger, Store: db.Webhook(), AllowLoopback: true}
		sys := allot.WithPrincipal(context.Background(), allot.System)
		if _, err := s.CreateEndpoint(sys, webhook.NewEndpoint{URL: rcv.URL + "/hooks", Types: []string{"company.created"}}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond) // the event comes after the endpoint
		if _, _, err := ledger.CreateCompany(sys, allot.NewCompany{Name: "Kestrel Ltd"}); err != nil {
			t.Fatal(err)
		}

		first := serve(t, bin, url)
		select {
		case <-h.first:
		case <-time.After(horizonWait):
			t.Fatalf("the first process sent nothing within %s", horizonWait)
		}
		if err := first.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		first.Wait()
		serve(t, bin, url)
		deadline := time.Now().Add(horizonWait)
		for len(h.seen()) < 2 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		ids := h.seen()
		if len(ids) < 2 || ids[1] != ids[0] || ids[0] == "" {
			t.Fatalf("the receiver got webhook-ids %v, want the held one again after the kill", ids)
		}
		var ds []webhook.Delivery
		for time.Now().Before(deadline) {
			var err error
			if ds, err = s.Deliveries(sys, webhook.DeliveryFilter{}); err != nil {
				t.Fatal(err)
			}
			if len(ds) == 1 && ds[0].Status == webhook.DeliveryDelivered {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(ds) != 1 || ds[0].Status != webhook.DeliveryDelivered || ds[0].MessageID != ids[0] || ds[0].Attempts != 2 {
			t.Errorf("deliveries %+v, want one, delivered at its second attempt as %s", ds, ids[0])
		}
	})
}
