package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/metrics/metricstest"
	"allot/storetest"
	"allot/webhook"
)

// metricsToken is the operators' token of the servers these tests start.
const metricsToken = "0123456789abcdef-operators"

// TestServeMetrics runs allot serve with its metrics on a separate address
// and on the main one for the operators' token: the separate address
// serves them without a token, and nothing else; the main one refuses them
// without the token; a check through GET /v1/check, the worker's sweep
// and a webhook's delivery are counted.
func TestServeMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		out := &lockedBuffer{}
		m := NewMain(out, &lockedBuffer{})
		stop := serve(t, m, "-addr", "127.0.0.1:0", "-database", b.URL(t), "-metrics-addr", "127.0.0.1:0", "-metrics-token", metricsToken,
			"-webhooks-allow-loopback")
		defer stop()
		receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		defer receiver.Close()
		if _, err := m.Webhooks.CreateEndpoint(allot.WithPrincipal(context.Background(), allot.System),
			webhook.NewEndpoint{URL: receiver.URL, Types: []string{"order.requested"}}); err != nil {
			t.Fatal(err)
		}
		onMain := regexp.MustCompile(`metrics for operators at (http://\S+/metrics) with their Bearer token`).FindStringSubmatch(out.String())
		apart := regexp.MustCompile(`metrics for operators at (http://\S+/metrics)\n`).FindStringSubmatch(out.String())
		if onMain == nil || apart == nil {
			t.Fatalf("serve does not say where the metrics are:\n%s", out)
		}

		for _, auth := range []string{"", "Bearer " + metricsToken[1:]} {
			if res := getStatus(t, onMain[1], auth); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("the main address's metrics with Authorization %q: %d, want 401", auth, res.StatusCode)
			}
		}
		if res := getStatus(t, strings.TrimSuffix(apart[1], "/metrics")+"/v1/check", ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("the metrics' address serves the API: %d, want 404", res.StatusCode)
		}

		token := learnerWithSeat(t, m)
		before := metricstest.Scrape(t, apart[1], "")
		check := strings.TrimSuffix(onMain[1], "/metrics") + "/v1/check?user=ada@acme.test&product=premium"
		if res := getStatus(t, check, "Bearer "+token); res.StatusCode != http.StatusOK {
			t.Fatalf("GET /v1/check: %d", res.StatusCode)
		}
		after := metricstest.Scrape(t, onMain[1], "Bearer "+metricsToken)
		if d := after.Counter("allot_checks_total", "decision", "allowed") - before.Counter("allot_checks_total", "decision", "allowed"); d != 1 {
			t.Errorf("a check allowed rose the count by %v, want 1", d)
		}
		if d := after.Observations("allot_check_duration_seconds") - before.Observations("allot_check_duration_seconds"); d != 1 {
			t.Errorf("a check was timed %d times, want once", d)
		}
		if d := after.Counter("allot_http_requests_total", "route", "GET /v1/check", "status", "200") -
			before.Counter("allot_http_requests_total", "route", "GET /v1/check", "status", "200"); d != 1 {
			t.Errorf("GET /v1/check counted %v times, want once", d)
		}

		// The worker sweeps as it starts, once a minute; the order that
		// learnerWithSeat requested goes to the receiver. On PostgreSQL an
		// event goes out once every transaction older than it has ended on
		// the whole server, which other tests sharing it may hold open for
		// minutes: there the attempts' hook is only seen to be set.
		wantDelivered := 1.0
		if b.Name == "postgres" {
			wantDelivered = 0
			if m.Webhooks.ObserveAttempt == nil {
				t.Error("the webhooks' attempts are not counted")
			}
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			got := metricstest.Scrape(t, apart[1], "")
			swept := got.Counter("allot_jobs_total", "kind", allot.JobSweep, "outcome", "done")
			delivered := got.Counter("allot_webhook_attempts_total", "outcome", "delivered")
			if swept >= 1 && delivered >= wantDelivered && got.Observations("allot_webhook_attempt_duration_seconds") >= uint64(wantDelivered) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 30 s: %v sweeps and %v webhook deliveries counted, want a sweep and one delivery", swept, delivered)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// TestMetricsNotServed: without a token or an address, /metrics is not
// found on the main address.
func TestMetricsNotServed(t *testing.T) {
	out := &lockedBuffer{}
	m := NewMain(out, &lockedBuffer{})
	stop := serve(t, m, "-addr", "127.0.0.1:0", "-database", storetest.SQLiteURL(t), "-workers=false")
	defer stop()
	site := regexp.MustCompile(`sign in at (http://\S+)/ `).FindStringSubmatch(out.String())
	if site == nil {
		t.Fatalf("serve does not say where it runs:\n%s", out)
	}
	if strings.Contains(out.String(), "metrics") {
		t.Errorf("serve says metrics are served:\n%s", out)
	}
	if res := getStatus(t, site[1]+"/metrics", "Bearer "+metricsToken); res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics without metrics: %d, want 404", res.StatusCode)
	}
	if m.Metrics != nil {
		t.Error("metrics were made that nobody reads")
	}
}

// TestMetricsFlags refuses metrics served where or to whom they must not be.
func TestMetricsFlags(t *testing.T) {
	db := storetest.SQLiteURL(t)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"an address without a port", []string{"-metrics-addr", "localhost"}, "-metrics-addr: \"localhost\" is not host:port"},
		{"a short token", []string{"-metrics-token", "secret"}, "-metrics-token: give at least 16 characters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errout := run(t, append([]string{"serve", "-database", db}, tt.args...)...)
			if code != 2 || !strings.Contains(errout, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 saying %q", code, errout, tt.want)
			}
		})
	}
}

// getStatus gets url with authorization, when not empty, and returns the
// response, its body read and closed.
func getStatus(t *testing.T, url, authorization string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// learnerWithSeat makes, through m's services, a learner ada@acme.test
// who holds a seat of premium, and returns an API token of the vendor's
// admin.
func learnerWithSeat(t *testing.T, m *Main) string {
	t.Helper()
	ctx := allot.WithPrincipal(context.Background(), allot.System)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := m.Service.CreateProduct(ctx, allot.Product{Code: "premium", Name: "Premium"})
	must(err)
	c, _, err := m.Service.CreateCompany(ctx, allot.NewCompany{Name: "Acme", DefaultProductCode: "premium"})
	must(err)
	o, err := m.Service.RequestOrder(ctx, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 1})
	must(err)
	_, _, err = m.Service.AssignOrder(ctx, o.ID)
	must(err)
	acting := allot.System
	acting.ActingCompanyID = c.ID
	_, err = m.Service.AddUser(allot.WithPrincipal(ctx, acting), allot.NewUser{Email: "ada@acme.test", CompanyID: c.ID})
	must(err)
	admin, err := m.Service.CreateStaff(ctx, allot.NewUser{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin, Password: "correct horse battery"})
	must(err)
	_, token, err := m.Service.CreateToken(allot.WithPrincipal(ctx, admin.Principal()), "metrics", time.Time{})
	must(err)
	return token
}
