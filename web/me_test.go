package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// noFlash stands for the sessions, of which the page reads only the flash.
type noFlash struct{ Sessions }

func (noFlash) Flashed(context.Context) string { return "" }

// TestLearnerPage checks My access (learnerPage, until the route serves
// it): each product with the days left and a link to use it, and once
// access ends soon, the company's managers to ask, by name and e-mail.
func TestLearnerPage(t *testing.T) {
	w := world.New(t, storetest.Backends[0])
	sys := w.As(w.Admin)
	world.Must(w.Svc.CreateProduct(sys, allot.Product{Code: "vr", Name: "VR", URL: "https://vr.example.com/start"}))(t)
	w.Assigned(allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "vr", Quantity: 5})
	learner := w.Acme.Learner
	world.Must(w.Svc.Allocate(w.As(w.Managing(w.Acme.Company)), learner.ID, "vr", 0))(t)
	world.Must(w.Svc.AddUser(w.As(w.Acme.CM), allot.NewUser{Email: "bea@acme.test", FirstName: "Bea", LastName: "Boss",
		Role: allot.RoleCompanyManager, CompanyID: w.Acme.Company.ID}))(t)
	s := New(Config{Ledger: w.Svc, Directory: w.Dir, Sessions: noFlash{}})
	page := func() string {
		t.Helper()
		rec := httptest.NewRecorder()
		s.learnerPage(rec, httptest.NewRequest("GET", "/me", nil).WithContext(w.As(learner.Principal())))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d\n%s", rec.Code, rec.Body)
		}
		return html.UnescapeString(rec.Body.String())
	}
	want := func(what, body string, want, unwanted []string) {
		t.Helper()
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("%s: want %q in\n%s", what, s, body)
			}
		}
		for _, s := range unwanted {
			if strings.Contains(body, s) {
				t.Errorf("%s: do not want %q in\n%s", what, s, body)
			}
		}
	}

	want("a year ahead", page(), []string{"<h2>VR</h2>", `<a class="button" href="https://vr.example.com/start">Open VR</a>`,
		"<h2>Premium</h2>", "365 days left"}, []string{"contact", "bea@acme.test", "Open Premium"})

	w.Clock.Set(w.Acme.Pool.EndsAt.Add(-50 * time.Hour))
	want("two days before the end", page(), []string{"2 days left",
		`To keep access, contact <a href="mailto:cm@acme.test">cm@acme.test</a>, or Bea Boss at <a href="mailto:bea@acme.test">bea@acme.test</a>.`}, nil)

	w.Clock.Set(w.Acme.Pool.EndsAt.Add(time.Hour))
	want("after the end", page(), []string{"Your access expired on", "To get access, contact", "Bea Boss at"},
		[]string{"Open VR", "days left"})
}
