package allot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Token is a personal API token. Only its hash is stored; the secret is
// shown once, when it is made.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // the secret's first characters, to tell tokens apart
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero for never
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// TokenPrefix starts every token secret, so that a leaked one is easy to
// recognise.
const TokenPrefix = "allot_"

// HashToken returns the stored form of a token secret. Secrets are long and
// random, so a fast hash is enough.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// TokenAuth is a token with its user, as the store finds them by hash.
type TokenAuth struct {
	Token Token
	User  User
}

// Principal returns the principal of user u.
func (u User) Principal() Principal {
	return Principal{UserID: u.ID, Email: u.Email, Role: u.Role, PartnerID: u.PartnerID, CompanyID: u.CompanyID}
}

// Login checks an e-mail and password and returns the user. A wrong
// password, an unknown e-mail and a removed user all read the same:
// EUNAUTHORIZED.
func (s *Service) Login(ctx context.Context, email, password string) (User, error) {
	bad := Errorf(EUNAUTHORIZED, "wrong e-mail or password")
	var u User
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		u, err = tx.UserByEmail(strings.ToLower(strings.TrimSpace(email)))
		return err
	})
	switch {
	case ErrorCode(err) == ENOTFOUND:
		// Spend the time a check would, so that timing tells nothing.
		HashPassword(password+strings.Repeat(".", MinPasswordLength), s.Passwords)
		return User{}, bad
	case err != nil:
		return User{}, fmt.Errorf("login: %w", err)
	case !CheckPassword(u.PasswordHash, password) || !u.RemovedAt.IsZero():
		return User{}, bad
	}
	return u, nil
}

// ChangePassword sets the signed-in user's password after checking the
// current one.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	return s.write(ctx, func(tx Tx, p Principal) error {
		u, err := tx.User(p.UserID)
		if err != nil {
			return err
		}
		if !CheckPassword(u.PasswordHash, current) {
			return Invalid("current_password", "the current password is wrong")
		}
		if u.PasswordHash, err = HashPassword(next, s.Passwords); err != nil {
			var e *Error
			if errors.As(err, &e) && e.Code == EINVALID {
				e.Field = "new_password"
			}
			return err
		}
		if err := tx.UpdateUser(u); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		return s.record(tx, p, Company{ID: u.CompanyID}, "user.password", "user", u.ID, nil, nil)
	})
}

// SetPassword sets another person's password, so that someone who cannot
// sign in can again. Only the vendor admin may.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	return s.write(ctx, func(tx Tx, p Principal) error {
		if p.Role != RoleVendorAdmin {
			return Errorf(EFORBIDDEN, "only the vendor admin sets another person's password")
		}
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		if u.PasswordHash, err = HashPassword(password, s.Passwords); err != nil {
			return err
		}
		if err := tx.UpdateUser(u); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		return s.record(tx, p, Company{ID: u.CompanyID}, "user.password", "user", u.ID, nil, nil)
	})
}

// CreateToken makes a personal API token for the signed-in user and returns
// it with its secret, which is never shown again. A zero expiry means never.
func (s *Service) CreateToken(ctx context.Context, name string, expires time.Time) (Token, string, error) {
	var (
		t      Token
		secret string
	)
	name = strings.TrimSpace(name)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		now := s.Clock.Now()
		switch {
		case name == "":
			return Invalid("name", "name the token after what will use it")
		case len(name) > 100:
			return Invalid("name", "a token name is at most 100 characters")
		case !expires.IsZero() && !expires.After(now):
			return Invalid("expires_at", "the expiry must be in the future")
		}
		b := make([]byte, 20)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		secret = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
		t = Token{UserID: p.UserID, Name: name, Prefix: secret[:len(TokenPrefix)+6], Hash: HashToken(secret),
			CreatedAt: now, ExpiresAt: expires.UTC().Truncate(time.Microsecond)}
		if err := tx.CreateToken(&t); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return s.record(tx, p, Company{ID: p.CompanyID}, "token.create", "token", t.ID, nil, t.public())
	})
	return t, secret, err
}

// public is the token as recorded and listed: without its hash.
func (t Token) public() Token {
	t.Hash = ""
	return t
}

// Tokens lists the signed-in user's tokens, without their hashes.
func (s *Service) Tokens(ctx context.Context) ([]Token, error) {
	var out []Token
	err := s.read(ctx, func(tx Tx, p Principal) error {
		ts, err := tx.Tokens(p.UserID)
		for _, t := range ts {
			out = append(out, t.public())
		}
		return err
	})
	return out, err
}

// RevokeToken revokes one of the signed-in user's tokens; it stops working
// at once. Another user's token reads as not found.
func (s *Service) RevokeToken(ctx context.Context, id int64) (Token, error) {
	var t Token
	err := s.write(ctx, func(tx Tx, p Principal) error {
		var err error
		t, err = tx.Token(id)
		if err != nil || t.UserID != p.UserID {
			return NotFound("token")
		}
		if !t.RevokedAt.IsZero() {
			return Errorf(ECONFLICT, "token %d is already revoked", id)
		}
		t.RevokedAt = s.Clock.Now()
		if err := tx.RevokeToken(id, t.RevokedAt); err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		t = t.public()
		return s.record(tx, p, Company{ID: p.CompanyID}, "token.revoke", "token", id, nil, t)
	})
	if err == nil {
		s.tokens.forget(id, 0) // once committed, so no check caches the token anew
	}
	return t, err
}

// Authenticate returns the principal a token secret stands for, or
// EUNAUTHORIZED when it is unknown, revoked, expired or its user removed.
func (s *Service) Authenticate(ctx context.Context, secret string) (Principal, error) {
	bad := func() error { return Errorf(EUNAUTHORIZED, "the token is not valid") }
	if !strings.HasPrefix(secret, TokenPrefix) {
		return Principal{}, bad()
	}
	hash, now := HashToken(secret), s.Clock.Now()
	a, cached := s.tokens.get(hash, now)
	if !cached {
		var err error
		a, err = s.Store.TokenAuth(ctx, hash)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			return Principal{}, bad()
		case err != nil:
			return Principal{}, fmt.Errorf("authenticate: %w", err)
		}
	}
	if !a.Token.RevokedAt.IsZero() || !a.Token.ExpiresAt.IsZero() && !now.Before(a.Token.ExpiresAt) || !a.User.RemovedAt.IsZero() {
		return Principal{}, bad()
	}
	if now.Sub(a.Token.LastUsedAt) > time.Hour {
		// Kept to the hour, so that the hot path does not write each time.
		if err := s.Store.Write(ctx, func(tx Tx) error { return tx.TouchToken(a.Token.ID, now) }); err != nil {
			s.Log.Warn("token last use not recorded", "token", a.Token.ID, "err", err)
		}
		a.Token.LastUsedAt = now
	}
	if !cached {
		s.tokens.put(hash, a, now)
	}
	return a.User.Principal(), nil
}

// SignedIn returns the principal of a signed-in user by ID (a browser
// session), or EUNAUTHORIZED when the user is gone or removed.
func (s *Service) SignedIn(ctx context.Context, userID int64) (Principal, error) {
	var u User
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		u, err = tx.User(userID)
		return err
	})
	switch {
	case ErrorCode(err) == ENOTFOUND || err == nil && !u.RemovedAt.IsZero():
		return Principal{}, Errorf(EUNAUTHORIZED, "sign in again")
	case err != nil:
		return Principal{}, fmt.Errorf("signed in: %w", err)
	}
	return u.Principal(), nil
}

// EnterCompany checks that p may enter manage-company mode in company id
// and returns the principal acting there. A company p may not enter reads
// as not found.
func (s *Service) EnterCompany(ctx context.Context, id int64) (Principal, Company, error) {
	var (
		acting Principal
		c      Company
	)
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		c, err = tx.Company(id)
		if err != nil || !p.mayEnter(c) {
			return NotFound("company")
		}
		acting = p
		acting.ActingCompanyID = c.ID
		return nil
	})
	return acting, c, err
}
