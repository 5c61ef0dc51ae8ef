package programme_test

import (
	"testing"

	"allot"
	"allot/programme"
	"allot/storetest"
	"allot/world"
)

// TestProgrammes makes programmes as the people who may, and is refused
// what they may not: bad fields say which, a foreign company reads as not
// found.
func TestProgrammes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		onboarding := programme.NewProgramme{CompanyID: acme, Name: " Onboarding ", Products: []string{"premium", "coaching", "premium"}}
		pg := world.Must(w.Programs.Create(w.As(w.Acme.CM), onboarding))(t)
		if pg.Name != "Onboarding" || pg.Lang != "en" || len(pg.Products) != 2 || pg.Products[0] != "coaching" {
			t.Errorf("made %+v, want Onboarding in English offering coaching and premium", pg)
		}
		got := world.Must(w.Programs.Get(w.As(w.Acme.CM), pg.ID))(t)
		if got.Name != pg.Name || len(got.Products) != 2 || !got.CreatedAt.Equal(pg.CreatedAt) {
			t.Errorf("read back %+v, want %+v", got, pg)
		}

		for _, c := range []struct {
			name  string
			in    programme.NewProgramme
			code  string
			field string
		}{
			{"the same name", onboarding, allot.ECONFLICT, "name"},
			{"no name", programme.NewProgramme{CompanyID: acme, Name: " ", Products: []string{"premium"}}, allot.EINVALID, "name"},
			{"no product", programme.NewProgramme{CompanyID: acme, Name: "Empty"}, allot.EINVALID, "products"},
			{"an unknown product", programme.NewProgramme{CompanyID: acme, Name: "X", Products: []string{"nope"}}, allot.EINVALID, "products"},
			{"an unknown language", programme.NewProgramme{CompanyID: acme, Name: "X", Products: []string{"premium"}, Lang: "pt"}, allot.EINVALID, "lang"},
		} {
			_, err := w.Programs.Create(w.As(w.Acme.CM), c.in)
			if allot.ErrorCode(err) != c.code || world.FieldOf(err) != c.field {
				t.Errorf("%s: %v, want %s on %s", c.name, err, c.code, c.field)
			}
		}

		// Who may: a partner in manage mode, vendor staff; not a learner,
		// who sees no company, nor another company's manager, who finds no
		// such company or programme.
		fr := programme.NewProgramme{CompanyID: acme, Name: "Leaders", Products: []string{"premium"}, Lang: "fr"}
		world.Must(w.Programs.Create(w.As(w.Managing(w.Acme.Company)), fr))(t)
		fr.Name = "Sales"
		world.Must(w.Programs.Create(w.Ctx(t, "am"), fr))(t)
		fr.Name = "Learners'"
		if _, err := w.Programs.Create(w.As(w.Acme.Learner.Principal()), fr); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a learner: %v, want not found", err)
		}
		if _, err := w.Programs.Create(w.As(w.Globex.CM), fr); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager: %v, want not found", err)
		}
		if _, err := w.Programs.Get(w.As(w.Globex.CM), pg.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager reading it: %v, want not found", err)
		}
		list := world.Must(w.Programs.List(w.As(w.Acme.CM), acme))(t)
		if len(list) != 3 || list[0].Name != "Leaders" || list[1].Name != "Onboarding" || list[2].Name != "Sales" {
			t.Errorf("Acme's programmes: %+v", list)
		}
	})
}
