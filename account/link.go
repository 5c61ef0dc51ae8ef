package account

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"allot"
)

// Link is a one-time sign-in link: its token, in a welcome or a reset mail,
// lets its person choose a password once, before it expires. Only the
// token's hash is kept, and a person has one link at most: a new one
// replaces the old.
type Link struct {
	ID        int64
	UserID    int64
	Purpose   string // allot.MailWelcome or allot.MailReset
	Hash      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Lifetime is how long a link of purpose lives: a week to welcome someone,
// an hour to reset a forgotten password.
func Lifetime(purpose string) time.Duration {
	if purpose == allot.MailReset {
		return time.Hour
	}
	return 7 * 24 * time.Hour
}

// errDead is how a link that cannot be used reads, whatever the reason: no
// such token, used already, expired, or its person removed.
func errDead() error {
	return &allot.Error{Code: allot.ENOTFOUND, Message: "this link has expired or was used already; ask for a new one"}
}

// IssueLink makes a new link of purpose (allot.MailWelcome or
// allot.MailReset) for user id, replacing the link they had, and returns its
// token and expiry. The mail deliverer calls it as the mail goes out, so
// that the token is only ever in the mail. ENOTFOUND for a removed person.
func (s *Service) IssueLink(ctx context.Context, userID int64, purpose string) (string, time.Time, error) {
	if purpose != allot.MailWelcome && purpose != allot.MailReset {
		return "", time.Time{}, fmt.Errorf("issue link: unknown purpose %q", purpose)
	}
	token := "link_" + rand.Text()
	now := s.now()
	l := Link{UserID: userID, Purpose: purpose, Hash: allot.HashToken(token), CreatedAt: now,
		ExpiresAt: now.Add(Lifetime(purpose))}
	err := s.Store.Write(ctx, func(tx Tx) error {
		u, err := tx.User(userID)
		if err != nil || !u.RemovedAt.IsZero() {
			return allot.NotFound("user")
		}
		return tx.PutLink(&l)
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return token, l.ExpiresAt, nil
}

// Linked returns the person token's link names, and the link, while it can
// be used.
func (s *Service) Linked(ctx context.Context, token string) (allot.User, Link, error) {
	var (
		u allot.User
		l Link
	)
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		u, l, err = s.linked(tx, token)
		return err
	})
	return u, l, err
}

// linked finds a usable link by token, and its person.
func (s *Service) linked(tx Tx, token string) (allot.User, Link, error) {
	l, err := tx.LinkByHash(allot.HashToken(token))
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return allot.User{}, Link{}, errDead()
	case err != nil:
		return allot.User{}, Link{}, err
	case !s.now().Before(l.ExpiresAt):
		return allot.User{}, Link{}, errDead()
	}
	u, err := tx.User(l.UserID)
	if err != nil || !u.RemovedAt.IsZero() {
		return allot.User{}, Link{}, errDead()
	}
	// Whoever must sign in with single sign-on sets no password.
	only, name, err := ssoRequired(tx, u)
	switch {
	case err != nil:
		return allot.User{}, Link{}, err
	case only:
		return allot.User{}, Link{}, allot.Errorf(allot.EFORBIDDEN, "%s", ssoOnly(name))
	}
	return u, l, nil
}

// UseLink sets the password of the person token's link names, with the
// rules of any password, and uses the link up. Their sessions and those of
// anyone who knew the old password end. It returns the person, for the
// caller to sign in.
func (s *Service) UseLink(ctx context.Context, token, password string) (allot.User, error) {
	var u allot.User
	err := s.Store.Write(ctx, func(tx Tx) error {
		var (
			l   Link
			err error
		)
		if u, l, err = s.linked(tx, token); err != nil {
			return err
		}
		if err := tx.DeleteLink(l.Hash); err != nil {
			if allot.ErrorCode(err) == allot.ENOTFOUND {
				return errDead()
			}
			return err
		}
		if err := s.Ledger.SetPassword(tx, &u, password, "password"); err != nil {
			return err
		}
		action := "user.password_reset"
		if l.Purpose == allot.MailWelcome {
			action = "user.welcome_used"
		}
		return s.Ledger.Record(tx, u.Principal(), allot.Company{ID: u.CompanyID}, action, "user", u.ID, nil, nil)
	})
	return u, err
}

// Forgot sends a reset link to the person with e-mail email, when there is
// one who may sign in. It answers the same either way, so that nobody learns
// from it who has an account.
func (s *Service) Forgot(ctx context.Context, email string) error {
	email, err := allot.NormalizeEmail("email", email)
	if err != nil {
		return err
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		u, err := tx.UserByEmail(email)
		if err != nil || !u.RemovedAt.IsZero() {
			return err
		}
		if only, _, err := ssoRequired(tx, u); err != nil || only {
			return err // they have no password to reset
		}
		return allot.QueueLinkMail(tx, allot.MailReset, u, s.now())
	})
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return nil
	}
	return err
}
