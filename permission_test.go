package allot_test

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"allot"
	"allot/storetest"
	"allot/world"
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

// tryer is a principal of the world with its relations, stated here by
// hand: to Acme, and to its home, the customers of its own partner (or of
// no partner), where it creates companies and partner managers.
type tryer struct {
	who          string
	toAcme, home allot.Relation
}

var tryers = func() []tryer {
	const (
		v, p, o, a = allot.RelVendor, allot.RelPartner, allot.RelOwn, allot.RelActing
	)
	out := []tryer{
		{"pm", p, p}, {"pm@acme", p | a, p}, {"pm@beta", p, p}, {"pm2", 0, p}, {"pm2@acme", 0, p}, {"pm2@globex", 0, p},
		{"acme cm", o, 0}, {"acme learner", o, 0}, {"globex cm", 0, 0}, {"globex learner", 0, 0}, {"solo cm", 0, 0},
	}
	for _, who := range []string{"admin", "am", "agent", "success"} {
		out = append(out, tryer{who, v, v}, tryer{who + "@acme", v | a, v}, tryer{who + "@beta", v, v})
	}
	return out
}()

// act does an act of the permission table in the world, making what it
// acts on. A refusal is refused when set; otherwise, on Acme, not found for
// those who do not see Acme and forbidden for the others.
type act struct {
	onAcme  bool
	refused string
	do      func(t *testing.T, ctx context.Context, w *world.World) error
}

var acts = map[allot.Act]act{
	allot.ActSeeCompany: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.Company(ctx, w.Acme.Company.ID)
		return err
	}},
	allot.ActSeePartners: {refused: notFound, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.Partner(ctx, homePartner(w, ctx))
		return err
	}},
	allot.ActSeeAudit: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.Events(ctx, allot.EventFilter{CompanyID: w.Acme.Company.ID})
		return err
	}},
	allot.ActEnterCompany: {onAcme: true, refused: notFound, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, _, err := w.Svc.EnterCompany(ctx, w.Acme.Company.ID)
		return err
	}},
	allot.ActRequestOrder: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.RequestOrder(ctx, allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "premium", Quantity: 3})
		return err
	}},
	allot.ActAssignOrder: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, _, err := w.Svc.AssignOrder(ctx, w.NewOrder(t, w.Acme.Company).ID)
		return err
	}},
	allot.ActRejectOrder: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.RejectOrder(ctx, w.NewOrder(t, w.Acme.Company).ID, "ordered twice")
		return err
	}},
	allot.ActCancelOrder: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.CancelOrder(ctx, w.NewOrder(t, w.Acme.Company).ID)
		return err
	}},
	allot.ActAllocate: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.Allocate(ctx, w.NewLearner(t, w.Acme).ID, "coaching", 0)
		return err
	}},
	allot.ActRelease: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.Release(ctx, w.NewSeat(t, w.Acme, "premium").ID, allot.ReasonOther)
		return err
	}},
	allot.ActRenew: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		// Nobody has expired: whoever may renew is told to choose someone.
		_, err := w.Svc.Renew(ctx, allot.Renewal{CompanyID: w.Acme.Company.ID, ProductCode: "premium", All: true})
		if allot.ErrorCode(err) == allot.EINVALID {
			return nil
		}
		return err
	}},
	allot.ActManageUsers: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.RemoveUser(ctx, w.NewLearner(t, w.Acme).ID)
		return err
	}},
	allot.ActAddManager: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.AddUser(ctx, allot.NewUser{Email: w.NewEmail(), CompanyID: w.Acme.Company.ID, Role: allot.RoleCompanyManager})
		return err
	}},
	allot.ActSetReminders: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.SetReminderOffsets(ctx, w.Acme.Company.ID, "")
		return err
	}},
	allot.ActSuspendCompany: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.SetCompanySuspended(ctx, w.Acme.Company.ID, false)
		return err
	}},
	allot.ActCreateCompany: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, _, err := w.Svc.CreateCompany(ctx, allot.NewCompany{Name: "New"})
		return err
	}},
	allot.ActCreatePartner: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.CreatePartner(ctx, allot.Partner{Name: "New"})
		return err
	}},
	allot.ActAddPartnerManager: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.CreateStaff(ctx, allot.NewUser{Email: w.NewEmail(), Role: allot.RolePartnerManager, PartnerID: homePartner(w, ctx)})
		return err
	}},
	allot.ActCreateProduct: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		name := w.NewEmail()
		_, err := w.Svc.CreateProduct(ctx, allot.Product{Code: strings.NewReplacer("@", "-", ".", "-").Replace(name), Name: name})
		return err
	}},
	allot.ActSeeStaff: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.Staff(ctx)
		return err
	}},
	allot.ActCreateStaff: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.CreateStaff(ctx, allot.NewUser{Email: w.NewEmail(), Role: allot.RoleSupportAgent})
		return err
	}},
	allot.ActSeeOutbox: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, _, err := w.Svc.Outbox(ctx, allot.MailFilter{})
		return err
	}},
	allot.ActRecordLogin: {refused: notFound, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		return w.Svc.RecordLogin(ctx, w.NewLearner(t, w.Acme).ID)
	}},
	allot.ActSetPassword: {refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		return w.Svc.SetPassword(ctx, w.NewLearner(t, w.Acme).ID, "a new password")
	}},
}

// homePartner is the partner of the principal ctx carries, or Channel One
// for those of no partner.
func homePartner(w *world.World, ctx context.Context) int64 {
	p, _ := allot.PrincipalFrom(ctx)
	return cmp.Or(p.PartnerID, w.Partner.ID)
}

// TestPermissions does every act of the permission table as principals of
// every role, in every relation to Acme, and checks that the service
// answers as the table says: done when the principal's role may do the act
// in one of its relations; refused otherwise, on Acme as not found for
// those who do not even see Acme. The relations are stated by hand, so the
// test also checks how the kernel reckons them.
func TestPermissions(t *testing.T) {
	for name := range allot.Permissions {
		if _, ok := acts[name]; !ok {
			t.Errorf("no test does %q", name)
		}
	}
	for name := range acts {
		if _, ok := allot.Permissions[name]; !ok {
			t.Errorf("the permission table has no %q", name)
		}
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		for _, name := range slices.Sorted(maps.Keys(acts)) {
			a, by := acts[name], allot.Permissions[name].By
			t.Run(string(name), func(t *testing.T) {
				for _, tr := range tryers {
					p := w.Who[tr.who]
					rel := tr.home
					if a.onAcme {
						rel = tr.toAcme
					}
					var want string
					switch {
					case by[p.Role]&rel != 0:
						want = ok
					case a.refused != "":
						want = a.refused
					case allot.Permissions[allot.ActSeeCompany].By[p.Role]&tr.toAcme == 0:
						want = notFound
					default:
						want = forbidden
					}
					err := a.do(t, w.Ctx(t, tr.who), w)
					if got := allot.ErrorCode(err); got != want {
						t.Errorf("%s: code %q, want %q (error: %v)", tr.who, got, want, err)
					}
				}
			})
		}
	})
}

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
