package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/metrics"
	"allot/metrics/metricstest"
	"allot/server"
	"allot/store"
	"allot/storetest"
	"allot/world"
)

// operatorToken is the metrics token of the servers these tests start.
const operatorToken = "operator-secret-of-the-test"

// metricsSite serves a fixture's deployment on 127.0.0.1 with metrics
// served to token, and returns it with a company manager's API token and a
// learner of the company who holds a seat of premium.
func metricsSite(t *testing.T, b storetest.Backend, m *metrics.Metrics, token string) (*world.Fixture, *httptest.Server, string) {
	t.Helper()
	f := world.Setup(t, b)
	f.Pool(f.Company, 1)
	f.Learner(f.Company, "ada@acme.test")
	_, apiToken := world.Must2(f.Svc.CreateToken(f.As(f.CM), "metrics", time.Time{}))(t)
	srv := httptest.NewServer(server.New(server.Config{Ledger: f.Svc, Directory: f.Dir, Accounts: f.Accounts, Reports: f.Reports,
		Sessions: f.DB.Sessions(), Keys: f.DB, InsecureCookies: true, Metrics: m, MetricsToken: token}))
	t.Cleanup(srv.Close)
	return f, srv, apiToken
}

// get sends GET path to srv with authorization, and returns the status and body.
func get(t *testing.T, srv *httptest.Server, path, authorization string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// TestMetricsCount asks the entitlement question through GET /v1/check
// and finds each answer counted once by its decision and reason, timed
// once, and the requests counted under the route's pattern, never their
// path.
func TestMetricsCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f, srv, apiToken := metricsSite(t, b, metrics.New(), operatorToken)
		waiting := f.Learner(f.Company, "bo@acme.test") // the pool's one seat is Ada's
		before := metricstest.Scrape(t, srv.URL+"/metrics", "Bearer "+operatorToken)

		_, allowed := get(t, srv, "/v1/check?user=ada@acme.test&product=premium", "Bearer "+apiToken)
		_, refused := get(t, srv, "/v1/check?user=bo@acme.test&product=premium", "Bearer "+apiToken)
		res, _ := get(t, srv, "/v1/check?user=nobody@acme.test&product=premium", "Bearer "+apiToken)
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("an unknown user's check: %d, want 404", res.StatusCode)
		}
		var a, r struct {
			Allowed bool
			Reason  string
		}
		if json.Unmarshal([]byte(allowed), &a) != nil || json.Unmarshal([]byte(refused), &r) != nil || !a.Allowed || r.Allowed || r.Reason == "" {
			t.Fatalf("the checks answered %s and %s, want Ada allowed and %s refused with a reason", allowed, refused, waiting.Email)
		}
		get(t, srv, "/v1/users/"+itoa(waiting.ID), "Bearer "+apiToken)
		get(t, srv, "/login", "")
		get(t, srv, "/no/such/page/"+itoa(waiting.ID), "")
		after := metricstest.Scrape(t, srv.URL+"/metrics", "Bearer "+operatorToken)

		for _, c := range []struct {
			name   string
			labels []string
			want   float64
		}{
			{"allot_checks_total", []string{"decision", "allowed", "reason", ""}, 1},
			{"allot_checks_total", []string{"decision", "refused", "reason", r.Reason}, 1},
			{"allot_checks_total", []string{"decision", "error", "reason", allot.ENOTFOUND}, 1},
			{"allot_checks_total", nil, 3},
			{"allot_http_requests_total", []string{"route", "GET /v1/check", "status", "200"}, 2},
			{"allot_http_requests_total", []string{"route", "GET /v1/check", "status", "404"}, 1},
			{"allot_http_requests_total", []string{"route", "GET /v1/users/{id}", "status", "200"}, 1},
			{"allot_http_requests_total", []string{"route", "GET /login", "status", "200"}, 1},
			{"allot_http_requests_total", []string{"route", "unmatched", "status", "404"}, 1},
			{"allot_http_requests_total", []string{"route", "/metrics", "status", "200"}, 1}, // the scrape before
		} {
			if d := after.Counter(c.name, c.labels...) - before.Counter(c.name, c.labels...); d != c.want {
				t.Errorf("%s%q rose by %v, want %v", c.name, c.labels, d, c.want)
			}
		}
		if d := after.Observations("allot_check_duration_seconds") - before.Observations("allot_check_duration_seconds"); d != 3 {
			t.Errorf("the check's histogram took %d observations, want 3", d)
		}
		if d := after.Observations("allot_http_request_duration_seconds", "route", "GET /v1/check") -
			before.Observations("allot_http_request_duration_seconds", "route", "GET /v1/check"); d != 3 {
			t.Errorf("the check's route was timed %d times, want 3", d)
		}
		for _, m := range after["allot_http_requests_total"].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" && strings.Contains(l.GetValue(), itoa(waiting.ID)) {
					t.Errorf("a request was counted under its path %q, not its route's pattern", l.GetValue())
				}
			}
		}
	})
}

// TestMetricsForOperatorsOnly: the main address serves the metrics only
// for the operators' token, and not at all without one; the dashboard
// never answers /metrics.
func TestMetricsForOperatorsOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		_, srv, apiToken := metricsSite(t, b, metrics.New(), operatorToken)
		for _, auth := range []string{"", "Bearer wrong", "Bearer " + operatorToken + "x", "Bearer " + apiToken,
			"Basic " + operatorToken, operatorToken} {
			res, body := get(t, srv, "/metrics", auth)
			if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("Authorization %q: %d, WWW-Authenticate %q; want 401 asking for a Bearer token",
					auth, res.StatusCode, res.Header.Get("WWW-Authenticate"))
			}
			if strings.Contains(body, "allot_") || strings.Contains(body, "go_goroutines") {
				t.Errorf("Authorization %q: the metrics were sent:\n%s", auth, body)
			}
		}
		if got := metricstest.Scrape(t, srv.URL+"/metrics", "bearer "+operatorToken); !got.Has("allot_http_requests_total") {
			t.Error("the operators' token, its scheme in small letters, got no allot_http_requests_total")
		}

		for name, site := range map[string]*httptest.Server{
			"metrics without a token": serveWith(t, b, metrics.New(), ""),
			"a token without metrics": serveWith(t, b, nil, operatorToken),
		} {
			res, body := get(t, site, "/metrics", "Bearer "+operatorToken)
			if res.StatusCode != http.StatusNotFound || strings.Contains(body, "allot_") || strings.Contains(body, "<html") {
				t.Errorf("%s: /metrics answered %d:\n%s\nwant a bare 404", name, res.StatusCode, body)
			}
		}
	})
}

// serveWith serves a fixture's deployment with metrics m served to token.
func serveWith(t *testing.T, b storetest.Backend, m *metrics.Metrics, token string) *httptest.Server {
	_, srv, _ := metricsSite(t, b, m, token)
	return srv
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// BenchmarkMetrics measures the server's handler answering GET /v1/check,
// and the probe GET /healthz (whose own work is next to none, so that what
// counting costs shows), without and with metrics.
//
//	go test -run '^$' -bench BenchmarkMetrics ./server
func BenchmarkMetrics(b *testing.B) {
	for _, path := range []string{"/v1/check?user=ada@acme.test&product=premium", "/healthz"} {
		for _, bc := range []struct {
			name string
			m    *metrics.Metrics
		}{{"without", nil}, {"with", metrics.New()}} {
			b.Run(strings.Trim(path[:strings.IndexAny(path+"?", "?")], "/")+"/"+bc.name, func(b *testing.B) {
				h, token := checkSite(b, bc.m)
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				b.ReportAllocs()
				for b.Loop() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
					}
				}
			})
		}
	}
}

// checkSite is a server on SQLite whose learner ada@acme.test holds a
// seat of premium, with an API token of the vendor's admin.
func checkSite(b *testing.B, m *metrics.Metrics) (http.Handler, string) {
	db, err := store.Open(context.Background(), storetest.SQLiteURL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := allot.NewService(db, allot.NewManualClock(world.T0), nil)
	ctx := allot.WithPrincipal(context.Background(), allot.System)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	_, err = svc.CreateProduct(ctx, allot.Product{Code: "premium", Name: "Premium"})
	must(err)
	c, _, err := svc.CreateCompany(ctx, allot.NewCompany{Name: "Acme", DefaultProductCode: "premium"})
	must(err)
	o, err := svc.RequestOrder(ctx, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 1})
	must(err)
	_, _, err = svc.AssignOrder(ctx, o.ID)
	must(err)
	_, err = svc.AddUser(allot.WithPrincipal(ctx, world.Acting(allot.System, c)), allot.NewUser{Email: "ada@acme.test", CompanyID: c.ID})
	must(err)
	admin, err := svc.CreateStaff(ctx, allot.NewUser{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin, Password: world.Password})
	must(err)
	_, token, err := svc.CreateToken(allot.WithPrincipal(ctx, admin.Principal()), "bench", time.Time{})
	must(err)
	return server.New(server.Config{Ledger: svc, Sessions: db.Sessions(), Keys: db, Metrics: m, MetricsToken: operatorToken}), token
}
