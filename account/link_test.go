package account_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestWelcomeLink follows a learner added with a welcome: the mail is
// queued, its link names them, sets their password once and signs them
// in, and then is dead.
func TestWelcomeLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		ctx := context.Background()
		ann := world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "ann@acme.test", CompanyID: f.Company.ID, Welcome: true}))(t)
		quiet := world.Must(f.Svc.AddUser(f.As(f.CM), allot.NewUser{Email: "quiet@acme.test", CompanyID: f.Company.ID}))(t)
		queued := f.Mails(allot.MailWelcome)
		if len(queued[ann.Email]) != 1 || queued[ann.Email][0].Company != "Acme" || len(queued[quiet.Email]) != 0 {
			t.Fatalf("welcome mails queued: %+v, want one to ann, of Acme", queued)
		}

		token, expires := world.Must2(f.Accounts.IssueLink(ctx, ann.ID, allot.MailWelcome))(t)
		if want := f.Clock.Now().Add(7 * 24 * time.Hour); !expires.Equal(want) {
			t.Errorf("a welcome link expires at %s, want %s", expires, want)
		}
		u, l, err := f.Accounts.Linked(ctx, token)
		if err != nil || u.ID != ann.ID || l.Purpose != allot.MailWelcome || l.Hash == token {
			t.Fatalf("Linked: %+v %+v %v", u, l, err)
		}
		_, err = f.Accounts.UseLink(ctx, token, "short")
		world.WantError(t, err, allot.EINVALID, "password")
		got := world.Must(f.Accounts.UseLink(ctx, token, "a fine new password"))(t)
		if got.ID != ann.ID || got.SessionEpoch != ann.SessionEpoch+1 {
			t.Errorf("UseLink returned %+v, want ann at the next epoch", got)
		}
		if _, err := f.Svc.Login(ctx, ann.Email, "a fine new password"); err != nil {
			t.Errorf("signing in with the password the link set: %v", err)
		}
		if _, err := f.Accounts.UseLink(ctx, token, "another password"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a used link: %v, want not found", err)
		}
		if _, _, err := f.Accounts.Linked(ctx, token); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a used link still reads: %v", err)
		}
	})
}

// TestResetLink checks a reset link's life: an hour, replaced by a newer
// link, dead for a removed person; and that of two uses at once, one wins.
func TestResetLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		ctx := context.Background()
		cm := f.CM.UserID

		old, _ := world.Must2(f.Accounts.IssueLink(ctx, cm, allot.MailReset))(t)
		token, expires := world.Must2(f.Accounts.IssueLink(ctx, cm, allot.MailReset))(t)
		if want := f.Clock.Now().Add(time.Hour); !expires.Equal(want) {
			t.Errorf("a reset link expires at %s, want %s", expires, want)
		}
		if _, _, err := f.Accounts.Linked(ctx, old); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a replaced link: %v, want not found", err)
		}
		f.Clock.Advance(time.Hour)
		if _, err := f.Accounts.UseLink(ctx, token, "a fine new password"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("an expired link: %v, want not found", err)
		}

		// Of many uses of one link at once, exactly one sets the password.
		token, _ = world.Must2(f.Accounts.IssueLink(ctx, cm, allot.MailReset))(t)
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		for range 4 {
			wg.Go(func() {
				_, err := f.Accounts.UseLink(ctx, token, "a fine new password")
				mu.Lock()
				defer mu.Unlock()
				switch allot.ErrorCode(err) {
				case "":
					wins++
				case allot.ENOTFOUND:
				default:
					t.Errorf("a use of the link: %v", err)
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d uses of one link succeeded, want 1", wins)
		}

		// A person removed from their company gets no link, and loses theirs.
		ann := f.Learner(f.Company, "ann@acme.test")
		token, _ = world.Must2(f.Accounts.IssueLink(ctx, ann.ID, allot.MailWelcome))(t)
		world.Must(f.Svc.RemoveUser(f.As(f.CM), ann.ID))(t)
		if _, err := f.Accounts.UseLink(ctx, token, "a fine new password"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("the link of a removed person: %v, want not found", err)
		}
		if _, _, err := f.Accounts.IssueLink(ctx, ann.ID, allot.MailWelcome); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a link for a removed person: %v, want not found", err)
		}
	})
}

// TestForgot checks that asking for a reset answers the same for anyone,
// and queues a mail only for a person who may sign in.
func TestForgot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		ctx := context.Background()
		gone := f.Learner(f.Company, "gone@acme.test")
		world.Must(f.Svc.RemoveUser(f.As(f.CM), gone.ID))(t)
		for _, email := range []string{" CM@acme.test", "nobody@acme.test", "gone@acme.test"} {
			if err := f.Accounts.Forgot(ctx, email); err != nil {
				t.Errorf("Forgot(%q): %v", email, err)
			}
		}
		queued := f.Mails(allot.MailReset)
		if len(queued) != 1 || len(queued["cm@acme.test"]) != 1 {
			t.Errorf("reset mails queued: %+v, want one, to cm@acme.test", queued)
		}
		world.WantError(t, f.Accounts.Forgot(ctx, "not an e-mail"), allot.EINVALID, "email")
	})
}
