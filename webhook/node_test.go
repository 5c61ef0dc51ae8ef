package webhook_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/webhook"
	"allot/world"
)

// receiver is the Node receiver of testdata/receiver.mjs.
type receiver struct {
	t    *testing.T
	base string // http://127.0.0.1:PORT
}

// received is a delivery as the receiver recorded it.
type received struct {
	Path       string `json:"path"`
	ID         string `json:"id"`
	Timestamp  string `json:"timestamp"`
	Signatures int    `json:"signatures"`
	SignedBy   []bool `json:"signedBy"`
	Verified   bool   `json:"verified"`
	Error      string `json:"error"`
	Type       string `json:"type"`
	Body       string `json:"body"`
	Answered   int    `json:"answered"`
}

// startReceiver starts the Node receiver, or skips the test saying what
// to install when Node or the npm package is missing.
func startReceiver(t *testing.T) *receiver {
	t.Helper()
	modules := os.Getenv("ALLOT_NODE_MODULES")
	node, err := exec.LookPath("node")
	if modules == "" || err != nil {
		t.Skip("the independent verifier needs node and ALLOT_NODE_MODULES, a node_modules directory with the npm package standardwebhooks (npm install standardwebhooks)")
	}
	if _, err := os.Stat(filepath.Join(modules, "standardwebhooks")); err != nil {
		t.Skipf("ALLOT_NODE_MODULES (%s) lacks the npm package standardwebhooks: npm install standardwebhooks", modules)
	}
	dir := t.TempDir()
	script, err := os.ReadFile("testdata/receiver.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "receiver.mjs"), script, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "receiver.mjs")
	cmd.Dir, cmd.Stderr = dir, os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		port <- strings.TrimSpace(line)
	}()
	select {
	case p := <-port:
		if p == "" {
			t.Fatal("the receiver did not start")
		}
		return &receiver{t: t, base: "http://127.0.0.1:" + p}
	case <-time.After(20 * time.Second):
		t.Fatal("the receiver did not start within 20 s")
	}
	return nil
}

// control sets the receiver's secrets and queues answers of paths.
func (r *receiver) control(secrets []string, answers map[string][]map[string]any) {
	r.t.Helper()
	b, _ := json.Marshal(map[string]any{"secrets": secrets, "answers": answers})
	resp, err := http.Post(r.base+"/control", "application/json", bytes.NewReader(b))
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
}

// log returns what the receiver received, in order.
func (r *receiver) log() []received {
	r.t.Helper()
	resp, err := http.Get(r.base + "/log")
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []received
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		r.t.Fatal(err)
	}
	return out
}

// values returns the values of secrets.
func values(ss []webhook.Secret) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Value)
	}
	return out
}

// dispatch runs the dispatcher once and fails the test on error.
func dispatch(t *testing.T, s *webhook.Service, w *world.World) int {
	t.Helper()
	n, err := s.DispatchOnce(w.As(allot.System))
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	return n
}

// horizonWait bounds how long a test waits for the fan-out to see an
// event: on PostgreSQL it waits for every older transaction of the server
// to end, those of other tests and benchmarks among them, which may load
// a large ledger in one transaction.
const horizonWait = 3 * time.Minute

// dispatchSome runs the dispatcher until it sends something, within
// horizonWait.
func dispatchSome(t *testing.T, s *webhook.Service, w *world.World) int {
	t.Helper()
	deadline := time.Now().Add(horizonWait)
	for {
		if n := dispatch(t, s, w); n > 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestNodeReceiver delivers events to a receiver that judges them with the
// npm package standardwebhooks: every delivery is signed as the
// specification says, with both secrets during a rotation; a 500, a 429
// with Retry-After and a timeout are tried again under the same
// webhook-id; a 410 disables the endpoint at once, and so do failures for
// more than three days, each time mailing the owner's managers.
func TestNodeReceiver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		r := startReceiver(t)
		w := world.NewWith(t, b, world.Options{Start: time.Now()})
		s := &webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook(), AllowLoopback: true, Timeout: time.Second}
		admin := w.Ctx(t, "admin")
		w.Clock.Advance(time.Second) // the world's events were before the endpoint
		e := world.Must(s.CreateEndpoint(admin, webhook.NewEndpoint{URL: r.base + "/vendor", Types: []string{"user.added"}}))(t)
		r.control(values(e.Secrets), nil)

		// Delivered, signed, verified at once.
		w.NewLearner(t, w.Acme)
		if n := dispatchSome(t, s, w); n != 1 {
			t.Fatalf("dispatched %d deliveries, want 1", n)
		}
		got := r.log()
		if len(got) != 1 || !got[0].Verified || got[0].Type != "user.added" || got[0].Signatures != 1 {
			t.Fatalf("the receiver got %+v, want one verified user.added", got)
		}
		var p webhook.Payload
		if err := json.Unmarshal([]byte(got[0].Body), &p); err != nil || p.Data.Action != "user.add" || p.Data.CompanyID != w.Acme.Company.ID {
			t.Errorf("payload %s (%v), want the user.add of Acme", got[0].Body, err)
		}

		// A rotation: both secrets sign, each verifies alone.
		old := e.Secrets[0].Value
		e = world.Must(s.RotateSecret(admin, e.ID))(t)
		r.control([]string{e.Secrets[0].Value, old}, nil)
		w.NewLearner(t, w.Beta)
		dispatchSome(t, s, w)
		got = r.log()
		if last := got[len(got)-1]; last.Signatures != 2 || !last.Verified || fmt.Sprint(last.SignedBy) != "[true true]" {
			t.Errorf("during the rotation the receiver got %+v, want two signatures, by the new and the old secret", last)
		}
		w.Clock.Advance(webhook.SecretOverlap + time.Minute)

		// 500, 429 with Retry-After and a timeout, each tried again with the
		// same webhook-id; the signatures are checked by the package's own
		// signing, the clock having moved past its tolerance.
		r.control([]string{e.Secrets[0].Value}, map[string][]map[string]any{"/vendor": {
			{"status": 500}, {"status": 429, "retryAfter": "120"}, {"hang": true}}})
		w.NewLearner(t, w.Globex)
		dispatchSome(t, s, w) // 500
		ds := world.Must(s.Deliveries(admin, webhook.DeliveryFilter{Limit: 1}))(t)
		if d := ds[0]; d.Status != webhook.DeliveryPending || d.LastStatus != 500 || d.NextAttemptAt.Sub(w.Clock.Now()) < 4*time.Second ||
			d.NextAttemptAt.Sub(w.Clock.Now()) > 6*time.Second {
			t.Errorf("after a 500: %+v, want pending and due in 5 s ± 20 %%", d)
		}
		w.Clock.Advance(6 * time.Second)
		dispatch(t, s, w) // 429
		d := world.Must(s.Delivery(admin, ds[0].ID))(t)
		if !d.NextAttemptAt.Equal(w.Clock.Now().Add(120*time.Second)) || d.LastStatus != 429 {
			t.Errorf("after a 429 asking for 120 s: next attempt at %s, want %s", d.NextAttemptAt, w.Clock.Now().Add(120*time.Second))
		}
		w.Clock.Advance(121 * time.Second)
		dispatch(t, s, w) // times out
		d = world.Must(s.Delivery(admin, ds[0].ID))(t)
		if d.LastStatus != 0 || !strings.Contains(d.LastError, "no response within 1s") {
			t.Errorf("after a timeout the delivery says %d %q", d.LastStatus, d.LastError)
		}
		w.Clock.Advance(7 * time.Minute) // the third wait: 5 min ± 20 %
		dispatch(t, s, w)                // 200
		d = world.Must(s.Delivery(admin, ds[0].ID))(t)
		if d.Status != webhook.DeliveryDelivered || len(d.Attempts) != 4 || d.Attempts[0].N != 4 || d.Attempts[0].Response != "ok" {
			t.Errorf("the delivery ends %s with attempts %+v, want delivered at the 4th", d.Status, d.Attempts)
		}
		got = r.log()[2:]
		if len(got) != 4 {
			t.Fatalf("the receiver got %d attempts of the third delivery, want 4", len(got))
		}
		for _, g := range got {
			if g.ID != got[0].ID || fmt.Sprint(g.SignedBy) != "[true]" || g.Body != got[0].Body {
				t.Errorf("attempt %+v: want the webhook-id %s, the same body and the current secret's signature", g, got[0].ID)
			}
		}

		// A 410 disables the endpoint at once; the vendor admins are told.
		r.control(nil, map[string][]map[string]any{"/vendor": {{"status": 410}}})
		w.NewLearner(t, w.Solo)
		dispatchSome(t, s, w)
		e = world.Must(s.Endpoint(admin, e.ID))(t)
		if !e.Disabled || !strings.Contains(e.DisabledReason, "410") {
			t.Errorf("after a 410 the endpoint is %+v, want disabled saying why", e)
		}
		if n := len(w.Mails(allot.MailWebhookDisabled)); n == 0 {
			t.Error("no mail told the vendor admins the endpoint was disabled")
		}
		w.NewLearner(t, w.Acme)
		if n := dispatch(t, s, w); n != 0 {
			t.Errorf("a disabled endpoint was sent %d deliveries", n)
		}
		_, err := s.Replay(admin, ds[0].ID)
		world.WantError(t, err, allot.ECONFLICT, "")

		// A partner's endpoint failing for more than three days is disabled,
		// and its partner's managers told; it never received another
		// tenant's events.
		pe := world.Must(s.CreateEndpoint(w.Ctx(t, "pm2"), webhook.NewEndpoint{URL: r.base + "/partner", Types: []string{"user.added"}}))(t)
		fail := make([]map[string]any, 40)
		for i := range fail {
			fail[i] = map[string]any{"status": 500}
		}
		r.control([]string{pe.Secrets[0].Value}, map[string][]map[string]any{"/partner": fail})
		w.NewLearner(t, w.Globex)
		w.NewLearner(t, w.Acme)
		dispatchSome(t, s, w)
		for i := 0; i < 40 && !pe.Disabled; i++ {
			dispatch(t, s, w)
			w.Clock.Advance(6 * time.Hour)
			pe = world.Must(s.Endpoint(w.Ctx(t, "pm2"), pe.ID))(t)
		}
		if !pe.Disabled || !strings.Contains(pe.DisabledReason, "more than 3 days") {
			t.Fatalf("the failing endpoint is %+v, want disabled for failing more than 3 days", pe)
		}
		for _, g := range r.log() {
			if g.Path == "/partner" && !strings.Contains(g.Body, fmt.Sprintf(`"company_id":%d`, w.Globex.Company.ID)) {
				t.Errorf("the partner's endpoint received another tenant's event: %s", g.Body)
			}
		}
		mails := w.Mails(allot.MailWebhookDisabled)
		if _, ok := mails["pm2@channel2.test"]; !ok {
			t.Errorf("the disabling was mailed to %v, want the partner's manager too", mails)
		}
	})
}
