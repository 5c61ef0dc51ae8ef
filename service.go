package allot

import (
	"context"
	"log/slog"
)

// Service applies allot's rules. Every method takes the acting Principal
// from its context, checks what that principal may do, and reads and writes
// through the Store. A record of another tenant is reported as ENOTFOUND,
// exactly like one that does not exist.
type Service struct {
	Store     Store
	Clock     Clock
	Log       *slog.Logger
	Passwords PasswordParams // the costs of new password hashes
	Files     Files          // reads uploaded files; imports need it
	tokens    tokenCache
}

// NewService returns a Service over store, telling time by clock.
func NewService(store Store, clock Clock, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{Store: store, Clock: clock, Log: log, Passwords: DefaultPasswordParams}
}

// write runs fn in a write transaction as the principal carried by ctx.
func (s *Service) write(ctx context.Context, fn func(tx Tx, p Principal) error) error {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error { return fn(tx, p) })
}

// read runs fn in a read transaction as the principal carried by ctx.
func (s *Service) read(ctx context.Context, fn func(tx Tx, p Principal) error) error {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	return s.Store.Read(ctx, func(tx Tx) error { return fn(tx, p) })
}

// visibleCompany returns company id when p may read it; ENOTFOUND otherwise.
func visibleCompany(tx Tx, p Principal, id int64) (Company, error) {
	c, err := tx.Company(id)
	if err != nil {
		return Company{}, err
	}
	if !p.canSee(c) && !p.canManage(c) {
		return Company{}, NotFound("company")
	}
	return c, nil
}

// managedCompany returns company id when p has a manager's rights in it,
// ENOTFOUND when p may not even see it and EFORBIDDEN when p may only look.
func managedCompany(tx Tx, p Principal, id int64) (Company, error) {
	c, err := visibleCompany(tx, p, id)
	if err != nil {
		return Company{}, err
	}
	if err := mayManage(p, c); err != nil {
		return Company{}, err
	}
	return c, nil
}

// mayManage returns EFORBIDDEN unless p has a manager's rights in company c.
func mayManage(p Principal, c Company) error {
	if !p.canManage(c) {
		return Errorf(EFORBIDDEN, "enter manage-company mode to change %s's users and seats", c.Name)
	}
	return nil
}

// DefaultLimit and MaxLimit bound every list.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// clampLimit returns n within [1, MaxLimit], DefaultLimit for n <= 0.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}
