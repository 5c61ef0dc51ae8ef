package allot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Reasons an entitlement is refused.
const (
	DenyNoSeat     = "no_seat"
	DenyUnlicensed = "unlicensed"
	DenyScheduled  = "scheduled"
	DenyExpired    = "expired"
	DenyReleased   = "released"
	DenySuspended  = "company_suspended"
	DenyRemoved    = "removed"
)

// Decision answers "may this user use this product now?".
type Decision struct {
	Allowed     bool
	UserID      int64
	Email       string
	ProductCode string
	Status      Status    // the licence status behind the answer; "" for none
	Until       time.Time // when access ends (allowed) or ended or starts (refused); zero when none
	Reason      string    // one of the Deny* codes when refused
	Message     string    // the reason in a sentence
	Contact     *Contact  // whom to ask for access, when refused
}

// Contact is a person to ask about access.
type Contact struct {
	Name  string
	Email string
}

// Check decides whether a user may use a product now. Anyone may ask about
// themself, and those who see a company (ActSeeCompany) about its people:
// vendor staff, the product's integration, about anyone. Any other user
// reads as not found, like an unknown e-mail.
func (s *Service) Check(ctx context.Context, q EntitlementQuery) (Decision, error) {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return Decision{}, err
	}
	q.Email = strings.ToLower(strings.TrimSpace(q.Email))
	q.ProductCode = strings.ToLower(strings.TrimSpace(q.ProductCode))
	if err := errors.Join(checkRunes("user", q.Email, badInName), checkRunes("product", q.ProductCode, badInName)); err != nil {
		return Decision{}, err // nothing stored holds such text: no database is asked
	}
	q.Now = s.Clock.Now()
	f, err := s.Store.Entitlement(ctx, q)
	if err != nil {
		return Decision{}, fmt.Errorf("check entitlement: %w", err)
	}
	if !f.UserFound || !(p.UserID == f.User.ID || p.May(ActSeeCompany, f.Company)) {
		return Decision{}, NotFound("user")
	}
	if !f.ProductFound {
		return Decision{}, NotFound("product")
	}
	d := Decide(f, q.Now)
	if !d.Allowed {
		if d.Contact, err = s.contact(ctx, f); err != nil {
			return Decision{}, fmt.Errorf("check entitlement: %w", err)
		}
	}
	return d, nil
}

// Decide is the entitlement rule. A user may use a product while they hold a
// seat of it that has started and neither ended nor been released, and
// their company is not suspended. A company manager without a seat may while
// the company has a live pool of the product. Access is computed from now
// alone: it never waits for a background job.
func Decide(f EntitlementFacts, now time.Time) Decision {
	d := Decision{UserID: f.User.ID, Email: f.User.Email, ProductCode: f.Product.Code}
	deny := func(reason string, until time.Time, format string, args ...any) Decision {
		d.Reason, d.Until, d.Message = reason, until, fmt.Sprintf(format, args...)
		return d
	}
	switch {
	case !f.User.RemovedAt.IsZero():
		return deny(DenyRemoved, f.User.RemovedAt, "%s no longer belongs to the company", f.User.Email)
	case f.Company.Suspended:
		return deny(DenySuspended, time.Time{}, "%s is suspended", f.Company.Name)
	}
	if seat := f.Seat; seat != nil && seat.Live(now) {
		d.Status = seat.Status(now)
		if d.Status == StatusScheduled {
			return deny(DenyScheduled, seat.StartsAt, "access to %s starts on %s", f.Product.Name, day(seat.StartsAt))
		}
		d.Allowed, d.Until = true, seat.EndsAt
		return d
	}
	if f.User.Role == RoleCompanyManager && !f.PoolEnds.IsZero() {
		d.Allowed, d.Until = true, f.PoolEnds
		d.Status = windowStatus(now, f.PoolEnds, now)
		return d
	}
	if last := f.Seat; last != nil {
		d.Status = last.Status(now)
		if d.Status == StatusReleased {
			return deny(DenyReleased, last.ReleasedAt, "the seat of %s was released on %s", f.Product.Name, day(last.ReleasedAt))
		}
		return deny(DenyExpired, last.EndsAt, "access to %s expired on %s", f.Product.Name, day(last.EndsAt))
	}
	if f.Waiting {
		d.Status = StatusUnlicensed
		return deny(DenyUnlicensed, time.Time{}, "waiting for a free seat of %s", f.Product.Name)
	}
	return deny(DenyNoSeat, time.Time{}, "no seat of %s", f.Product.Name)
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// contact returns whom a refused user should ask: a manager of their
// company (another one, for a manager), else a manager of its partner, else
// the vendor admin.
func (s *Service) contact(ctx context.Context, f EntitlementFacts) (*Contact, error) {
	candidates, err := s.Store.Contacts(ctx, ContactsParams{CompanyID: f.Company.ID, PartnerID: f.Company.PartnerID})
	if err != nil {
		return nil, err
	}
	for _, role := range []Role{RoleCompanyManager, RolePartnerManager, RoleVendorAdmin} {
		for _, u := range candidates {
			if u.Role == role && u.ID != f.User.ID {
				return &Contact{Name: u.Name(), Email: u.Email}, nil
			}
		}
	}
	return nil, nil
}
