package allot_test

import (
	"slices"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

func TestMembersByStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		p := f.Pool(f.Company, 3)
		f.Learner(f.Company, "a@acme.test")
		f.Learner(f.Company, "b@acme.test")
		c := f.Learner(f.Company, "c@acme.test")
		world.Must(f.Svc.Release(f.As(f.CM), f.Seat(c, "premium").ID, allot.ReasonLeft))(t)
		f.Learner(f.Company, "d@acme.test")
		f.Learner(f.Company, "e@acme.test")

		at := []struct {
			name string
			now  time.Time
			want map[allot.Status][]string
		}{
			{"a day in", world.T0.Add(24 * time.Hour), map[allot.Status][]string{
				allot.StatusActive: {"a", "b", "d"}, allot.StatusReleased: {"c"}, allot.StatusUnlicensed: {"e"},
				allot.StatusExpiring: nil, allot.StatusExpired: nil, allot.StatusScheduled: nil,
			}},
			{"72 hours before the end", p.EndsAt.Add(-allot.ExpiringWindow), map[allot.Status][]string{
				allot.StatusActive: nil, allot.StatusExpiring: {"a", "b", "d"}, allot.StatusReleased: {"c"},
			}},
			{"at the end", p.EndsAt, map[allot.Status][]string{
				allot.StatusExpiring: nil, allot.StatusExpired: {"a", "b", "d"}, allot.StatusUnlicensed: {"e"},
			}},
		}
		for _, tt := range at {
			t.Run(tt.name, func(t *testing.T) {
				f.Clock.Set(tt.now)
				for st, want := range tt.want {
					ms := world.Must(f.Svc.Members(f.As(f.CM), f.Company.ID, allot.MemberFilter{Status: st}))(t)
					var got []string
					for _, m := range ms {
						got = append(got, m.Email[:1])
						if m.Status != st {
							t.Errorf("%s listed under %s has status %s", m.Email, st, m.Status)
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("status %s: %v, want %v", st, got, want)
					}
				}
			})
		}
		all := world.Must(f.Svc.Members(f.As(f.CM), f.Company.ID, allot.MemberFilter{}))(t)
		if len(all) != 6 { // five learners and the manager
			t.Errorf("%d members without a filter, want 6", len(all))
		}
		if _, err := f.Svc.Members(f.As(f.CM), f.Company.ID, allot.MemberFilter{Status: "lapsed"}); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("unknown status: %v, want invalid", err)
		}
	})
}
