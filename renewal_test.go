package allot_test

import (
	"slices"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

func TestExpiredLearners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		r := world.NewRenewal(t, b, 3)
		if got, want := r.Expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
			t.Errorf("expired learners %v, want %v", got, want)
		}

		// The list starts at the instant the seats end.
		r.Clock.Set(r.First.EndsAt.Add(-time.Microsecond))
		if got := r.Expired(t); len(got) != 0 {
			t.Errorf("expired learners before the end: %v", got)
		}
		r.Clock.Set(r.First.EndsAt)
		if got, want := r.Expired(t), []string{"ann@acme.test", "bob@acme.test"}; !slices.Equal(got, want) {
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
		who       func(r *world.Renewal) allot.Principal
		renewal   func(r *world.Renewal) allot.Renewal
		wantCode  string
		wantField string
		wantSeats []string // renewed, in order
		wantPool  func(r *world.Renewal) allot.Pool
	}{
		{
			name: "one learner", free: 3,
			renewal:   func(r *world.Renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.Bob.ID}} },
			wantSeats: []string{"bob@acme.test"},
		},
		{
			name: "a learner named twice", free: 1,
			renewal:   func(r *world.Renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.Ann.ID, r.Ann.ID}} },
			wantSeats: []string{"ann@acme.test"},
		},
		{
			name: "all", free: 2,
			renewal:   func(r *world.Renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantSeats: []string{"ann@acme.test", "bob@acme.test"},
		},
		{
			name: "all in manage-company mode", free: 2,
			who:       func(r *world.Renewal) allot.Principal { return world.Acting(r.PM, r.Company) },
			renewal:   func(r *world.Renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantSeats: []string{"ann@acme.test", "bob@acme.test"},
		},
		{
			name: "from a chosen pool", free: 2,
			renewal: func(r *world.Renewal) allot.Renewal {
				third := r.Assigned(allot.NewOrder{Quantity: 2, TermMonths: 12})
				return allot.Renewal{All: true, PoolID: third.ID}
			},
			wantSeats: []string{"ann@acme.test", "bob@acme.test"},
			wantPool: func(r *world.Renewal) allot.Pool {
				pools := world.Must(r.Svc.Pools(r.As(r.CM), r.Company.ID))(r.T)
				return pools[len(pools)-1]
			},
		},
		{
			name: "an active learner", free: 3,
			renewal:  func(r *world.Renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.Eve.ID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[0]",
		},
		{
			name: "a released learner", free: 3,
			renewal:  func(r *world.Renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.Ann.ID, r.Cat.ID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[1]",
		},
		{
			name: "a removed learner", free: 3,
			renewal:  func(r *world.Renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.Dan.ID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[0]",
		},
		{
			name: "the manager", free: 3,
			renewal:  func(r *world.Renewal) allot.Renewal { return allot.Renewal{UserIDs: []int64{r.CM.UserID}} },
			wantCode: allot.EINVALID, wantField: "user_ids[0]",
		},
		{
			name: "nobody", free: 3,
			renewal:  func(r *world.Renewal) allot.Renewal { return allot.Renewal{} },
			wantCode: allot.EINVALID, wantField: "user_ids",
		},
		{
			name: "too few seats", free: 1,
			renewal:  func(r *world.Renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantCode: allot.ECONFLICT,
		},
		{
			name: "too few seats in the chosen pool", free: 3,
			renewal: func(r *world.Renewal) allot.Renewal {
				third := r.Assigned(allot.NewOrder{Quantity: 1, TermMonths: 12})
				return allot.Renewal{All: true, PoolID: third.ID}
			},
			wantCode: allot.ECONFLICT,
		},
		{
			name: "by the partner outside manage-company mode", free: 3,
			who:      func(r *world.Renewal) allot.Principal { return r.PM },
			renewal:  func(r *world.Renewal) allot.Renewal { return allot.Renewal{All: true} },
			wantCode: allot.EFORBIDDEN,
		},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				r := world.NewRenewal(t, b, tc.free)
				who := r.CM
				if tc.who != nil {
					who = tc.who(r)
				}
				in := tc.renewal(r)
				in.CompanyID, in.ProductCode = r.Company.ID, "premium"
				usedBefore := r.Reload(r.Second).Used
				seats, err := r.Svc.Renew(r.As(who), in)
				world.WantError(t, err, tc.wantCode, tc.wantField)

				wantLeft := []string{"ann@acme.test", "bob@acme.test"}
				pool := r.Second
				if tc.wantPool != nil {
					pool = tc.wantPool(r)
				}
				var renewed []string
				for _, s := range seats {
					u := world.Must(r.Svc.User(r.As(r.CM), s.UserID))(t)
					renewed = append(renewed, u.Email)
					wantLeft = slices.DeleteFunc(wantLeft, func(e string) bool { return e == u.Email })
					if s.PoolID != pool.ID || !s.StartsAt.Equal(r.Clock.Now()) || !s.EndsAt.Equal(pool.EndsAt) {
						t.Errorf("%s: seat of pool %d from %s to %s, want pool %d from %s to %s",
							u.Email, s.PoolID, s.StartsAt, s.EndsAt, pool.ID, r.Clock.Now(), pool.EndsAt)
					}
					if d := r.Check(u, "premium"); !d.Allowed || !d.Until.Equal(pool.EndsAt) {
						t.Errorf("%s: allowed %v until %s after renewal", u.Email, d.Allowed, d.Until)
					}
				}
				if !slices.Equal(renewed, tc.wantSeats) {
					t.Errorf("renewed %v, want %v", renewed, tc.wantSeats)
				}
				if got := r.Expired(t); !slices.Equal(got, wantLeft) {
					t.Errorf("still expired %v, want %v", got, wantLeft)
				}
				wantUsed := usedBefore
				if pool.ID == r.Second.ID {
					wantUsed += len(tc.wantSeats)
				}
				if got := r.Reload(r.Second).Used; got != wantUsed {
					t.Errorf("second pool uses %d seats, want %d", got, wantUsed)
				}
			})
		}
	})
}
