package webhook_test

import (
	"context"
	"encoding/binary"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/webhook"
	"allot/world"
)

// dns is a DNS server on UDP 127.0.0.1 that answers A queries from a
// table it is told, and nothing else: what a test's resolver asks.
type dns struct {
	conn net.PacketConn
	mu   sync.Mutex
	a    map[string]net.IP // by name, with its final dot
}

func startDNS(t *testing.T) *dns {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dns{conn: conn, a: map[string]net.IP{}}
	t.Cleanup(func() { conn.Close() })
	go d.serve()
	return d
}

// set makes name resolve to ip.
func (d *dns) set(name, ip string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.a[name+"."] = net.ParseIP(ip).To4()
}

// resolver is a resolver that asks d only.
func (d *dns) resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dialer net.Dialer
		return dialer.DialContext(ctx, "udp", d.conn.LocalAddr().String())
	}}
}

func (d *dns) serve() {
	buf := make([]byte, 512)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if out := d.answer(buf[:n]); out != nil {
			d.conn.WriteTo(out, from)
		}
	}
}

// answer answers one query: its A record when the table has its name,
// no record otherwise (NXDOMAIN for an unknown name).
func (d *dns) answer(q []byte) []byte {
	if len(q) < 12 {
		return nil
	}
	var labels []string
	i := 12
	for i < len(q) && q[i] != 0 {
		l := int(q[i])
		if i+1+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[i+1:i+1+l]))
		i += 1 + l
	}
	if i+5 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[i+1:])
	question := q[12 : i+5]
	name := strings.ToLower(strings.Join(labels, ".")) + "."
	d.mu.Lock()
	ip, known := d.a[name]
	d.mu.Unlock()
	out := append([]byte{}, q[0], q[1], 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0)
	if !known {
		out[3] = 0x83 // NXDOMAIN
	}
	out = append(out, question...)
	if known && qtype == 1 {
		out[7] = 1
		out = append(out, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4)
		out = append(out, ip...)
	}
	return out
}

// TestRefusedAddresses refuses, when an endpoint is subscribed, every
// address inside the network allot runs in: loopback (unless allowed),
// private, link-local and the cloud's metadata, shared, unspecified and
// multicast; and a name resolving to one of them.
func TestRefusedAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		names := startDNS(t)
		names.set("internal.test", "10.1.2.3")
		names.set("localhost.test", "127.0.0.1")
		names.set("public.test", "203.0.113.10")
		s := &webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook(), Resolver: names.resolver()}
		admin := w.Ctx(t, "admin")
		for _, url := range []string{
			"https://127.0.0.1/hooks", "https://[::1]/hooks", "https://localhost.test/hooks", "http://127.0.0.1:8080/hooks",
			"https://10.0.0.1/hooks", "https://172.16.4.1/hooks", "https://192.168.1.1/hooks",
			"https://169.254.169.254/latest/meta-data", "https://[fd00:ec2::254]/", "https://[fe80::1]/",
			"https://100.64.0.1/", "https://0.0.0.0/", "https://224.0.0.1/", "https://[::ffff:10.0.0.1]/", "https://[::]/",
			"https://[::10.0.0.1]/", "https://[64:ff9b:1::a00:1]/", "https://[2002:a00:1::1]/", "https://[2001:0:a00:1::1]/",
			"https://192.0.0.170/", "https://198.18.0.1/", "https://198.19.255.1/", "https://[fec0::1]/",
			"https://internal.test/hooks", "https://nowhere.test/hooks",
		} {
			_, err := s.CreateEndpoint(admin, webhook.NewEndpoint{URL: url, Types: []string{"seat.given"}})
			world.WantError(t, err, allot.EINVALID, "url")
			t.Logf("%s: %s", url, allot.ErrorMessage(err))
		}
		// A name's resolved address inside the network is not told to the
		// subscriber; an address they typed is named.
		_, err := s.CreateEndpoint(admin, webhook.NewEndpoint{URL: "https://internal.test/hooks", Types: []string{"seat.given"}})
		if msg := allot.ErrorMessage(err); strings.Contains(msg, "10.1.2.3") || !strings.Contains(msg, "internal.test resolves to an address inside the network") {
			t.Errorf("a name resolving inside the network is refused saying %q: want it said without the address", msg)
		}
		_, err = s.CreateEndpoint(admin, webhook.NewEndpoint{URL: "https://10.1.2.3/hooks", Types: []string{"seat.given"}})
		if msg := allot.ErrorMessage(err); !strings.Contains(msg, "10.1.2.3 is a private address") {
			t.Errorf("an address typed literally is refused saying %q: want it named", msg)
		}
		if _, err := s.CreateEndpoint(admin, webhook.NewEndpoint{URL: "https://public.test/hooks", Types: []string{"seat.given"}}); err != nil {
			t.Errorf("a name resolving to a public address is refused: %v", err)
		}
		s.AllowLoopback = true
		for _, url := range []string{"http://127.0.0.1:8080/hooks", "https://localhost.test/hooks"} {
			if _, err := s.CreateEndpoint(admin, webhook.NewEndpoint{URL: url, Types: []string{"seat.given"}}); err != nil {
				t.Errorf("%s with loopback allowed: %v", url, err)
			}
		}
		_, err = s.CreateEndpoint(admin, webhook.NewEndpoint{URL: "https://10.0.0.1/hooks", Types: []string{"seat.given"}})
		world.WantError(t, err, allot.EINVALID, "url")
	})
}

// TestRefusedAtConnect checks the address again as each attempt connects:
// a name that resolved to a public address when subscribed and to a
// private one now (DNS rebinding) is refused, as is loopback once it is no
// longer allowed; and a redirect is a failed attempt, never followed.
func TestRefusedAtConnect(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		names := startDNS(t)
		var outcomes []string
		var mu sync.Mutex
		observe := func(outcome string, _ time.Duration) { mu.Lock(); outcomes = append(outcomes, outcome); mu.Unlock() }
		s := &webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook(), Resolver: names.resolver(), AllowLoopback: true,
			ObserveAttempt: observe}
		admin := w.Ctx(t, "admin")

		var elsewhere atomic.Int32
		target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
		defer target.Close()
		redirect := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, target.URL+"/stolen", http.StatusFound)
		}))
		defer redirect.Close()
		names.set("rebind.test", "203.0.113.10")
		w.Clock.Advance(time.Second)
		rebind := world.Must(s.CreateEndpoint(admin, webhook.NewEndpoint{URL: "https://rebind.test/hooks", Types: []string{"user.added"}}))(t)
		moved := world.Must(s.CreateEndpoint(admin, webhook.NewEndpoint{URL: redirect.URL + "/hooks", Types: []string{"user.added"}}))(t)
		names.set("rebind.test", "10.0.0.7")

		w.NewLearner(t, w.Acme)
		dispatchSome(t, s, w)
		for _, c := range []struct {
			endpoint int64
			status   int
			says     string
		}{
			{rebind.ID, 0, "10.0.0.7 is a private address"},
			{moved.ID, 302, "redirects are not followed"},
		} {
			ds := world.Must(s.Deliveries(admin, webhook.DeliveryFilter{EndpointID: c.endpoint}))(t)
			if len(ds) != 1 || ds[0].Status != webhook.DeliveryPending || ds[0].LastStatus != c.status || !strings.Contains(ds[0].LastError, c.says) {
				t.Errorf("endpoint %d's deliveries %+v, want one pending that says %q", c.endpoint, ds, c.says)
			}
		}
		if n := elsewhere.Load(); n != 0 {
			t.Errorf("the redirect was followed %d times", n)
		}

		// Loopback, allowed when subscribed, refused as the process no
		// longer allows it.
		strict := &webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook(), Resolver: names.resolver(), ObserveAttempt: observe}
		w.Clock.Advance(webhook.Schedule[0] * 2)
		dispatch(t, strict, w)
		ds := world.Must(s.Deliveries(admin, webhook.DeliveryFilter{EndpointID: moved.ID}))(t)
		if len(ds) != 1 || !strings.Contains(ds[0].LastError, "127.0.0.1 is a loopback address") {
			t.Errorf("with loopback refused, the delivery says %+v", ds)
		}
		mu.Lock()
		defer mu.Unlock()
		if strings.Join(outcomes, " ") != "refused failed refused refused" && strings.Join(outcomes, " ") != "failed refused refused refused" {
			t.Errorf("the attempts were observed as %v", outcomes)
		}
	})
}
