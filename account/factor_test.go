package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/storetest"
	"allot/world"

	"github.com/pquerna/otp/totp"
)

// codeAt is the code an authenticator app shows for secret at t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// TestSecondFactor sets up a manager's second factor and signs in with it:
// each code and each recovery code works once.
func TestSecondFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		ctx := context.Background()
		cm, err := f.Svc.User(f.As(f.CM), f.CM.UserID)
		if err != nil {
			t.Fatal(err)
		}
		step := func() account.Step { return world.Must(f.Accounts.NextStep(ctx, cm))(t) }
		if got := step(); got != account.StepNone {
			t.Fatalf("before a second factor: step %d, want none", got)
		}

		key := world.Must(f.Accounts.StartFactor(ctx, cm.ID))(t)
		if key.Issuer() != "allot" || key.AccountName() != cm.Email {
			t.Errorf("key for %q of %q", key.AccountName(), key.Issuer())
		}
		if again := world.Must(f.Accounts.PendingKey(ctx, cm.ID))(t); again.Secret() != key.Secret() {
			t.Errorf("the pending key changed: %s, then %s", key.Secret(), again.Secret())
		}
		if got := step(); got != account.StepNone {
			t.Errorf("a factor not yet confirmed asks step %d, want none", got)
		}
		_, err = f.Accounts.ConfirmFactor(ctx, cm.ID, "000000")
		world.WantError(t, err, allot.EINVALID, "code")
		codes := world.Must(f.Accounts.ConfirmFactor(ctx, cm.ID, codeAt(t, key.Secret(), f.Clock.Now())))(t)
		if len(codes) != account.RecoveryCodes {
			t.Fatalf("%d recovery codes, want %d", len(codes), account.RecoveryCodes)
		}
		if got := step(); got != account.StepCode {
			t.Errorf("with a second factor: step %d, want a code", got)
		}
		if _, err := f.Accounts.StartFactor(ctx, cm.ID); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("a second setup over a confirmed factor: %v, want conflict", err)
		}

		// The code that confirmed the factor does not sign in; the next
		// one does, once; a code from the far past does not.
		wantCode := func(what, code, want string) {
			t.Helper()
			if err := f.Accounts.CheckFactor(ctx, cm.ID, code); allot.ErrorCode(err) != want {
				t.Errorf("%s: %v, want %q", what, err, want)
			}
		}
		wantCode("the confirming code again", codeAt(t, key.Secret(), f.Clock.Now()), allot.EUNAUTHORIZED)
		f.Clock.Advance(30 * time.Second)
		next := codeAt(t, key.Secret(), f.Clock.Now())
		wantCode("the next code", next, "")
		wantCode("the next code again", next, allot.EUNAUTHORIZED)
		wantCode("a code of an hour ago", codeAt(t, key.Secret(), f.Clock.Now().Add(-time.Hour)), allot.EUNAUTHORIZED)
		wantCode("no code", "", allot.EUNAUTHORIZED)
		wantCode("a recovery code, typed in capitals with spaces", " "+strings.ToUpper(codes[3])+" ", "")
		wantCode("the same recovery code again", codes[3], allot.EUNAUTHORIZED)
		wantCode("another recovery code", codes[4], "")

		// New recovery codes replace the old ones.
		f.Clock.Advance(30 * time.Second)
		fresh := world.Must(f.Accounts.NewRecoveryCodes(ctx, cm.ID, codeAt(t, key.Secret(), f.Clock.Now())))(t)
		wantCode("an old recovery code", codes[5], allot.EUNAUTHORIZED)
		wantCode("a new recovery code", fresh[0], "")

		// Turning it off needs a code.
		f.Clock.Advance(30 * time.Second)
		world.WantError(t, f.Accounts.TurnOffFactor(ctx, cm.ID, "123456"), allot.EINVALID, "code")
		world.Must(0, f.Accounts.TurnOffFactor(ctx, cm.ID, codeAt(t, key.Secret(), f.Clock.Now())))(t)
		if got := step(); got != account.StepNone {
			t.Errorf("after turning it off: step %d, want none", got)
		}

		// A learner has none.
		ann := f.Learner(f.Company, "ann@acme.test")
		if _, err := f.Accounts.StartFactor(ctx, ann.ID); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a learner's second factor: %v, want forbidden", err)
		}
	})
}

// TestSecondFactorRequired: a company may require a second factor of its
// managers, and the vendor of its staff and partner managers; whoever has
// none then sets one up to sign in, and cannot turn it off.
func TestSecondFactorRequired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		ctx := context.Background()
		user := func(p allot.Principal) allot.User { return world.Must(f.Svc.User(f.As(allot.System), p.UserID))(t) }
		step := func(p allot.Principal) account.Step { return world.Must(f.Accounts.NextStep(ctx, user(p)))(t) }

		world.WantError(t, f.Accounts.RequireFactor(f.As(f.PM), 0, true), allot.EFORBIDDEN, "")
		world.Must(0, f.Accounts.RequireFactor(f.As(f.CM), f.Company.ID, true))(t)
		if step(f.CM) != account.StepEnrol || step(f.PM) != account.StepNone {
			t.Errorf("required of Acme's managers: the manager's step %d (want enrol), the partner's %d (want none)", step(f.CM), step(f.PM))
		}
		world.Must(0, f.Accounts.RequireFactor(f.As(f.Admin), 0, true))(t)
		if step(f.PM) != account.StepEnrol {
			t.Errorf("required of the vendor's side: the partner manager's step %d, want enrol", step(f.PM))
		}
		if required := world.Must(f.Accounts.FactorRequired(f.As(f.CM), f.Company.ID))(t); !required {
			t.Error("FactorRequired: false, want true")
		}

		key := world.Must(f.Accounts.StartFactor(ctx, f.CM.UserID))(t)
		world.Must(f.Accounts.ConfirmFactor(ctx, f.CM.UserID, codeAt(t, key.Secret(), f.Clock.Now())))(t)
		f.Clock.Advance(30 * time.Second)
		if err := f.Accounts.TurnOffFactor(ctx, f.CM.UserID, codeAt(t, key.Secret(), f.Clock.Now())); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("turning off a required factor: %v, want conflict", err)
		}

		// Another company's manager may not change Acme's rule, and reads
		// it as not found.
		globex := world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Globex",
			Manager: &allot.NewUser{Email: "cm@globex.test"}}))
		c, _ := globex(t)
		other := world.Must(f.Svc.UserByEmail(f.As(allot.System), "cm@globex.test"))(t).Principal()
		world.WantError(t, f.Accounts.RequireFactor(f.As(other), f.Company.ID, false), allot.ENOTFOUND, "")
		world.WantError(t, f.Accounts.RequireFactor(f.As(other), c.ID, true), "", "")
	})
}
