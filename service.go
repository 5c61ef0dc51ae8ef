package allot

import (
	"context"
	"encoding/json"
	"fmt"
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

// record writes an audit event for an action of p on a subject of company c,
// in the caller's transaction. before and after are stored as JSON; nil is
// stored as empty.
func (s *Service) record(tx Tx, p Principal, c Company, action, subjectType string, subjectID int64, before, after any) error {
	e := s.event(p, c, action)
	e.SubjectType, e.SubjectID, e.Before, e.After = subjectType, subjectID, toJSON(before), toJSON(after)
	if err := tx.AddEvent(&e); err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

// event returns an audit event of an action of p in company c, now.
func (s *Service) event(p Principal, c Company, action string) Event {
	return Event{
		At:         s.Clock.Now(),
		ActorID:    p.UserID,
		ActorEmail: p.Email,
		CompanyID:  c.ID,
		PartnerID:  c.PartnerID,
		ManageMode: p.ActingCompanyID != 0 && p.ActingCompanyID == c.ID,
		Action:     action,
	}
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

// Events returns the audit log within p's scope: a company manager's own
// company, a partner's customers, everything for vendor staff.
func (s *Service) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	var out []Event
	err := s.read(ctx, func(tx Tx, p Principal) error {
		switch {
		case p.Role.Vendor() && p.ActingCompanyID == 0:
		case f.CompanyID != 0 || p.ActingCompanyID != 0 || p.Role == RoleCompanyManager:
			if f.CompanyID == 0 {
				f.CompanyID = max(p.ActingCompanyID, p.CompanyID)
			}
			if _, err := visibleCompany(tx, p, f.CompanyID); err != nil {
				return err
			}
		case p.Role == RolePartnerManager:
			f.PartnerID = p.PartnerID
		default:
			return Errorf(EFORBIDDEN, "the audit log is for managers")
		}
		f.Limit = clampLimit(f.Limit)
		var err error
		out, err = tx.Events(f)
		return err
	})
	return out, err
}
