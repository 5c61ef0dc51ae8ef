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

// CreatePartner adds a partner.
func (s *Service) CreatePartner(ctx context.Context, in Partner) (Partner, error) {
	in.Name = strings.TrimSpace(in.Name)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		if err := p.Must(ActCreatePartner, Company{}); err != nil {
			return err
		}
		if err := CheckName("name", in.Name); err != nil {
			return err
		}
		if err := checkStaff(tx, "account_manager_id", in.AccountManagerID); err != nil {
			return err
		}
		in.CreatedAt = s.Clock.Now()
		if err := tx.CreatePartner(&in); err != nil {
			return fmt.Errorf("create partner: %w", err)
		}
		return s.Record(tx, p, Company{PartnerID: in.ID}, "partner.create", "partner", in.ID, nil, in)
	})
	return in, err
}

// Partner returns partner id when p may see it.
func (s *Service) Partner(ctx context.Context, id int64) (Partner, error) {
	var out Partner
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if !p.May(ActSeePartners, Company{PartnerID: id}) {
			return NotFound("partner")
		}
		var err error
		out, err = tx.Partner(id)
		return err
	})
	return out, err
}

// Partners lists the partners of p's scope (ListScope): all of them, or the
// one of its customers.
func (s *Service) Partners(ctx context.Context, f PartnerFilter) ([]Partner, error) {
	var out []Partner
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, 0, ActSeePartners)
		switch {
		case err != nil:
			return err
		case sc == Scope{}:
			out, err = tx.Partners(f)
			return err
		case sc.PartnerID == 0 || f.AfterID != 0:
			return nil // a direct company's, or the one partner was on the first page
		}
		pt, err := tx.Partner(sc.PartnerID)
		out = []Partner{pt}
		return err
	})
	return out, err
}
