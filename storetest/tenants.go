package storetest

import (
	"fmt"
	"slices"
	"testing"

	"allot"
)

var tenantTests = []test{
	{"Partners", testPartners},
	{"Companies", testCompanies},
	{"CompanyFilter", testCompanyFilter},
	{"Products", testProducts},
}

func testPartners(t *testing.T, s Stores) {
	ps := []allot.Partner{
		{Name: "Zeta Resellers", AccountManagerID: 7, CreatedAt: t0.In(elsewhere)},
		{Name: "Alpha MSP", AccountManagerID: 9, CreatedAt: t0.Add(day)},
		{Name: "Mid Partners", AccountManagerID: 7, CreatedAt: t0.Add(2 * day)},
	}
	write(t, s, func(tx allot.Tx) error {
		for i := range ps {
			if err := tx.CreatePartner(&ps[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for i, p := range ps {
		if p.ID == 0 {
			t.Fatalf("partner %d: no ID set", i)
		}
		want := p
		want.CreatedAt = p.CreatedAt.UTC()
		got := read(t, s, func(tx allot.Tx) (allot.Partner, error) { return tx.Partner(p.ID) })
		same(t, "Partner", got, want)
	}
	wantCode(t, "Partner of a missing ID", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.Partner(ps[2].ID + 100)
		return err
	}), allot.ENOTFOUND)

	for _, tc := range []struct {
		name string
		f    allot.PartnerFilter
		want []int64
	}{
		{"all", allot.PartnerFilter{}, []int64{ps[0].ID, ps[1].ID, ps[2].ID}},
		{"account manager", allot.PartnerFilter{AccountManagerID: 7}, []int64{ps[0].ID, ps[2].ID}},
		{"another account manager", allot.PartnerFilter{AccountManagerID: 9}, []int64{ps[1].ID}},
		{"account manager of none", allot.PartnerFilter{AccountManagerID: 8}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Partner, error) { return tx.Partners(tc.f) })
			sameIDSet(t, "Partners", got, partnerID, tc.want...)
		})
	}
	twin := allot.Partner{Name: ps[1].Name, AccountManagerID: 7, CreatedAt: t0}
	write(t, s, func(tx allot.Tx) error { return tx.CreatePartner(&twin) })
	for _, tc := range []struct {
		name string
		f    allot.PartnerFilter
	}{{"all", allot.PartnerFilter{}}, {"an account manager's", allot.PartnerFilter{AccountManagerID: 7}}} {
		pagesWhole(t, "partners, "+tc.name, partnerID, ps[1].ID, twin.ID, func(after int64, limit int) []allot.Partner {
			f := tc.f
			f.AfterID, f.Limit = after, limit
			return read(t, s, func(tx allot.Tx) ([]allot.Partner, error) { return tx.Partners(f) })
		})
	}
}

func testCompanies(t *testing.T, s Stores) {
	w := seed(t, s)
	c := allot.Company{PartnerID: w.partner.ID, Name: "Globex", AccountManagerID: 11, DefaultProductID: w.coaching.ID,
		Suspended: true, CreatedAt: t0.Add(3 * day).In(elsewhere)}
	write(t, s, func(tx allot.Tx) error { return tx.CreateCompany(&c) })
	want := c
	want.CreatedAt = c.CreatedAt.UTC()
	got := read(t, s, func(tx allot.Tx) (allot.Company, error) { return tx.Company(c.ID) })
	same(t, "Company", got, want)
	got = read(t, s, func(tx allot.Tx) (allot.Company, error) { return tx.Company(w.direct.ID) })
	same(t, "direct Company", got, w.direct)
	if !got.Direct() {
		t.Errorf("direct company %+v is not Direct", got)
	}

	t.Run("update", func(t *testing.T) {
		up := want
		up.Name, up.AccountManagerID, up.DefaultProductID, up.Suspended = "Globex Corporation", 12, w.premium.ID, false
		write(t, s, func(tx allot.Tx) error { return tx.UpdateCompany(up) })
		got := read(t, s, func(tx allot.Tx) (allot.Company, error) { return tx.Company(c.ID) })
		same(t, "updated Company", got, up)
		other := read(t, s, func(tx allot.Tx) (allot.Company, error) { return tx.Company(w.acme.ID) })
		same(t, "the other company", other, w.acme)
	})
	t.Run("missing", func(t *testing.T) {
		wantCode(t, "Company", readErr(t, s, func(tx allot.Tx) error {
			_, err := tx.Company(c.ID + 100)
			return err
		}), allot.ENOTFOUND)
		wantCode(t, "UpdateCompany", writeErr(t, s, func(tx allot.Tx) error {
			return tx.UpdateCompany(allot.Company{ID: c.ID + 100, Name: "Nobody"})
		}), allot.ENOTFOUND)
	})
}

func testCompanyFilter(t *testing.T, s Stores) {
	w := seed(t, s)
	other := allot.Partner{Name: "Other Channel", CreatedAt: t0}
	cs := []allot.Company{
		{PartnerID: w.partner.ID, Name: "50% Off Stores"}, // 0
		{PartnerID: w.partner.ID, Name: "500 Club"},       // 1
		{Name: "snake_case Labs"},                         // 2
		{Name: "snakeXcase Labs"},                         // 3
		{Name: `Back\slash Inc`},                          // 4
		{Name: "Backslash Inc"},                           // 5
		{Name: "ACME Heavy Industries"},                   // 6
	}
	write(t, s, func(tx allot.Tx) error {
		if err := tx.CreatePartner(&other); err != nil {
			return err
		}
		for i := range cs {
			cs[i].CreatedAt = t0
			if err := tx.CreateCompany(&cs[i]); err != nil {
				return err
			}
		}
		oc := allot.Company{PartnerID: other.ID, Name: "Acme Abroad", CreatedAt: t0}
		cs = append(cs, oc) // 7
		return tx.CreateCompany(&cs[7])
	})
	for _, tc := range []struct {
		name string
		f    allot.CompanyFilter
		want []int64
	}{
		{"all", allot.CompanyFilter{}, []int64{w.acme.ID, w.direct.ID, cs[0].ID, cs[1].ID, cs[2].ID, cs[3].ID,
			cs[4].ID, cs[5].ID, cs[6].ID, cs[7].ID}},
		{"partner", allot.CompanyFilter{PartnerID: w.partner.ID}, []int64{w.acme.ID, cs[0].ID, cs[1].ID}},
		{"other partner", allot.CompanyFilter{PartnerID: other.ID}, []int64{cs[7].ID}},
		{"direct only", allot.CompanyFilter{DirectOnly: true}, []int64{w.direct.ID, cs[2].ID, cs[3].ID, cs[4].ID,
			cs[5].ID, cs[6].ID}},
		{"search any case", allot.CompanyFilter{Search: "aCmE"}, []int64{w.acme.ID, cs[6].ID, cs[7].ID}},
		{"search in the middle", allot.CompanyFilter{Search: "heavy"}, []int64{cs[6].ID}},
		{"search trims spaces", allot.CompanyFilter{Search: "  heavy "}, []int64{cs[6].ID}},
		{"search percent is literal", allot.CompanyFilter{Search: "50%"}, []int64{cs[0].ID}},
		{"search underscore is literal", allot.CompanyFilter{Search: "e_c"}, []int64{cs[2].ID}},
		{"search backslash is literal", allot.CompanyFilter{Search: `k\s`}, []int64{cs[4].ID}},
		{"search without match", allot.CompanyFilter{Search: "initech"}, nil},
		{"partner and search", allot.CompanyFilter{PartnerID: w.partner.ID, Search: "acme"}, []int64{w.acme.ID}},
		{"direct and search", allot.CompanyFilter{DirectOnly: true, Search: "labs"}, []int64{cs[2].ID, cs[3].ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Company, error) { return tx.Companies(tc.f) })
			sameIDSet(t, "Companies", got, companyID, tc.want...)
		})
	}
	twin := allot.Company{Name: cs[1].Name, PartnerID: w.partner.ID, CreatedAt: t0}
	write(t, s, func(tx allot.Tx) error { return tx.CreateCompany(&twin) })
	for _, tc := range []struct {
		name string
		f    allot.CompanyFilter
	}{{"all", allot.CompanyFilter{}}, {"a partner's", allot.CompanyFilter{PartnerID: w.partner.ID}}, {"a search", allot.CompanyFilter{Search: "acme"}}} {
		pagesWhole(t, "companies, "+tc.name, companyID, cs[1].ID, twin.ID, func(after int64, limit int) []allot.Company {
			f := tc.f
			f.AfterID, f.Limit = after, limit
			return read(t, s, func(tx allot.Tx) ([]allot.Company, error) { return tx.Companies(f) })
		})
	}
}

// pagesWhole checks a list by name then ID: list(0, 0) is the whole list,
// in which twin, named as namesake, comes right after it when both are
// listed; list(after, n) its page of n after the item of ID after. Pages of
// 1, 2 and 3 must hold the whole list, in order.
func pagesWhole[T any](t *testing.T, what string, id func(T) int64, namesake, twin int64, list func(after int64, limit int) []T) {
	t.Helper()
	all := list(0, 0)
	if i := slices.IndexFunc(all, func(v T) bool { return id(v) == namesake }); i >= 0 && (i+1 == len(all) || id(all[i+1]) != twin) {
		t.Errorf("%s: %v; want %d right after %d, its namesake", what, all, twin, namesake)
	}
	for size := 1; size <= 3; size++ {
		t.Run(fmt.Sprintf("%s in pages of %d", what, size), func(t *testing.T) {
			var paged []int64
			after := int64(0)
			for range len(all) + 1 {
				page := list(after, size)
				for _, v := range page {
					paged = append(paged, id(v))
				}
				if len(page) < size {
					break
				}
				after = id(page[len(page)-1])
			}
			sameIDs(t, what+" page by page", all, id, paged...)
		})
	}
}

func testProducts(t *testing.T, s Stores) {
	w := seed(t, s)
	p := allot.Product{Code: "ai-coach", Name: "AI Coach", TermMonths: 3, URL: "https://coach.example.com",
		CreatedAt: t0.Add(-day).In(elsewhere)}
	write(t, s, func(tx allot.Tx) error { return tx.CreateProduct(&p) })
	want := p
	want.CreatedAt = p.CreatedAt.UTC()
	got := read(t, s, func(tx allot.Tx) (allot.Product, error) { return tx.Product(p.ID) })
	same(t, "Product", got, want)
	got = read(t, s, func(tx allot.Tx) (allot.Product, error) { return tx.ProductByCode("ai-coach") })
	same(t, "ProductByCode", got, want)
	all := read(t, s, func(tx allot.Tx) ([]allot.Product, error) { return tx.Products() })
	sameIDSet(t, "Products", all, productID, w.premium.ID, w.coaching.ID, p.ID)

	t.Run("duplicate code", func(t *testing.T) {
		dup := allot.Product{Code: "premium", Name: "Premium again", TermMonths: 12, CreatedAt: t0}
		wantCode(t, "CreateProduct", writeErr(t, s, func(tx allot.Tx) error { return tx.CreateProduct(&dup) }), allot.ECONFLICT)
		got := read(t, s, func(tx allot.Tx) (allot.Product, error) { return tx.ProductByCode("premium") })
		same(t, "the first product", got, w.premium)
		all := read(t, s, func(tx allot.Tx) ([]allot.Product, error) { return tx.Products() })
		sameIDSet(t, "Products", all, productID, w.premium.ID, w.coaching.ID, p.ID)
	})
	t.Run("missing", func(t *testing.T) {
		wantCode(t, "Product", readErr(t, s, func(tx allot.Tx) error {
			_, err := tx.Product(p.ID + 100)
			return err
		}), allot.ENOTFOUND)
		wantCode(t, "ProductByCode", readErr(t, s, func(tx allot.Tx) error {
			_, err := tx.ProductByCode("circles")
			return err
		}), allot.ENOTFOUND)
	})
}
