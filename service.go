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
	tokens    tokenCache
	decoy     decoy
}

// NewService returns a Service over store, telling time by clock.
func NewService(store Store, clock Clock, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{Store: store, Clock: clock, Log: log, Passwords: DefaultPasswordParams}
}

// Transactor runs transactions of a Tx: the Store with allot's, and the
// store of each capability with its own.
type Transactor[T any] interface {
	Write(ctx context.Context, fn func(T) error) error
	Read(ctx context.Context, fn func(T) error) error
}

// Write runs fn in a write transaction of store, as the principal ctx
// carries: EUNAUTHORIZED when it carries none.
func Write[T any](ctx context.Context, store Transactor[T], fn func(tx T, p Principal) error) error {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	return store.Write(ctx, func(tx T) error { return fn(tx, p) })
}

// Read runs fn in a read transaction of store, as the principal ctx
// carries: EUNAUTHORIZED when it carries none.
func Read[T any](ctx context.Context, store Transactor[T], fn func(tx T, p Principal) error) error {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	return store.Read(ctx, func(tx T) error { return fn(tx, p) })
}

// write runs fn in a write transaction of the ledger as the principal ctx
// carries.
func (s *Service) write(ctx context.Context, fn func(tx Tx, p Principal) error) error {
	return Write(ctx, s.Store, fn)
}

// read runs fn in a read transaction of the ledger as the principal ctx
// carries.
func (s *Service) read(ctx context.Context, fn func(tx Tx, p Principal) error) error {
	return Read(ctx, s.Store, fn)
}
