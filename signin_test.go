package allot_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

func TestSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		// Ann manages Acme: she makes API tokens, which learners do not.
		ann := world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "ann@acme.test", Role: allot.RoleCompanyManager,
			CompanyID: f.Company.ID}))(t)
		ctx := f.As(f.Admin)

		if _, err := f.Svc.Login(ctx, "ann@acme.test", "anything at all"); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("login without a password: %v, want unauthorized", err)
		}
		setPassword := func(password string) error {
			return f.Svc.Store.Write(ctx, func(tx allot.Tx) error {
				u, err := tx.User(ann.ID)
				if err != nil {
					return err
				}
				return f.Svc.SetPassword(tx, &u, password, "password")
			})
		}
		if err := setPassword("short"); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("a short password: %v, want invalid", err)
		}
		world.Must(0, setPassword("a new password"))(t)
		u, err := f.Svc.Login(ctx, "  ANN@acme.test ", "a new password")
		if err != nil || u.ID != ann.ID {
			t.Fatalf("login with the set password: %v, %v", u.ID, err)
		}
		wrong, wrongErr := f.Svc.Login(ctx, "ann@acme.test", "not the password")
		unknown, unknownErr := f.Svc.Login(ctx, "nobody@acme.test", "not the password")
		if wrong.ID != 0 || unknown.ID != 0 || wrongErr.Error() != unknownErr.Error() {
			t.Errorf("a wrong password (%v) and an unknown e-mail (%v) read differently", wrongErr, unknownErr)
		}

		// Her own change needs the current password.
		as := f.As(ann.Principal())
		if _, err := f.Svc.ChangePassword(as, allot.PasswordChange{Current: "wrong current", New: "another password"}); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("change with a wrong current password: %v, want invalid", err)
		}
		world.Must(f.Svc.ChangePassword(as, allot.PasswordChange{Current: "a new password", New: "another password"}))(t)
		if _, err := f.Svc.Login(ctx, "ann@acme.test", "another password"); err != nil {
			t.Errorf("login after the change: %v", err)
		}

		// A token works until it is revoked or expires; a removed user's
		// token stops working.
		_, secret := world.Must2(f.Svc.CreateToken(as, "script", f.Clock.Now().Add(time.Hour)))(t)
		if p, err := f.Svc.Authenticate(ctx, secret); err != nil || p.UserID != ann.ID {
			t.Fatalf("Authenticate: %+v, %v", p, err)
		}
		f.Clock.Advance(time.Hour)
		if _, err := f.Svc.Authenticate(ctx, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("an expired token: %v, want unauthorized", err)
		}
		tk, secret := world.Must2(f.Svc.CreateToken(as, "forever", time.Time{}))(t)
		world.Must(f.Svc.RevokeToken(as, tk.ID))(t)
		if _, err := f.Svc.Authenticate(ctx, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("a revoked token: %v, want unauthorized", err)
		}
		_, secret = world.Must2(f.Svc.CreateToken(as, "last", time.Time{}))(t)
		world.Must(f.Svc.RemoveUser(f.As(f.CM), ann.ID))(t)
		if _, err := f.Svc.Authenticate(ctx, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("a removed user's token: %v, want unauthorized", err)
		}
	})
}

// A process remembers a token's check for allot.TokenCacheTTL: revoking it
// through the same process ends it at once, through another within the TTL.
func TestTokenCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		other := allot.NewService(f.Svc.Store, f.Clock, nil) // a second process on the same database
		cm := f.As(f.CM)
		tk, secret := world.Must2(f.Svc.CreateToken(cm, "script", time.Time{}))(t)
		for _, svc := range []*allot.Service{f.Svc, other} {
			if _, err := svc.Authenticate(cm, secret); err != nil {
				t.Fatal(err)
			}
		}
		world.Must(f.Svc.RevokeToken(cm, tk.ID))(t)
		if _, err := f.Svc.Authenticate(cm, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("the revoking process still accepts the token: %v", err)
		}
		if _, err := other.Authenticate(cm, secret); err != nil {
			t.Errorf("within the TTL another process may still accept the token; it said %v", err)
		}
		f.Clock.Advance(allot.TokenCacheTTL)
		if _, err := other.Authenticate(cm, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("after the TTL another process still accepts the revoked token: %v", err)
		}
	})
}

// TestLoginCostsTheSame checks that every refused sign-in does the work of
// one password check, so that its time cannot tell an unknown e-mail from a
// person without a password, a removed one, or a wrong password. The work
// is measured in memory, which argon2 takes by the cost's amount, rather
// than in time, which a busy machine blurs.
func TestLoginCostsTheSame(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		const memory = 32 * 1024 // KiB: more than other tests allocate meanwhile
		f.Svc.Passwords = allot.PasswordParams{Time: 1, Memory: memory, Threads: 1}
		ctx := context.Background()
		with := world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "with@acme.test", CompanyID: f.Company.ID, Password: "a password of hers"}))(t)
		f.Learner(f.Company, "without@acme.test")
		gone := world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "gone@acme.test", CompanyID: f.Company.ID, Password: "a password of hers"}))(t)
		world.Must(f.Svc.RemoveUser(f.As(f.CM), gone.ID))(t)
		f.Svc.Login(ctx, "nobody@acme.test", "warm up") // the decoy hash is made once

		for _, email := range []string{with.Email, "without@acme.test", gone.Email, "nobody@acme.test"} {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := f.Svc.Login(ctx, email, "not the password")
			runtime.ReadMemStats(&after)
			if allot.ErrorCode(err) != allot.EUNAUTHORIZED {
				t.Errorf("%s: %v, want unauthorized", email, err)
			}
			if spent := after.TotalAlloc - before.TotalAlloc; spent < memory*1024 {
				t.Errorf("%s: a refusal took %d KiB, want the %d KiB of a password check", email, spent/1024, memory)
			}
		}
	})
}
