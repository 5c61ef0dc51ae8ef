package allot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Partner is a reseller or managed service provider selling the vendor's
// licences to its own customer companies.
type Partner struct {
	ID               int64
	Name             string
	AccountManagerID int64 // the vendor's account manager owning the partner; 0 when none
	CreatedAt        time.Time
}

// PartnerFilter selects partners. Zero fields do not filter.
type PartnerFilter struct {
	AccountManagerID int64
	AfterID          int64 // the partners after this one, in the list's order
	Limit            int
}

// CreatePartner adds a partner. Only the vendor admin and account managers
// may.
func (s *Service) CreatePartner(ctx context.Context, in Partner) (Partner, error) {
	in.Name = strings.TrimSpace(in.Name)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		if !p.canAssignAll() {
			return Errorf(EFORBIDDEN, "only the vendor creates partners")
		}
		if err := checkName("name", in.Name); err != nil {
			return err
		}
		if err := checkStaff(tx, "account_manager_id", in.AccountManagerID); err != nil {
			return err
		}
		in.CreatedAt = s.Clock.Now()
		if err := tx.CreatePartner(&in); err != nil {
			return fmt.Errorf("create partner: %w", err)
		}
		return s.record(tx, p, Company{PartnerID: in.ID}, "partner.create", "partner", in.ID, nil, in)
	})
	return in, err
}

// Partner returns partner id as p may see it: vendor staff see all, a
// partner manager their own.
func (s *Service) Partner(ctx context.Context, id int64) (Partner, error) {
	var out Partner
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if !p.Role.Vendor() && !(p.Role == RolePartnerManager && p.PartnerID == id) {
			return NotFound("partner")
		}
		var err error
		out, err = tx.Partner(id)
		return err
	})
	return out, err
}

// Partners lists the partners p may see.
func (s *Service) Partners(ctx context.Context, f PartnerFilter) ([]Partner, error) {
	var out []Partner
	err := s.read(ctx, func(tx Tx, p Principal) error {
		switch {
		case p.Role.Vendor():
			var err error
			out, err = tx.Partners(f)
			return err
		case p.Role == RolePartnerManager:
			if f.AfterID != 0 {
				return nil // their partner was on the first page
			}
			pt, err := tx.Partner(p.PartnerID)
			out = []Partner{pt}
			return err
		}
		return Errorf(EFORBIDDEN, "partners are listed for the vendor and partners only")
	})
	return out, err
}
