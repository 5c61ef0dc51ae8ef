package account

// Signing in with single sign-on: which connection an e-mail goes to, who
// may still use a password, and whom a provider's answer signs in.

import (
	"context"
	"slices"
	"strings"

	"allot"
)

// Route returns the connection covering the domain of e-mail email, with
// its secret, and whether the person must sign in with it: when it is
// required and they are one of its owner's people. Whoever else has an
// e-mail in its domains may still use a password, so that no connection
// locks out another tenant's people. ENOTFOUND when no connection covers
// the domain, EINVALID for what is not an e-mail address.
func (s *Service) Route(ctx context.Context, email string) (Connection, bool, error) {
	email, err := allot.NormalizeEmail("email", email)
	if err != nil {
		return Connection{}, false, err
	}
	var (
		c        Connection
		required bool
	)
	err = s.Store.Read(ctx, func(tx Tx) error {
		if c, err = tx.ConnectionByDomain(domainOf(email)); err != nil {
			return err
		}
		if c.Name, err = allot.TenantName(tx, c.Owner.CompanyID, c.Owner.PartnerID); err != nil {
			return err
		}
		u, err := tx.UserByEmail(email)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			return nil
		case err != nil:
			return err
		}
		required = c.RequiredOf(u)
		return nil
	})
	return c, required, err
}

// PasswordAllowed returns nil when the person with e-mail email may sign
// in with a password, and EUNAUTHORIZED saying how they sign in when their
// company or partner requires single sign-on of them. Their password is
// then not checked.
func (s *Service) PasswordAllowed(ctx context.Context, email string) error {
	c, required, err := s.Route(ctx, email)
	switch code := allot.ErrorCode(err); {
	case code == allot.ENOTFOUND || code == allot.EINVALID:
		return nil
	case err != nil:
		return err
	case required:
		return allot.Errorf(allot.EUNAUTHORIZED, "%s", ssoOnly(c.Name))
	}
	return nil
}

// ssoOnly says that name's people sign in with single sign-on only.
func ssoOnly(name string) string {
	return name + "'s people sign in with single sign-on, not a password: " +
		"give your e-mail alone on the sign-in page to continue with your organisation's sign-in"
}

// ssoRequired reports whether single sign-on is required of u: a
// connection covers their e-mail's domain, requires it, and u is one of
// its owner's people. It returns the owner's name, for messages.
func ssoRequired(tx Tx, u allot.User) (bool, string, error) {
	c, err := tx.ConnectionByDomain(domainOf(u.Email))
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return false, "", nil
	case err != nil:
		return false, "", err
	case !c.RequiredOf(u):
		return false, "", nil
	}
	name, err := allot.TenantName(tx, c.Owner.CompanyID, c.Owner.PartnerID)
	return true, name, err
}

// SignOnConnection returns connection id, with its secret, for the
// composition root to finish a sign-in with. ENOTFOUND when it was
// disconnected meanwhile.
func (s *Service) SignOnConnection(ctx context.Context, id int64) (Connection, error) {
	var c Connection
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.ConnectionByID(id); err != nil {
			return err
		}
		c.Name, err = allot.TenantName(tx, c.Owner.CompanyID, c.Owner.PartnerID)
		return err
	})
	return c, err
}

// Resolve returns the person connection id signs in when its provider
// vouches for e-mail email (a verified one): one of the connection's
// owner's people, in one of its domains. Anyone else is refused,
// EFORBIDDEN saying whom to ask, in the same words whether they are
// unknown, removed or another tenant's; no account is ever made from a
// sign-on.
func (s *Service) Resolve(ctx context.Context, id int64, email string) (allot.User, error) {
	var u allot.User
	err := s.Store.Read(ctx, func(tx Tx) error {
		c, err := tx.ConnectionByID(id)
		switch {
		case allot.ErrorCode(err) == allot.ENOTFOUND:
			return allot.Errorf(allot.EFORBIDDEN, "this single sign-on was disconnected meanwhile: sign in again")
		case err != nil:
			return err
		}
		if c.Name, err = allot.TenantName(tx, c.Owner.CompanyID, c.Owner.PartnerID); err != nil {
			return err
		}
		normal, err := allot.NormalizeEmail("email", email)
		if err != nil || !slices.Contains(c.Domains, domainOf(normal)) {
			return allot.Errorf(allot.EFORBIDDEN, "%s's sign-in vouched for %q, which is not in the domains its single sign-on covers (%s): "+
				"sign in with your own organisation's account", c.Name, email, strings.Join(c.Domains, ", "))
		}
		u, err = tx.UserByEmail(normal)
		if err != nil && allot.ErrorCode(err) != allot.ENOTFOUND {
			return err
		}
		if err != nil || !c.Owner.Has(u) {
			return refusal(tx, c, normal)
		}
		return nil
	})
	return u, err
}

// refusal is the answer to a sign-on of someone who is not one of c's
// owner's people: whom to ask to be added.
func refusal(tx Tx, c Connection, email string) error {
	f := allot.UserFilter{CompanyID: c.CompanyID, Roles: []allot.Role{allot.RoleCompanyManager}, Limit: 3}
	if c.CompanyID == 0 {
		f = allot.UserFilter{PartnerID: c.PartnerID, Roles: []allot.Role{allot.RolePartnerManager}, Limit: 3}
	}
	managers, err := tx.Users(f)
	if err != nil {
		return err
	}
	ask := "whoever manages " + c.Name + " in allot"
	if len(managers) > 0 {
		ask = c.Name + "'s managers (" + strings.Join(emails(managers), ", ") + ")"
	}
	return allot.Errorf(allot.EFORBIDDEN, "%s has no account of %s in allot, so single sign-on cannot sign you in: ask %s to add you",
		email, c.Name, ask)
}

func emails(us []allot.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Email
	}
	return out
}

// SignsOnAt returns the name of the company or partner at whose identity
// provider person id must sign in, or "" when they sign in with a password:
// what their welcome mail tells them. ENOTFOUND for a removed person.
func (s *Service) SignsOnAt(ctx context.Context, userID int64) (string, error) {
	var name string
	err := s.Store.Read(ctx, func(tx Tx) error {
		u, err := tx.User(userID)
		if err != nil || !u.RemovedAt.IsZero() {
			return allot.NotFound("user")
		}
		_, name, err = ssoRequired(tx, u)
		return err
	})
	return name, err
}
