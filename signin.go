package allot

import (
	"context"
	"fmt"
	"strings"
)

// Principal returns the principal of user u.
func (u User) Principal() Principal {
	return Principal{UserID: u.ID, Email: u.Email, Role: u.Role, PartnerID: u.PartnerID, CompanyID: u.CompanyID}
}

// Login checks an e-mail and password and returns the user. A wrong
// password, an unknown e-mail, a person without a password and a removed
// user all read the same, EUNAUTHORIZED, and cost the same work, so that
// neither the answer nor its time tells which.
func (s *Service) Login(ctx context.Context, email, password string) (User, error) {
	var u User
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		u, err = tx.UserByEmail(strings.ToLower(strings.TrimSpace(email)))
		return err
	})
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return User{}, fmt.Errorf("login: %w", err)
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = s.decoy.hash(s.Passwords)
	}
	if !CheckPassword(hash, password) || u.PasswordHash == "" || !u.RemovedAt.IsZero() {
		return User{}, Errorf(EUNAUTHORIZED, "wrong e-mail or password")
	}
	return u, nil
}

// SignedIn returns the principal of a user signed in to a browser session
// at epoch, or EUNAUTHORIZED when the user is gone or removed, or the
// session ended with a change of password (a later SessionEpoch).
func (s *Service) SignedIn(ctx context.Context, userID, epoch int64) (Principal, error) {
	var u User
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		u, err = tx.User(userID)
		return err
	})
	switch {
	case ErrorCode(err) == ENOTFOUND || err == nil && (!u.RemovedAt.IsZero() || u.SessionEpoch != epoch):
		return Principal{}, Errorf(EUNAUTHORIZED, "sign in again")
	case err != nil:
		return Principal{}, fmt.Errorf("signed in: %w", err)
	}
	return u.Principal(), nil
}

// EnterCompany checks that p may enter manage-company mode in company id
// (ActEnterCompany) and returns the principal acting there. A company p may
// not enter reads as not found.
func (s *Service) EnterCompany(ctx context.Context, id int64) (Principal, Company, error) {
	var (
		acting Principal
		c      Company
	)
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		c, err = tx.Company(id)
		if err != nil || !p.May(ActEnterCompany, c) {
			return NotFound("company")
		}
		acting = p
		acting.ActingCompanyID = c.ID
		return nil
	})
	return acting, c, err
}
