package allot_test

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestCheck checks the entitlement decision the product asks for, may this
// user use this product now, in each state a learner or a manager can be in.
func TestCheck(t *testing.T) {
	// Each case starts with a pool of 2 seats assigned at world.T0 and ending at
	// end, and learner ann holding one of them. prepare moves the world and
	// returns who is asked about, for which product.
	type want struct {
		allowed bool
		status  allot.Status
		reason  string
		until   func(end time.Time) time.Time
		contact string // e-mail of the contact given when refused
	}
	never := func(time.Time) time.Time { return time.Time{} }
	atEnd := func(end time.Time) time.Time { return end }
	cases := []struct {
		name    string
		prepare func(f *world.Fixture, ann allot.User) (allot.User, string)
		want    want
	}{
		{"active", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			return ann, "premium"
		}, want{true, allot.StatusActive, "", atEnd, ""}},
		{"expiring", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			f.Clock.Set(f.Seat(ann, "premium").EndsAt.Add(-time.Hour))
			return ann, "premium"
		}, want{true, allot.StatusExpiring, "", atEnd, ""}},
		{"expired", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			f.Clock.Set(f.Seat(ann, "premium").EndsAt)
			return ann, "premium"
		}, want{false, allot.StatusExpired, allot.DenyExpired, atEnd, "cm@acme.test"}},
		{"released", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			f.Clock.Set(world.T0.Add(24 * time.Hour))
			world.Must(f.Svc.Release(f.As(f.CM), f.Seat(ann, "premium").ID, allot.ReasonNeverLoggedIn))(f.T)
			f.Clock.Advance(time.Hour)
			return ann, "premium"
		}, want{false, allot.StatusReleased, allot.DenyReleased, func(time.Time) time.Time { return world.T0.Add(24 * time.Hour) }, "cm@acme.test"}},
		{"unlicensed", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			f.Learner(f.Company, "bob@acme.test")
			return f.Learner(f.Company, "cat@acme.test"), "premium"
		}, want{false, allot.StatusUnlicensed, allot.DenyUnlicensed, never, "cm@acme.test"}},
		{"no seat of the product", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			world.Must(f.Svc.CreateProduct(f.As(f.Admin), allot.Product{Code: "coaching", Name: "Coaching"}))(f.T)
			return ann, "coaching"
		}, want{false, "", allot.DenyNoSeat, never, "cm@acme.test"}},
		{"company suspended", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			world.Must(f.Svc.SetCompanySuspended(f.As(f.Admin), f.Company.ID, true))(f.T)
			return ann, "premium"
		}, want{false, "", allot.DenySuspended, never, "cm@acme.test"}},
		{"company reinstated", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			world.Must(f.Svc.SetCompanySuspended(f.As(f.Admin), f.Company.ID, true))(f.T)
			world.Must(f.Svc.SetCompanySuspended(f.As(f.Admin), f.Company.ID, false))(f.T)
			return ann, "premium"
		}, want{true, allot.StatusActive, "", atEnd, ""}},
		{"removed", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			f.Clock.Set(world.T0.Add(48 * time.Hour))
			world.Must(f.Svc.RemoveUser(f.As(f.CM), ann.ID))(f.T)
			return ann, "premium"
		}, want{false, "", allot.DenyRemoved, func(time.Time) time.Time { return world.T0.Add(48 * time.Hour) }, "cm@acme.test"}},
		{"manager without a seat", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			return world.Must(f.Svc.User(f.As(f.Admin), f.CM.UserID))(f.T), "premium"
		}, want{true, allot.StatusActive, "", atEnd, ""}},
		{"manager without a seat, pool expiring", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			f.Clock.Set(f.Seat(ann, "premium").EndsAt.Add(-allot.ExpiringWindow))
			return world.Must(f.Svc.User(f.As(f.Admin), f.CM.UserID))(f.T), "premium"
		}, want{true, allot.StatusExpiring, "", atEnd, ""}},
		{"manager after the last pool ended", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			f.Clock.Set(f.Seat(ann, "premium").EndsAt)
			return world.Must(f.Svc.User(f.As(f.Admin), f.CM.UserID))(f.T), "premium"
		}, want{false, "", allot.DenyNoSeat, never, "pm@channel.test"}},
		{"manager of a suspended company", func(f *world.Fixture, ann allot.User) (allot.User, string) {
			world.Must(f.Svc.SetCompanySuspended(f.As(f.Admin), f.Company.ID, true))(f.T)
			return world.Must(f.Svc.User(f.As(f.Admin), f.CM.UserID))(f.T), "premium"
		}, want{false, "", allot.DenySuspended, never, "pm@channel.test"}},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				f := world.Setup(t, b)
				p := f.Pool(f.Company, 2)
				ann := f.Learner(f.Company, "ann@acme.test")
				u, code := tc.prepare(f, ann)
				d := world.Must(f.Svc.Check(f.As(f.Admin), allot.EntitlementQuery{UserID: u.ID, ProductCode: code}))(t)

				if d.UserID != u.ID || d.Email != u.Email || d.ProductCode != code {
					t.Errorf("decision about %d %s %s, want %d %s %s", d.UserID, d.Email, d.ProductCode, u.ID, u.Email, code)
				}
				if d.Allowed != tc.want.allowed || d.Status != tc.want.status || d.Reason != tc.want.reason {
					t.Errorf("allowed %v, status %q, reason %q; want %v, %q, %q",
						d.Allowed, d.Status, d.Reason, tc.want.allowed, tc.want.status, tc.want.reason)
				}
				if want := tc.want.until(p.EndsAt); !d.Until.Equal(want) {
					t.Errorf("until %s, want %s", d.Until, want)
				}
				contact := ""
				if d.Contact != nil {
					contact = d.Contact.Email
				}
				if contact != tc.want.contact {
					t.Errorf("contact %q, want %q", contact, tc.want.contact)
				}
				if (d.Message == "") != d.Allowed {
					t.Errorf("message %q for allowed=%v", d.Message, d.Allowed)
				}
			})
		}
	})
}

// TestCheckQuery checks how the user and the product of a check are found,
// and that nobody learns about a user they may not see.
func TestCheckQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Pool(f.Company, 5)
		ann := f.Learner(f.Company, "ann@acme.test")
		bob := f.Learner(f.Company, "bob@acme.test")
		other, _ := world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Beta", DefaultProductCode: "premium"}))(t)
		f.Pool(other, 5)
		bea := f.Learner(other, "bea@beta.test")
		cases := []struct {
			name     string
			who      allot.Principal
			q        allot.EntitlementQuery
			wantCode string
			wantUser int64
		}{
			{"by id", f.Admin, allot.EntitlementQuery{UserID: ann.ID, ProductCode: "premium"}, "", ann.ID},
			{"by e-mail", f.Admin, allot.EntitlementQuery{Email: "ann@acme.test", ProductCode: "premium"}, "", ann.ID},
			{"e-mail in another case", f.Admin, allot.EntitlementQuery{Email: " Ann@ACME.test ", ProductCode: "premium"}, "", ann.ID},
			{"product code in another case", f.Admin, allot.EntitlementQuery{Email: "ann@acme.test", ProductCode: "Premium"}, "", ann.ID},
			{"the learner about themself", ann.Principal(), allot.EntitlementQuery{Email: "ann@acme.test", ProductCode: "premium"}, "", ann.ID},
			{"the company's manager", f.CM, allot.EntitlementQuery{Email: "ann@acme.test", ProductCode: "premium"}, "", ann.ID},
			{"the partner's manager", f.PM, allot.EntitlementQuery{Email: "bea@beta.test", ProductCode: "premium"}, "", bea.ID},
			{"unknown e-mail", f.Admin, allot.EntitlementQuery{Email: "nobody@acme.test", ProductCode: "premium"}, allot.ENOTFOUND, 0},
			{"unknown id", f.Admin, allot.EntitlementQuery{UserID: 1 << 40, ProductCode: "premium"}, allot.ENOTFOUND, 0},
			{"unknown product", f.Admin, allot.EntitlementQuery{Email: "ann@acme.test", ProductCode: "chess"}, allot.ENOTFOUND, 0},
			{"another company's manager", f.CM, allot.EntitlementQuery{Email: "bea@beta.test", ProductCode: "premium"}, allot.ENOTFOUND, 0},
			{"another company's manager by id", f.CM, allot.EntitlementQuery{UserID: bea.ID, ProductCode: "premium"}, allot.ENOTFOUND, 0},
			{"another learner", ann.Principal(), allot.EntitlementQuery{UserID: bea.ID, ProductCode: "premium"}, allot.ENOTFOUND, 0},
			{"another learner of the same company", bob.Principal(), allot.EntitlementQuery{Email: "ann@acme.test", ProductCode: "premium"}, allot.ENOTFOUND, 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d, err := f.Svc.Check(f.As(tc.who), tc.q)
				world.WantError(t, err, tc.wantCode, "")
				if err == nil && (d.UserID != tc.wantUser || !d.Allowed) {
					t.Errorf("decision about user %d, allowed %v; want %d, allowed", d.UserID, d.Allowed, tc.wantUser)
				}
			})
		}
	})
}

// TestDecide checks the entitlement rule on facts no service call makes
// today (a seat starting later) and the order of its refusals.
func TestDecide(t *testing.T) {
	now := world.T0
	live := &allot.Seat{ID: 1, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour)}
	learner := allot.User{ID: 7, Email: "ann@acme.test", Role: allot.RoleLearner, CompanyID: 3}
	manager := allot.User{ID: 8, Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: 3}
	company := allot.Company{ID: 3, Name: "Acme"}
	product := allot.Product{ID: 1, Code: "premium", Name: "Premium"}
	removed := learner
	removed.RemovedAt = now.Add(-time.Minute)
	suspended := company
	suspended.Suspended = true
	cases := []struct {
		name        string
		facts       allot.EntitlementFacts
		wantAllowed bool
		wantStatus  allot.Status
		wantReason  string
		wantUntil   time.Time
	}{
		{"live seat", allot.EntitlementFacts{User: learner, Company: company, Product: product, Seat: live},
			true, allot.StatusActive, "", live.EndsAt},
		{"seat starting tomorrow", allot.EntitlementFacts{User: learner, Company: company, Product: product,
			Seat: &allot.Seat{StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(48 * time.Hour)}},
			false, allot.StatusScheduled, allot.DenyScheduled, now.Add(24 * time.Hour)},
		{"seat starting now", allot.EntitlementFacts{User: learner, Company: company, Product: product,
			Seat: &allot.Seat{StartsAt: now, EndsAt: now.Add(48 * time.Hour)}},
			true, allot.StatusExpiring, "", now.Add(48 * time.Hour)},
		{"removed before suspended", allot.EntitlementFacts{User: removed, Company: suspended, Product: product, Seat: live},
			false, "", allot.DenyRemoved, removed.RemovedAt},
		{"suspended before a live seat", allot.EntitlementFacts{User: learner, Company: suspended, Product: product, Seat: live},
			false, "", allot.DenySuspended, time.Time{}},
		{"an expired seat before waiting", allot.EntitlementFacts{User: learner, Company: company, Product: product, Waiting: true,
			Seat: &allot.Seat{StartsAt: now.Add(-48 * time.Hour), EndsAt: now}},
			false, allot.StatusExpired, allot.DenyExpired, now},
		{"manager with a live pool", allot.EntitlementFacts{User: manager, Company: company, Product: product, PoolEnds: now.Add(24 * time.Hour)},
			true, allot.StatusExpiring, "", now.Add(24 * time.Hour)},
		{"learner with a live pool but no seat", allot.EntitlementFacts{User: learner, Company: company, Product: product, PoolEnds: now.Add(24 * time.Hour)},
			false, "", allot.DenyNoSeat, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := allot.Decide(tc.facts, now)
			if d.Allowed != tc.wantAllowed || d.Status != tc.wantStatus || d.Reason != tc.wantReason || !d.Until.Equal(tc.wantUntil) {
				t.Errorf("allowed %v, status %q, reason %q, until %s; want %v, %q, %q, %s",
					d.Allowed, d.Status, d.Reason, d.Until, tc.wantAllowed, tc.wantStatus, tc.wantReason, tc.wantUntil)
			}
		})
	}
}
