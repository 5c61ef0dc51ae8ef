package allot_test

import (
	"slices"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestProductURL checks that a product may say where its learners use it,
// at an https address only, and that the store keeps it.
func TestProductURL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		admin := f.As(f.Admin)
		for _, bad := range []string{"http://learn.example.com", "javascript:alert(1)", "//learn.example.com", "learn.example.com",
			"https://", "https://user:secret@learn.example.com", "https://learn.example.com/a b", "https://learn.example.com/\r\nx",
			"ftp://learn.example.com", "data:text/html,hi"} {
			_, err := f.Svc.CreateProduct(admin, allot.Product{Code: "vr", Name: "VR", URL: bad})
			world.WantError(t, err, allot.EINVALID, "url")
		}
		vr := world.Must(f.Svc.CreateProduct(admin, allot.Product{Code: "vr", Name: "VR", URL: " https://learn.example.com/vr?from=allot "}))(t)
		if vr.URL != "https://learn.example.com/vr?from=allot" {
			t.Errorf("URL %q", vr.URL)
		}
		products := world.Must(f.Svc.Products(f.As(f.CM)))(t)
		i := slices.IndexFunc(products, func(p allot.Product) bool { return p.Code == "vr" })
		if i < 0 || products[i].URL != vr.URL {
			t.Errorf("products %+v, want vr at %s", products, vr.URL)
		}
		if p := products[slices.IndexFunc(products, func(p allot.Product) bool { return p.Code == "premium" })]; p.URL != "" {
			t.Errorf("premium has the URL %q, want none", p.URL)
		}
	})
}

// TestMyAccess checks what My access tells a person of each product they
// have, had or wait for: the days left while they may use it and where;
// and, once it ends within days or has ended, whom to ask: their company's
// managers by name and e-mail (the others, for a manager).
func TestMyAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		admin := f.As(f.Admin)
		world.Must(f.Svc.CreateProduct(admin, allot.Product{Code: "vr", Name: "VR", URL: "https://vr.example.com"}))(t)
		world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "bea@acme.test", FirstName: "Bea", LastName: "Boss",
			Role: allot.RoleCompanyManager, CompanyID: f.Company.ID}))(t)
		pool := f.Pool(f.Company, 5) // premium, a year from world.T0
		ann := f.Learner(f.Company, "ann@acme.test")
		managers := []allot.Contact{{Name: "cm@acme.test", Email: "cm@acme.test"}, {Name: "Bea Boss", Email: "bea@acme.test"}}

		f.Clock.Advance(24 * time.Hour)
		got := world.Must(f.Svc.MyAccess(f.As(ann.Principal())))(t)
		if len(got) != 1 || got[0].Product.Code != "premium" || !got[0].Decision.Allowed || got[0].Ask != nil {
			t.Fatalf("a year ahead: %+v, want premium allowed and nobody to ask", got)
		}
		if want := int(pool.EndsAt.Sub(f.Clock.Now()).Hours() / 24); got[0].DaysLeft != want || want < 360 {
			t.Errorf("days left %d, want %d", got[0].DaysLeft, want)
		}

		f.Clock.Set(pool.EndsAt.Add(-50 * time.Hour))
		got = world.Must(f.Svc.MyAccess(f.As(ann.Principal())))(t)
		if len(got) != 1 || got[0].Decision.Status != allot.StatusExpiring || got[0].DaysLeft != 2 || !slices.Equal(got[0].Ask, managers) {
			t.Errorf("two days before the end: %+v, want expiring, 2 days left and the managers %v", got, managers)
		}

		f.Clock.Set(pool.EndsAt.Add(time.Hour))
		got = world.Must(f.Svc.MyAccess(f.As(ann.Principal())))(t)
		if len(got) != 1 || got[0].Decision.Allowed || got[0].DaysLeft != 0 || !slices.Equal(got[0].Ask, managers) {
			t.Errorf("after the end: %+v, want refused and the managers %v", got, managers)
		}

		// A manager is told of the other managers.
		got = world.Must(f.Svc.MyAccess(f.As(f.CM)))(t)
		for _, a := range got {
			if a.Ask != nil && !slices.Equal(a.Ask, managers[1:]) {
				t.Errorf("the manager is told to ask %v, want %v", a.Ask, managers[1:])
			}
		}
	})
}
