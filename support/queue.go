package support

import (
	"context"

	"allot"
)

// RequestFilter selects requests. The service fills in the scope of the
// principal; the store applies every field it is given.
type RequestFilter struct {
	// Scope, set by the service from the principal; zero means any.
	RequesterID int64
	CompanyID   int64
	PartnerID   int64

	Team       Team
	Statuses   []Status // any of these; every status when empty
	Active     bool     // only requests not solved nor closed
	Priority   Priority
	Breached   bool  // only requests with a target breached
	AssigneeID int64 // only those assigned to this person
	Unassigned bool  // only those assigned to nobody
	Queue      bool  // the desk's order: urgent first, then by due time; newest first otherwise
	Limit      int
	Offset     int
}

// Requests lists the requests f selects that the principal sees: the desk
// every one, a partner manager their partner's, a company manager their
// company's, anyone else their own. It returns how many there are in all
// with the page.
func (s *Service) Requests(ctx context.Context, f RequestFilter) ([]Request, int, error) {
	var (
		out   []Request
		total int
	)
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := scope(tx, p, &f); err != nil {
			return err
		}
		f.Limit = allot.ClampLimit(f.Limit)
		var err error
		out, total, err = tx.Requests(f)
		return err
	})
	return out, total, err
}

// scope narrows f to what p sees. A company or partner f names that p
// does not see reads as not found.
func scope(tx Tx, p allot.Principal, f *RequestFilter) error {
	switch {
	case p.Role.Vendor():
		if f.CompanyID != 0 {
			_, err := allot.VisibleCompany(tx, p, f.CompanyID)
			return err
		}
		return nil
	case p.Role == allot.RolePartnerManager:
		if f.CompanyID != 0 {
			if _, err := allot.VisibleCompany(tx, p, f.CompanyID); err != nil {
				return err
			}
		}
		f.PartnerID, f.RequesterID = p.PartnerID, 0
	case p.Role == allot.RoleCompanyManager:
		if f.CompanyID != 0 && f.CompanyID != p.CompanyID {
			return allot.NotFound("company")
		}
		f.CompanyID, f.PartnerID, f.RequesterID = p.CompanyID, 0, 0
	default:
		f.CompanyID, f.PartnerID, f.RequesterID = 0, 0, p.UserID
	}
	return nil
}
