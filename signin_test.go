package allot_test

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

func TestSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		ann := f.learner(f.company, "ann@acme.test")
		ctx := f.as(f.admin)

		if _, err := f.svc.Login(ctx, "ann@acme.test", "anything at all"); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("login without a password: %v, want unauthorized", err)
		}
		if err := f.svc.SetPassword(f.as(f.cm), ann.ID, "a new password"); allot.ErrorCode(err) != allot.EFORBIDDEN {
			t.Errorf("a company manager setting a password: %v, want forbidden", err)
		}
		if err := f.svc.SetPassword(ctx, ann.ID, "short"); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("a short password: %v, want invalid", err)
		}
		must(0, f.svc.SetPassword(ctx, ann.ID, "a new password"))(t)
		u, err := f.svc.Login(ctx, "  ANN@acme.test ", "a new password")
		if err != nil || u.ID != ann.ID {
			t.Fatalf("login with the set password: %v, %v", u.ID, err)
		}
		wrong, wrongErr := f.svc.Login(ctx, "ann@acme.test", "not the password")
		unknown, unknownErr := f.svc.Login(ctx, "nobody@acme.test", "not the password")
		if wrong.ID != 0 || unknown.ID != 0 || wrongErr.Error() != unknownErr.Error() {
			t.Errorf("a wrong password (%v) and an unknown e-mail (%v) read differently", wrongErr, unknownErr)
		}

		// Her own change needs the current password.
		as := f.as(ann.Principal())
		if err := f.svc.ChangePassword(as, "wrong current", "another password"); allot.ErrorCode(err) != allot.EINVALID {
			t.Errorf("change with a wrong current password: %v, want invalid", err)
		}
		must(0, f.svc.ChangePassword(as, "a new password", "another password"))(t)
		if _, err := f.svc.Login(ctx, "ann@acme.test", "another password"); err != nil {
			t.Errorf("login after the change: %v", err)
		}

		// A token works until it is revoked or expires; a removed user's
		// token stops working.
		_, secret := must2(f.svc.CreateToken(as, "script", f.clock.Now().Add(time.Hour)))(t)
		if p, err := f.svc.Authenticate(ctx, secret); err != nil || p.UserID != ann.ID {
			t.Fatalf("Authenticate: %+v, %v", p, err)
		}
		f.clock.Advance(time.Hour)
		if _, err := f.svc.Authenticate(ctx, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("an expired token: %v, want unauthorized", err)
		}
		tk, secret := must2(f.svc.CreateToken(as, "forever", time.Time{}))(t)
		must(f.svc.RevokeToken(as, tk.ID))(t)
		if _, err := f.svc.Authenticate(ctx, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("a revoked token: %v, want unauthorized", err)
		}
		_, secret = must2(f.svc.CreateToken(as, "last", time.Time{}))(t)
		must(f.svc.RemoveUser(f.as(f.cm), ann.ID))(t)
		if _, err := f.svc.Authenticate(ctx, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("a removed user's token: %v, want unauthorized", err)
		}
	})
}

// A process remembers a token's check for allot.TokenCacheTTL: revoking it
// through the same process ends it at once, through another within the TTL.
func TestTokenCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := setup(t, b)
		other := allot.NewService(f.svc.Store, f.clock, nil) // a second process on the same database
		cm := f.as(f.cm)
		tk, secret := must2(f.svc.CreateToken(cm, "script", time.Time{}))(t)
		for _, svc := range []*allot.Service{f.svc, other} {
			if _, err := svc.Authenticate(cm, secret); err != nil {
				t.Fatal(err)
			}
		}
		must(f.svc.RevokeToken(cm, tk.ID))(t)
		if _, err := f.svc.Authenticate(cm, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("the revoking process still accepts the token: %v", err)
		}
		if _, err := other.Authenticate(cm, secret); err != nil {
			t.Errorf("within the TTL another process may still accept the token; it said %v", err)
		}
		f.clock.Advance(allot.TokenCacheTTL)
		if _, err := other.Authenticate(cm, secret); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("after the TTL another process still accepts the revoked token: %v", err)
		}
	})
}
