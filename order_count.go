package allot

import "context"

// OrderCount is how many orders of one status and product a filter
// selects, and the licences they ask for.
type OrderCount struct {
	Status    OrderStatus
	ProductID int64
	Orders    int
	Seats     int
}

// OrderCounts returns how many orders of p's scope f selects, paging and
// statuses aside, by status and product: the counts on the tabs of the
// orders list and its total.
func (s *Service) OrderCounts(ctx context.Context, f OrderFilter) ([]OrderCount, error) {
	var out []OrderCount
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, p.ActingCompanyID, ActSeeCompany)
		if err != nil || !sc.narrow(&f.CompanyID, &f.PartnerID) {
			return err
		}
		f.AfterID, f.Statuses = 0, nil
		out, err = tx.CountOrders(f)
		return err
	})
	return out, err
}
