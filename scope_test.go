package allot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestVisibility reads what belongs to Acme, and lists, as many kinds of
// principal: an id of another tenant reads as not found.
func TestVisibility(t *testing.T) {
	actions := []struct {
		name  string
		do    func(t *testing.T, ctx context.Context, w *world.World) error
		tries []try
	}{
		{
			name: "see acme",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Company(ctx, w.Acme.Company.ID)
				return err
			},
			tries: []try{
				{"admin", ok}, {"agent", ok}, {"pm", ok}, {"acme cm", ok},
				{"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}, {"solo cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "see an acme order",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Order(ctx, w.Acme.Order.ID)
				return err
			},
			tries: []try{
				{"agent", ok}, {"pm", ok}, {"acme cm", ok},
				{"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "see an acme learner",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.User(ctx, w.Acme.Learner.ID)
				return err
			},
			tries: []try{
				{"acme learner", ok}, {"acme cm", ok}, {"pm", ok}, {"agent", ok},
				{"pm2", notFound}, {"globex cm", notFound}, {"globex learner", notFound}, {"beta cm", notFound},
			},
		},
		{
			name: "see another partner's manager",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.User(ctx, w.Who["pm2"].UserID)
				return err
			},
			tries: []try{{"pm2", ok}, {"admin", ok}, {"pm", notFound}, {"acme cm", notFound}},
		},
		{
			name: "see another partner",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Partner(ctx, w.Partner2.ID)
				return err
			},
			tries: []try{{"pm2", ok}, {"am", ok}, {"pm", notFound}, {"acme cm", notFound}},
		},
		{
			name: "list acme's seats",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Seats(ctx, allot.SeatFilter{CompanyID: w.Acme.Company.ID})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"agent", ok}, {"pm2", notFound}, {"globex cm", notFound}},
		},
		{
			name: "list acme's pools",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Pools(ctx, w.Acme.Company.ID)
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound}},
		},
		{
			name: "list acme's users",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Users(ctx, allot.UserFilter{CompanyID: w.Acme.Company.ID})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound}},
		},
		{
			name: "list acme's expired learners",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.ExpiredLearners(ctx, w.Acme.Company.ID, "premium")
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm2", notFound}, {"globex cm", notFound}},
		},
		{
			name: "read acme's audit log",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Events(ctx, allot.EventFilter{CompanyID: w.Acme.Company.ID})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"admin", ok}, {"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}},
		},
		{
			name: "read the audit log",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Events(ctx, allot.EventFilter{})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm@acme", ok}, {"admin", ok}, {"acme learner", forbidden}},
		},
		{
			name: "list orders",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Orders(ctx, allot.OrderFilter{})
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm", ok}, {"pm@acme", ok}, {"agent", ok},
				{"acme learner", forbidden},
				{"pm@globex", notFound}, {"pm2@acme", notFound},
			},
		},
		{
			name: "list companies",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Companies(ctx, allot.CompanyFilter{})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"agent", ok}, {"acme learner", forbidden}},
		},
		{
			name: "check an acme learner's access",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				_, err := w.Svc.Check(ctx, allot.EntitlementQuery{UserID: w.Acme.Learner.ID, ProductCode: "premium"})
				return err
			},
			tries: []try{
				{"acme learner", ok}, {"acme cm", ok}, {"pm", ok}, {"agent", ok}, {"admin", ok},
				{"pm2", notFound}, {"globex cm", notFound}, {"globex learner", notFound}, {"solo cm", notFound},
			},
		},
		{
			name: "record an acme learner's login",
			do: func(t *testing.T, ctx context.Context, w *world.World) error {
				return w.Svc.RecordLogin(ctx, w.Acme.Learner.ID)
			},
			tries: []try{{"acme learner", ok}, {"agent", ok}, {"acme cm", notFound}, {"pm", notFound}, {"globex learner", notFound}},
		},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		for _, a := range actions {
			t.Run(a.name, func(t *testing.T) {
				for _, tr := range a.tries {
					err := a.do(t, w.Ctx(t, tr.who), w)
					if got := allot.ErrorCode(err); got != tr.want {
						t.Errorf("%s: code %q, want %q (error: %v)", tr.who, got, tr.want, err)
					}
				}
			})
		}
	})
}

// TestForeignIDs checks that an id of another tenant is answered exactly
// like an id that does not exist: same code, same message. Ids naming what
// is acted on are not found; an id that is part of the input (the learner a
// seat is reallocated to, the partner of a new company or manager) is
// invalid when wrong.
func TestForeignIDs(t *testing.T) {
	const missing = 1 << 40
	cases := []struct {
		name string
		who  string
		id   func(w *world.World) int64
		call func(ctx context.Context, w *world.World, id int64) error
		want string
	}{
		{"company", "pm2", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Company(ctx, id)
			return err
		}, notFound},
		{"order", "pm2", func(w *world.World) int64 { return w.Acme.Order.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Order(ctx, id)
			return err
		}, notFound},
		{"request for company", "globex cm", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.RequestOrder(ctx, allot.NewOrder{CompanyID: id, ProductCode: "premium", Quantity: 1})
			return err
		}, notFound},
		{"assign order", "pm2", func(w *world.World) int64 { return w.Acme.Order.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, _, err := w.Svc.AssignOrder(ctx, id)
			return err
		}, notFound},
		{"cancel order", "globex cm", func(w *world.World) int64 { return w.Acme.Order.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.CancelOrder(ctx, id)
			return err
		}, notFound},
		{"reject order", "pm", func(w *world.World) int64 { return w.Globex.Order.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.RejectOrder(ctx, id, "no")
			return err
		}, notFound},
		{"allocate to user", "globex cm", func(w *world.World) int64 { return w.Acme.Learner.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Allocate(ctx, id, "coaching", 0)
			return err
		}, notFound},
		{"release seat", "pm2@globex", func(w *world.World) int64 { return w.Acme.Seat.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Release(ctx, id, allot.ReasonOther)
			return err
		}, notFound},
		{"renew from pool", "acme cm", func(w *world.World) int64 { return w.Globex.Seat.PoolID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Renew(ctx, allot.Renewal{CompanyID: w.Acme.Company.ID, ProductCode: "premium", All: true, PoolID: id})
			return err
		}, notFound},
		{"reallocate seat", "globex cm", func(w *world.World) int64 { return w.Acme.Seat.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Reallocate(ctx, id, w.Globex.Learner.ID)
			return err
		}, notFound},
		{"reallocate to user", "acme cm", func(w *world.World) int64 { return w.Globex.Learner.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Reallocate(ctx, w.Acme.Seat.ID, id)
			return err
		}, allot.ENOTFOUND},
		{"remove user", "beta cm", func(w *world.World) int64 { return w.Acme.Learner.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.RemoveUser(ctx, id)
			return err
		}, notFound},
		{"user", "acme cm", func(w *world.World) int64 { return w.Beta.Learner.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.User(ctx, id)
			return err
		}, notFound},
		{"user as a learner", "acme learner", func(w *world.World) int64 { return w.Globex.Learner.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.User(ctx, id)
			return err
		}, notFound},
		{"check user", "beta cm", func(w *world.World) int64 { return w.Acme.Learner.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Check(ctx, allot.EntitlementQuery{UserID: id, ProductCode: "premium"})
			return err
		}, notFound},
		{"add user to company", "pm2", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.AddUser(ctx, allot.NewUser{Email: w.NewEmail(), CompanyID: id, Role: allot.RoleCompanyManager})
			return err
		}, notFound},
		{"suspend company", "pm2", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.SetCompanySuspended(ctx, id, true)
			return err
		}, notFound},
		{"seats of company", "globex cm", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Seats(ctx, allot.SeatFilter{CompanyID: id})
			return err
		}, notFound},
		{"pools of company", "pm2", func(w *world.World) int64 { return w.Solo.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Pools(ctx, id)
			return err
		}, notFound},
		{"users of company", "pm", func(w *world.World) int64 { return w.Solo.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Users(ctx, allot.UserFilter{CompanyID: id})
			return err
		}, notFound},
		{"expired learners of company", "pm2", func(w *world.World) int64 { return w.Beta.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.ExpiredLearners(ctx, id, "premium")
			return err
		}, notFound},
		{"renew in company", "globex cm", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Renew(ctx, allot.Renewal{CompanyID: id, ProductCode: "premium", All: true})
			return err
		}, notFound},
		{"events of company", "solo cm", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Events(ctx, allot.EventFilter{CompanyID: id})
			return err
		}, notFound},
		{"orders in manage mode", "pm2", func(w *world.World) int64 { return w.Acme.Company.ID }, func(ctx context.Context, w *world.World, id int64) error {
			p, _ := allot.PrincipalFrom(ctx)
			_, err := w.Svc.Orders(allot.WithPrincipal(ctx, world.Acting(p, allot.Company{ID: id})), allot.OrderFilter{})
			return err
		}, notFound},
		{"customer of partner", "pm", func(w *world.World) int64 { return w.Partner2.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, _, err := w.Svc.CreateCompany(ctx, allot.NewCompany{Name: "New", PartnerID: id})
			return err
		}, allot.EINVALID},
		{"manager of partner", "pm", func(w *world.World) int64 { return w.Partner2.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.CreateStaff(ctx, allot.NewUser{Email: w.NewEmail(), Role: allot.RolePartnerManager, PartnerID: id})
			return err
		}, allot.EINVALID},
		{"partner", "pm", func(w *world.World) int64 { return w.Partner2.ID }, func(ctx context.Context, w *world.World, id int64) error {
			_, err := w.Svc.Partner(ctx, id)
			return err
		}, notFound},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := w.Ctx(t, tc.who)
				id := tc.id(w)
				foreign := tc.call(ctx, w, id)
				absent := tc.call(ctx, w, missing)
				// A message may repeat the id it was given.
				fm := strings.ReplaceAll(allot.ErrorMessage(foreign), strconv.FormatInt(id, 10), "ID")
				am := strings.ReplaceAll(allot.ErrorMessage(absent), strconv.FormatInt(missing, 10), "ID")
				if allot.ErrorCode(foreign) != allot.ErrorCode(absent) || fm != am || world.FieldOf(foreign) != world.FieldOf(absent) {
					t.Errorf("foreign id: %v\nmissing id: %v", foreign, absent)
				}
				if got := allot.ErrorCode(foreign); got != tc.want {
					t.Errorf("foreign id: code %q, want %q (error: %v)", got, tc.want, foreign)
				}
			})
		}
	})
}
