package scim

import (
	"allot/directory"
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"allot"
)

// Token is a company's SCIM token: what its directory authenticates with.
// A company has one at most; only its hash is kept, and its secret is
// shown once, when it is made.
type Token struct {
	CompanyID int64
	Prefix    string // the secret's first characters, to tell tokens apart
	Hash      string `json:"-"` // never in the audit log, the pages or the API
	CreatedAt time.Time
}

// TokenPrefix starts every SCIM token's secret, so that a leaked one is
// easy to recognise.
const TokenPrefix = "allot_scim_"

// Token returns company companyID's SCIM token, without its secret, to
// whoever may connect its directory (ActConnectDirectory). ENOTFOUND when
// it has none, and when the company is not seen.
func (s *Service) Token(ctx context.Context, companyID int64) (Token, error) {
	var t Token
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActConnectDirectory)
		if err != nil {
			return err
		}
		t, err = tx.SCIMToken(c.ID)
		return err
	})
	return t, err
}

// NewToken makes company companyID's SCIM token, or a new one that
// replaces the one it had at once (ActConnectDirectory), and returns it
// with its secret, which is never shown again.
func (s *Service) NewToken(ctx context.Context, companyID int64) (Token, string, error) {
	var (
		t      Token
		secret string
	)
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActConnectDirectory)
		if err != nil {
			return err
		}
		before, err := tx.SCIMToken(c.ID)
		switch allot.ErrorCode(err) {
		case "", allot.ENOTFOUND:
		default:
			return err
		}
		b := make([]byte, 20)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("make scim token: %w", err)
		}
		secret = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
		t = Token{CompanyID: c.ID, Prefix: secret[:len(TokenPrefix)+6], Hash: allot.HashToken(secret), CreatedAt: s.Ledger.Clock.Now()}
		if err := tx.PutSCIMToken(t); err != nil {
			return fmt.Errorf("make scim token: %w", err)
		}
		if before.CompanyID == 0 {
			return s.Ledger.Record(tx, p, c, "scim.token.create", "company", c.ID, nil, t)
		}
		return s.Ledger.Record(tx, p, c, "scim.token.rotate", "company", c.ID, before, t)
	})
	return t, secret, err
}

// RevokeToken deletes company companyID's SCIM token
// (ActConnectDirectory): its directory is refused from then on.
// ENOTFOUND when it has none.
func (s *Service) RevokeToken(ctx context.Context, companyID int64) error {
	return allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActConnectDirectory)
		if err != nil {
			return err
		}
		before, err := tx.SCIMToken(c.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteSCIMToken(c.ID); err != nil {
			return fmt.Errorf("revoke scim token: %w", err)
		}
		return s.Ledger.Record(tx, p, c, "scim.token.revoke", "company", c.ID, before, nil)
	})
}

// Authenticate returns the principal a SCIM token's secret stands for:
// the directory of its company (directory.Principal). EUNAUTHORIZED when
// no company has it. Tokens are not cached: one rotated or revoked is
// refused at once, by every process.
func (s *Service) Authenticate(ctx context.Context, secret string) (allot.Principal, error) {
	bad := allot.Errorf(allot.EUNAUTHORIZED, "the token is not valid")
	if !strings.HasPrefix(secret, TokenPrefix) {
		return allot.Principal{}, bad
	}
	id, err := s.Store.SCIMTokenCompany(ctx, allot.HashToken(secret))
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return allot.Principal{}, bad
	case err != nil:
		return allot.Principal{}, fmt.Errorf("authenticate scim token: %w", err)
	}
	return directoryPrincipal(id), nil
}

// directoryPrincipal is the principal company id's SCIM directory acts as.
func directoryPrincipal(companyID int64) allot.Principal {
	return directory.Principal(companyID, "scim")
}
