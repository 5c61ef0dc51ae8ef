package allot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"allot"
	"allot/storetest"
)

// try is one principal attempting an action and the error code it must get
// ("" for success).
type try struct {
	who  string
	want string
}

const (
	ok        = ""
	notFound  = allot.ENOTFOUND
	forbidden = allot.EFORBIDDEN
)

// TestPermissions runs every action as many kinds of principal (PRODUCT.md
// §1-2). An id of another tenant reads as not found; forbidden is only for
// what the role may never do. Each action makes what it acts on, so the
// attempts do not depend on each other.
func TestPermissions(t *testing.T) {
	actions := []struct {
		name  string
		do    func(t *testing.T, ctx context.Context, w *world) error
		tries []try
	}{
		{
			name: "request an order for acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.RequestOrder(ctx, allot.NewOrder{CompanyID: w.acme.company.ID, ProductCode: "premium", Quantity: 3})
				return err
			},
			tries: []try{
				{"admin", ok}, {"am", ok}, {"pm", ok}, {"pm@acme", ok}, {"acme cm", ok}, {"agent@acme", ok}, {"agent", ok},
				{"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "request an order for a direct customer",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.RequestOrder(ctx, allot.NewOrder{CompanyID: w.solo.company.ID, ProductCode: "premium", Quantity: 3})
				return err
			},
			tries: []try{{"am", ok}, {"solo cm", ok}, {"pm", notFound}, {"acme cm", notFound}},
		},
		{
			name: "assign an acme order",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, _, err := w.svc.AssignOrder(ctx, w.newOrder(t, w.acme.company).ID)
				return err
			},
			tries: []try{
				{"admin", ok}, {"am", ok}, {"pm", ok}, {"pm@acme", ok},
				{"acme cm", forbidden}, {"agent", forbidden}, {"agent@acme", forbidden},
				{"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "assign a direct customer's order",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, _, err := w.svc.AssignOrder(ctx, w.newOrder(t, w.solo.company).ID)
				return err
			},
			tries: []try{{"am", ok}, {"admin", ok}, {"solo cm", forbidden}, {"pm", notFound}, {"acme cm", notFound}},
		},
		{
			name: "cancel an acme order",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.CancelOrder(ctx, w.newOrder(t, w.acme.company).ID)
				return err
			},
			tries: []try{
				{"admin", ok}, {"am", ok}, {"pm", ok}, {"pm@acme", ok},
				{"acme cm", forbidden}, {"agent", forbidden}, {"agent@acme", forbidden},
				{"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "cancel an order one requested in manage-company mode",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				o := must(w.svc.RequestOrder(w.ctx(t, "agent@acme"), allot.NewOrder{CompanyID: w.acme.company.ID, ProductCode: "premium", Quantity: 1}))(t)
				_, err := w.svc.CancelOrder(ctx, o.ID)
				return err
			},
			tries: []try{{"agent", ok}, {"pm2", notFound}},
		},
		{
			name: "reject an acme order",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.RejectOrder(ctx, w.newOrder(t, w.acme.company).ID, "ordered twice")
				return err
			},
			tries: []try{
				{"admin", ok}, {"am", ok}, {"pm", ok}, {"pm@acme", ok},
				{"acme cm", forbidden}, {"agent", forbidden},
				{"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "allocate a seat in acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Allocate(ctx, w.newLearner(t, w.acme).ID, "coaching", 0)
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm@acme", ok}, {"admin@acme", ok}, {"agent@acme", ok},
				{"pm", forbidden}, {"pm@beta", forbidden}, {"admin", forbidden}, {"am", forbidden},
				{"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "allocate a seat in globex",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Allocate(ctx, w.newLearner(t, w.globex).ID, "coaching", 0)
				return err
			},
			tries: []try{
				{"globex cm", ok}, {"pm2@globex", ok},
				{"pm@globex", notFound}, {"pm", notFound}, {"acme cm", notFound},
			},
		},
		{
			name: "release a seat in acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Release(ctx, w.newSeat(t, w.acme, "premium").ID, allot.ReasonOther)
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm@acme", ok}, {"admin@acme", ok},
				{"pm", forbidden}, {"pm@beta", forbidden}, {"am", forbidden},
				{"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "reallocate a seat in acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				seat := w.newSeat(t, w.acme, "coaching")
				_, err := w.svc.Reallocate(ctx, seat.ID, w.newLearner(t, w.acme).ID)
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm@acme", ok},
				{"pm", forbidden},
				{"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound},
			},
		},
		{
			name: "remove an acme learner",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.RemoveUser(ctx, w.newLearner(t, w.acme).ID)
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm@acme", ok},
				{"pm", forbidden}, {"am", forbidden},
				{"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "add a learner to acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.AddUser(ctx, allot.NewUser{Email: w.newEmail(), CompanyID: w.acme.company.ID})
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm@acme", ok}, {"admin@acme", ok},
				{"pm", forbidden}, {"am", forbidden}, {"pm@beta", forbidden},
				{"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "add a manager to acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.AddUser(ctx, allot.NewUser{Email: w.newEmail(), CompanyID: w.acme.company.ID, Role: allot.RoleCompanyManager})
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm", ok}, {"am", ok}, {"admin", ok},
				{"agent", forbidden},
				{"pm2", notFound}, {"globex cm", notFound},
			},
		},
		{
			name: "renew in acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				// Nobody has expired: whoever may renew is told to choose someone.
				_, err := w.svc.Renew(ctx, allot.Renewal{CompanyID: w.acme.company.ID, ProductCode: "premium", All: true})
				if allot.ErrorCode(err) == allot.EINVALID {
					return nil
				}
				return err
			},
			tries: []try{
				{"acme cm", ok}, {"pm@acme", ok},
				{"pm", forbidden}, {"am", forbidden},
				{"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "suspend acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.SetCompanySuspended(ctx, w.acme.company.ID, false)
				return err
			},
			tries: []try{
				{"admin", ok}, {"am", ok},
				{"agent", forbidden}, {"pm", forbidden}, {"pm@acme", forbidden}, {"acme cm", forbidden},
				{"pm2", notFound}, {"globex cm", notFound},
			},
		},
		{
			name: "create a customer of channel one",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, _, err := w.svc.CreateCompany(ctx, allot.NewCompany{Name: "New", PartnerID: w.partner.ID})
				return err
			},
			tries: []try{
				{"pm", ok}, {"am", ok}, {"admin", ok},
				{"agent", forbidden}, {"acme cm", forbidden}, {"acme learner", forbidden},
			},
		},
		{
			name: "add a manager to channel one",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.CreateStaff(ctx, allot.NewUser{Email: w.newEmail(), Role: allot.RolePartnerManager, PartnerID: w.partner.ID})
				return err
			},
			tries: []try{
				{"pm", ok}, {"am", ok}, {"admin", ok},
				{"agent", forbidden}, {"acme cm", forbidden}, {"acme learner", forbidden},
			},
		},
		{
			name: "add vendor staff",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.CreateStaff(ctx, allot.NewUser{Email: w.newEmail(), Role: allot.RoleSupportAgent})
				return err
			},
			tries: []try{{"admin", ok}, {"am", forbidden}, {"pm", forbidden}, {"acme cm", forbidden}},
		},
		{
			name: "see acme",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Company(ctx, w.acme.company.ID)
				return err
			},
			tries: []try{
				{"admin", ok}, {"agent", ok}, {"pm", ok}, {"acme cm", ok},
				{"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}, {"solo cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "see an acme order",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Order(ctx, w.acme.order.ID)
				return err
			},
			tries: []try{
				{"agent", ok}, {"pm", ok}, {"acme cm", ok},
				{"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound},
			},
		},
		{
			name: "see an acme learner",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.User(ctx, w.acme.learner.ID)
				return err
			},
			tries: []try{
				{"acme learner", ok}, {"acme cm", ok}, {"pm", ok}, {"agent", ok},
				{"pm2", notFound}, {"globex cm", notFound}, {"globex learner", notFound}, {"beta cm", notFound},
			},
		},
		{
			name: "see another partner's manager",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.User(ctx, w.who["pm2"].UserID)
				return err
			},
			tries: []try{{"pm2", ok}, {"admin", ok}, {"pm", notFound}, {"acme cm", notFound}},
		},
		{
			name: "see another partner",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Partner(ctx, w.partner2.ID)
				return err
			},
			tries: []try{{"pm2", ok}, {"am", ok}, {"pm", notFound}, {"acme cm", notFound}},
		},
		{
			name: "list acme's seats",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Seats(ctx, allot.SeatFilter{CompanyID: w.acme.company.ID})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"agent", ok}, {"pm2", notFound}, {"globex cm", notFound}},
		},
		{
			name: "list acme's pools",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Pools(ctx, w.acme.company.ID)
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound}},
		},
		{
			name: "list acme's users",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Users(ctx, allot.UserFilter{CompanyID: w.acme.company.ID})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm2", notFound}, {"globex cm", notFound}, {"acme learner", notFound}},
		},
		{
			name: "list acme's expired learners",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.ExpiredLearners(ctx, w.acme.company.ID, "premium")
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm2", notFound}, {"globex cm", notFound}},
		},
		{
			name: "read acme's audit log",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Events(ctx, allot.EventFilter{CompanyID: w.acme.company.ID})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"admin", ok}, {"pm2", notFound}, {"pm2@acme", notFound}, {"globex cm", notFound}},
		},
		{
			name: "read the audit log",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Events(ctx, allot.EventFilter{})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"pm@acme", ok}, {"admin", ok}, {"acme learner", forbidden}},
		},
		{
			name: "list orders",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Orders(ctx, allot.OrderFilter{})
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
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Companies(ctx, allot.CompanyFilter{})
				return err
			},
			tries: []try{{"acme cm", ok}, {"pm", ok}, {"agent", ok}, {"acme learner", forbidden}},
		},
		{
			name: "check an acme learner's access",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				_, err := w.svc.Check(ctx, allot.EntitlementQuery{UserID: w.acme.learner.ID, ProductCode: "premium"})
				return err
			},
			tries: []try{
				{"acme learner", ok}, {"acme cm", ok}, {"pm", ok}, {"agent", ok}, {"admin", ok},
				{"pm2", notFound}, {"globex cm", notFound}, {"globex learner", notFound}, {"solo cm", notFound},
			},
		},
		{
			name: "record an acme learner's login",
			do: func(t *testing.T, ctx context.Context, w *world) error {
				return w.svc.RecordLogin(ctx, w.acme.learner.ID)
			},
			tries: []try{{"acme learner", ok}, {"agent", ok}, {"acme cm", notFound}, {"pm", notFound}, {"globex learner", notFound}},
		},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := newWorld(t, b)
		for _, a := range actions {
			t.Run(a.name, func(t *testing.T) {
				for _, tr := range a.tries {
					err := a.do(t, w.ctx(t, tr.who), w)
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
		id   func(w *world) int64
		call func(ctx context.Context, w *world, id int64) error
		want string
	}{
		{"company", "pm2", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Company(ctx, id)
			return err
		}, notFound},
		{"order", "pm2", func(w *world) int64 { return w.acme.order.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Order(ctx, id)
			return err
		}, notFound},
		{"request for company", "globex cm", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.RequestOrder(ctx, allot.NewOrder{CompanyID: id, ProductCode: "premium", Quantity: 1})
			return err
		}, notFound},
		{"assign order", "pm2", func(w *world) int64 { return w.acme.order.ID }, func(ctx context.Context, w *world, id int64) error {
			_, _, err := w.svc.AssignOrder(ctx, id)
			return err
		}, notFound},
		{"cancel order", "globex cm", func(w *world) int64 { return w.acme.order.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.CancelOrder(ctx, id)
			return err
		}, notFound},
		{"reject order", "pm", func(w *world) int64 { return w.globex.order.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.RejectOrder(ctx, id, "no")
			return err
		}, notFound},
		{"allocate to user", "globex cm", func(w *world) int64 { return w.acme.learner.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Allocate(ctx, id, "coaching", 0)
			return err
		}, notFound},
		{"release seat", "pm2@globex", func(w *world) int64 { return w.acme.seat.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Release(ctx, id, allot.ReasonOther)
			return err
		}, notFound},
		{"renew from pool", "acme cm", func(w *world) int64 { return w.globex.seat.PoolID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Renew(ctx, allot.Renewal{CompanyID: w.acme.company.ID, ProductCode: "premium", All: true, PoolID: id})
			return err
		}, notFound},
		{"reallocate seat", "globex cm", func(w *world) int64 { return w.acme.seat.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Reallocate(ctx, id, w.globex.learner.ID)
			return err
		}, notFound},
		{"reallocate to user", "acme cm", func(w *world) int64 { return w.globex.learner.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Reallocate(ctx, w.acme.seat.ID, id)
			return err
		}, allot.ENOTFOUND},
		{"remove user", "beta cm", func(w *world) int64 { return w.acme.learner.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.RemoveUser(ctx, id)
			return err
		}, notFound},
		{"user", "acme cm", func(w *world) int64 { return w.beta.learner.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.User(ctx, id)
			return err
		}, notFound},
		{"user as a learner", "acme learner", func(w *world) int64 { return w.globex.learner.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.User(ctx, id)
			return err
		}, notFound},
		{"check user", "beta cm", func(w *world) int64 { return w.acme.learner.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Check(ctx, allot.EntitlementQuery{UserID: id, ProductCode: "premium"})
			return err
		}, notFound},
		{"add user to company", "pm2", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.AddUser(ctx, allot.NewUser{Email: w.newEmail(), CompanyID: id, Role: allot.RoleCompanyManager})
			return err
		}, notFound},
		{"suspend company", "pm2", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.SetCompanySuspended(ctx, id, true)
			return err
		}, notFound},
		{"seats of company", "globex cm", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Seats(ctx, allot.SeatFilter{CompanyID: id})
			return err
		}, notFound},
		{"pools of company", "pm2", func(w *world) int64 { return w.solo.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Pools(ctx, id)
			return err
		}, notFound},
		{"users of company", "pm", func(w *world) int64 { return w.solo.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Users(ctx, allot.UserFilter{CompanyID: id})
			return err
		}, notFound},
		{"expired learners of company", "pm2", func(w *world) int64 { return w.beta.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.ExpiredLearners(ctx, id, "premium")
			return err
		}, notFound},
		{"renew in company", "globex cm", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Renew(ctx, allot.Renewal{CompanyID: id, ProductCode: "premium", All: true})
			return err
		}, notFound},
		{"events of company", "solo cm", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Events(ctx, allot.EventFilter{CompanyID: id})
			return err
		}, notFound},
		{"orders in manage mode", "pm2", func(w *world) int64 { return w.acme.company.ID }, func(ctx context.Context, w *world, id int64) error {
			p, _ := allot.PrincipalFrom(ctx)
			_, err := w.svc.Orders(allot.WithPrincipal(ctx, acting(p, allot.Company{ID: id})), allot.OrderFilter{})
			return err
		}, notFound},
		{"customer of partner", "pm", func(w *world) int64 { return w.partner2.ID }, func(ctx context.Context, w *world, id int64) error {
			_, _, err := w.svc.CreateCompany(ctx, allot.NewCompany{Name: "New", PartnerID: id})
			return err
		}, allot.EINVALID},
		{"manager of partner", "pm", func(w *world) int64 { return w.partner2.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.CreateStaff(ctx, allot.NewUser{Email: w.newEmail(), Role: allot.RolePartnerManager, PartnerID: id})
			return err
		}, allot.EINVALID},
		{"partner", "pm", func(w *world) int64 { return w.partner2.ID }, func(ctx context.Context, w *world, id int64) error {
			_, err := w.svc.Partner(ctx, id)
			return err
		}, notFound},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := newWorld(t, b)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := w.ctx(t, tc.who)
				id := tc.id(w)
				foreign := tc.call(ctx, w, id)
				absent := tc.call(ctx, w, missing)
				// A message may repeat the id it was given.
				fm := strings.ReplaceAll(allot.ErrorMessage(foreign), strconv.FormatInt(id, 10), "ID")
				am := strings.ReplaceAll(allot.ErrorMessage(absent), strconv.FormatInt(missing, 10), "ID")
				if allot.ErrorCode(foreign) != allot.ErrorCode(absent) || fm != am || fieldOf(foreign) != fieldOf(absent) {
					t.Errorf("foreign id: %v\nmissing id: %v", foreign, absent)
				}
				if got := allot.ErrorCode(foreign); got != tc.want {
					t.Errorf("foreign id: code %q, want %q (error: %v)", got, tc.want, foreign)
				}
			})
		}
	})
}
