package allot_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/offline"
	"allot/programme"
	"allot/reclaim"
	"allot/scim"
	"allot/storetest"
	"allot/support"
	"allot/webhook"
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
// those who do not see Acme and forbidden for the others; on a partner
// (onPartner: the principal's home partner), not found for those who do
// not see it.
type act struct {
	onAcme    bool
	onPartner bool
	own       bool // done for the principal themself: asked at their Home
	refused   string
	do        func(t *testing.T, ctx context.Context, w *world.World) error
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
	allot.ActTransferSeats: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Svc.TransferSeats(ctx, allot.SeatTransfer{PoolID: w.Acme.Pool.ID, ToCompanyID: w.Beta.Company.ID, Count: 1})
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
	allot.ActManageProgrammes: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Programs.Create(ctx, programme.NewProgramme{CompanyID: w.Acme.Company.ID, Name: w.NewEmail(), Products: []string{"premium"}})
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
	allot.ActSetReclaim: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Reclaim.SetRule(ctx, w.Acme.Company.ID, reclaim.RuleInput{Days: 90, WarnDays: 7})
		return err
	}},
	allot.ActSetSignIn: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		return w.Accounts.RequireFactor(ctx, w.Acme.Company.ID, false)
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
	allot.ActMakeToken: {own: true, refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, _, err := w.Svc.CreateToken(ctx, "script", time.Time{})
		return err
	}},
	allot.ActConnectSSO: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Accounts.Connect(ctx, account.Owner{CompanyID: w.Acme.Company.ID}, sso("acme.test"))
		return err
	}},
	allot.ActConnectDirectory: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, _, err := (&scim.Service{Ledger: w.Svc, Store: w.DB.SCIM(), Directory: w.Dir}).NewToken(ctx, w.Acme.Company.ID)
		return err
	}},
	allot.ActAskSupport: {onAcme: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Support.Open(ctx, support.NewRequest{CompanyID: w.Acme.Company.ID, Subject: "Help", Body: "Please", Category: "technical"})
		return err
	}},
	// The desk is worked at one's Home; a request of Acme's manager is not
	// found by those who do not see it, and refused to the others.
	allot.ActWorkSupport: {own: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		r := world.Must(w.Support.Open(w.As(w.Acme.CM), support.NewRequest{Subject: "Help", Body: "Please", Category: "technical"}))(t)
		_, err := w.Support.Reply(ctx, r.ID, support.Reply{Body: "Done"})
		return err
	}},
	allot.ActSetSupport: {own: true, refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Support.SetRoutes(ctx, support.DefaultRoutes)
		return err
	}},
	allot.ActEditHelp: {own: true, refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := w.Support.CreateArticle(ctx, support.NewArticle{Title: "Help " + w.NewEmail(), Body: "Ask the desk.",
			Audiences: []support.Audience{support.Members}})
		return err
	}},
	allot.ActManageWebhooks: {own: true, refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := (&webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook()}).Endpoints(ctx)
		return err
	}},
	allot.ActManageKeys: {own: true, refused: forbidden, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		_, err := (&offline.Service{Ledger: w.Svc, Store: w.DB.Offline()}).Rotate(ctx)
		return err
	}},
	allot.ActConnectPartnerSSO: {onPartner: true, do: func(t *testing.T, ctx context.Context, w *world.World) error {
		id := homePartner(w, ctx)
		_, err := w.Accounts.Connect(ctx, account.Owner{PartnerID: id}, sso(fmt.Sprintf("partner%d.test", id)))
		return err
	}},
}

// sso is a connection of single sign-on covering domain.
func sso(domain string) account.ConnectionInput {
	return account.ConnectionInput{Issuer: "https://login.example.test", ClientID: "allot", ClientSecret: "secret",
		Domains: []string{domain}}
}

// ownRelation is how each role stands to its own Home: the vendor's staff
// to the deployment, a partner manager to its partner's customers, a
// company's people to their company.
var ownRelation = map[allot.Role]allot.Relation{allot.RoleVendorAdmin: allot.RelVendor, allot.RoleAccountManager: allot.RelVendor,
	allot.RoleSupportAgent: allot.RelVendor, allot.RoleSuccessManager: allot.RelVendor, allot.RolePartnerManager: allot.RelPartner,
	allot.RoleCompanyManager: allot.RelOwn, allot.RoleLearner: allot.RelOwn}

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
					switch {
					case a.onAcme:
						rel = tr.toAcme
					case a.own:
						rel = ownRelation[p.Role]
					}
					seen := allot.Permissions[allot.ActSeeCompany].By[p.Role]&tr.toAcme != 0
					if a.onPartner {
						seen = allot.Permissions[allot.ActSeePartners].By[p.Role]&tr.home != 0
					}
					var want string
					switch {
					case by[p.Role]&rel != 0:
						want = ok
					case a.refused != "":
						want = a.refused
					case !seen:
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
