package allot_test

import (
	"slices"
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

// renewal is a company after its first pool ended: ann and bob expired; cat
// was released before the end; dan expired and was then removed; eve joined
// after the end and holds a seat of the second pool, which has free seats
// left.
type renewal struct {
	*fixture
	first, second           allot.Pool
	ann, bob, cat, dan, eve allot.User
}

func newRenewal(t *testing.T, b storetest.Backend, free int) *renewal {
	t.Helper()
	r := &renewal{fixture: setup(t, b)}
	r.first = r.pool(r.company, 4)
	r.ann = r.learner(r.company, "ann@acme.test")
	r.bob = r.learner(r.company, "bob@acme.test")
	r.cat = r.learner(r.company, "cat@acme.test")
	r.dan = r.learner(r.company, "dan@acme.test")
	r.clock.Advance(10 * 24 * time.Hour)
	must(r.svc.Release(r.as(r.cm), r.seat(r.cat, "premium").ID, allot.ReasonLeft))(t)
	r.clock.Set(r.first.EndsAt.Add(time.Hour))
	must(r.svc.RemoveUser(r.as(r.cm), r.dan.ID))(t)
	r.second = r.assigned(allot.NewOrder{Quantity: free + 1, TermMonths: 6})
	r.eve = r.learner(r.company, "eve@acme.test")
	return r
}

func (r *renewal) expired(t *testing.T) []string {
	t.Helper()
	return emails(must(r.svc.ExpiredLearners(r.as(r.cm), r.company.ID, "premium"))(t))
}

func TestExpiredLearners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		r := newRenewal(t, b, 3)
		if got, want := r.expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
			t.Errorf("expired learners %v, want %v", got, want)
		}

		// The list starts at the instant the seats end.
		r.clock.Set(r.first.EndsAt.Add(-time.Microsecond))
		if got := r.expired(t); len(got) != 0 {
			t.Errorf("expired learners before the end: %v", got)
		}
		r.clock.Set(r.first.EndsAt)
		if got, want := r.expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
			t.Errorf("expired learners at the end %v, want %v", got, want)
		}
	})
}

// TestRenew checks that only expired learners are renewed, all of them or
// none, from the pool that expires first unless one is chosen.
func TestRenew(t *testing.T) {
	cases := []struct {
		name      string
		free      int
		who       func(r *renewal) allot.Principal
		renewal   func(r *renewal) allot.Renewal
		wantCode  string
		wantField string
		wantSeats []string // renewed, in order
		wantPool  func(r *renewal) allot.Pool
	}{
		{
			name: "one learner", free: 3,
			renewal:   func(r *renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.bob.ID}} },
			wantSeats: []string{"bob@acme.test"},
		},
		{
			name: "a learner named twice", free: 1,
			renewal:   func(r *renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.ann.ID, r.ann.ID}} },
			wantSeats: []string{"ann@acme.test"},
		},
		{
			name: "all", free: 2,
			renewal:   func(r *renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantSeats: []string{"ann@acme.test", "bob@acme.test"},
		},
		{
			name: "all in manage-company mode", free: 2,
			who:       func(r *renewal) allot.Principal { return acting(r.pm, r.company) },
			renewal:   func(r *renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantSeats: []string{"ann@acme.test", "bob@acme.test"},
		},
		{
			name: "from a chosen pool", free: 2,
			renewal: func(r *renewal) allot.Renewal {
				third := r.assigned(allot.NewOrder{Quantity: 2, TermMonths: 12})
				return allot.Renewal{All: true, PoolID: third.ID}
			},
			wantSeats: []string{"ann@acme.test", "bob@acme.test"},
			wantPool: func(r *renewal) allot.Pool {
				pools := must(r.svc.Pools(r.as(r.cm), r.company.ID))(r.t)
				return pools[len(pools)-1]
			},
		},
		{
			name: "an active learner", free: 3,
			renewal:  func(r *renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.eve.ID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[0]",
		},
		{
			name: "a released learner", free: 3,
			renewal:  func(r *renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.ann.ID, r.cat.ID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[1]",
		},
		{
			name: "a removed learner", free: 3,
			renewal:  func(r *renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.dan.ID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[0]",
		},
		{
			name: "the manager", free: 3,
			renewal:  func(r *renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.cm.UserID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[0]",
		},
		{
			name: "nobody", free: 3,
			renewal:  func(r *renewal) allot.Renewal { return allot.Renewal{} },
			wantCode: allot.EINVALID, wantField: "user_ids",
		},
		{
			name: "too few seats", free: 1,
			renewal:  func(r *renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantCode: allot.ECONFLICT,
		},
		{
			name: "too few seats in the chosen pool", free: 3,
			renewal: func(r *renewal) allot.Renewal {
				third := r.assigned(allot.NewOrder{Quantity: 1, TermMonths: 12})
				return allot.Renewal{All: true, PoolID: third.ID}
			},
			wantCode: allot.ECONFLICT,
		},
		{
			name: "by the partner outside manage-company mode", free: 3,
			who:      func(r *renewal) allot.Principal { return r.pm },
			renewal:  func(r *renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantCode: allot.EFORBIDDEN,
		},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				r := newRenewal(t, b, tc.free)
				who := r.cm
				if tc.who != nil {
					who = tc.who(r)
				}
				in := tc.renewal(r)
				in.CompanyID, in.ProductCode = r.company.ID, "premium"
				usedBefore := r.reload(r.second).Used
				seats, err := r.svc.Renew(r.as(who), in)
				wantError(t, err, tc.wantCode, tc.wantField)

				wantLeft := []string{"ann@acme.test", "bob@acme.test"}
				pool := r.second
				if tc.wantPool != nil {
					pool = tc.wantPool(r)
				}
				var renewed []string
				for _, s := range seats {
					u := must(r.svc.User(r.as(r.cm), s.UserID))(t)
					renewed = append(renewed, u.Email)
					wantLeft = slices.DeleteFunc(wantLeft, func(e string) bool { return e == u.Email })
					if s.PoolID != pool.ID || !s.StartsAt.Equal(r.clock.Now()) || !s.EndsAt.Equal(pool.EndsAt) {
						t.Errorf("%s: seat of pool %d from %s to %s, want pool %d from %s to %s",
							u.Email, s.PoolID, s.StartsAt, s.EndsAt, pool.ID, r.clock.Now(), pool.EndsAt)
					}
					if d := r.check(u, "premium"); !d.Allowed || !d.Until.Equal(pool.EndsAt) {
						t.Errorf("%s: allowed %v until %s after renewal", u.Email, d.Allowed, d.Until)
					}
				}
				if !slices.Equal(renewed, tc.wantSeats) {
					t.Errorf("renewed %v, want %v", renewed, tc.wantSeats)
				}
				if got := r.expired(t); !slices.Equal(got, wantLeft) {
					t.Errorf("still expired %v, want %v", got, wantLeft)
				}
				wantUsed := usedBefore
				if pool.ID == r.second.ID {
					wantUsed += len(tc.wantSeats)
				}
				if got := r.reload(r.second).Used; got != wantUsed {
					t.Errorf("second pool uses %d seats, want %d", got, wantUsed)
				}
			})
		}
	})
}
