package directory_test

import (
	"errors"
	"net/http/httptest"
	"testing"

	"allot/directory"
	"allot/metrics"
	"allot/metrics/metricstest"
	"allot/storetest"
	"allot/world"
)

// TestObserve counts in the metrics an import previewed and applied, one
// that no longer holds when confirmed, and runs of a directory applied,
// previewed and failed.
func TestObserve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Pool(f.Company, 10)
		m := metrics.New()
		f.Dir.ObserveImport, f.Dir.ObserveSync = m.Import, m.Sync
		mapping := directory.Mapping{directory.FieldEmail: "email"}

		imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, "email\nann@acme.test\n")
		confirm(f, preview(f, imp.ID, mapping).ID)
		stale := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, "email\nbob@acme.test\n")
		preview(f, stale.ID, mapping)
		f.Learner(f.Company, "bob@acme.test") // added by hand meanwhile
		if stale = confirm(f, stale.ID); stale.Status != directory.ImportFailed {
			t.Fatalf("an import that no longer holds: %s, want failed", stale.Status)
		}

		d := &world.ListDirectory{Password: "s3cret"}
		f.Dir.Sources = map[string]directory.Source{"ldap": d.Source()}
		cm := f.As(f.CM)
		c := world.Must(f.Dir.Connect(cm, directory.NewConnection{CompanyID: f.Company.ID, Kind: "ldap", Secret: "s3cret",
			Config: `{"Preset":"openldap","URL":"ldap://ldap.acme.test","BindDN":"cn=allot,dc=acme","BaseDN":"dc=acme"}`}))(t)
		d.Set([]directory.Person{{ExternalID: "1", Email: "cy@acme.test", Active: true}}, nil)
		world.Must(f.Dir.SyncNow(cm, c.ID, true, false))(t)
		world.Must(f.Dir.SyncNow(cm, c.ID, true, true))(t)
		d.Set(nil, errors.New("the directory is down"))
		if _, err := f.Dir.SyncNow(cm, c.ID, true, false); err == nil {
			t.Fatal("a run whose read failed succeeded")
		}
		if _, err := f.Dir.SyncNow(cm, c.ID+1000, true, false); err == nil {
			t.Fatal("a run of no connection succeeded")
		}

		srv := httptest.NewServer(m.Handler())
		defer srv.Close()
		got := metricstest.Scrape(t, srv.URL, "")
		for _, c := range []struct {
			name, outcome string
			want          float64
		}{
			{"allot_imports_total", "previewed", 2}, {"allot_imports_total", "applied", 1}, {"allot_imports_total", "failed", 1},
			{"allot_directory_syncs_total", "applied", 1}, {"allot_directory_syncs_total", "previewed", 1},
			{"allot_directory_syncs_total", "failed", 1}, {"allot_directory_syncs_total", "held", 0},
		} {
			if v := got.Counter(c.name, "outcome", c.outcome); v != c.want {
				t.Errorf("%s %s: %v, want %v", c.name, c.outcome, v, c.want)
			}
		}
	})
}
