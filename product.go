package allot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Product is something the vendor sells seats of.
type Product struct {
	ID         int64
	Code       string // short stable name: premium, coaching, ai-coach…
	Name       string
	TermMonths int // default term of an order, in calendar months
	CreatedAt  time.Time
}

// CreateProduct adds a product (ActCreateProduct). A zero term
// defaults to 12 months.
func (s *Service) CreateProduct(ctx context.Context, in Product) (Product, error) {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.Name = strings.TrimSpace(in.Name)
	if in.TermMonths == 0 {
		in.TermMonths = 12
	}
	err := s.write(ctx, func(tx Tx, p Principal) error {
		if err := p.Must(ActCreateProduct, Company{}); err != nil {
			return err
		}
		switch {
		case !validCode(in.Code):
			return Invalid("code", "a product code is 1 to 40 lower-case letters, digits and dashes")
		case in.TermMonths < 1 || in.TermMonths > MaxTermMonths:
			return Invalid("term_months", "the term is 1 to %d months", MaxTermMonths)
		}
		if err := CheckName("name", in.Name); err != nil {
			return err
		}
		in.CreatedAt = s.Clock.Now()
		if err := tx.CreateProduct(&in); err != nil {
			return fmt.Errorf("create product: %w", err)
		}
		return s.Record(tx, p, Company{}, "product.create", "product", in.ID, nil, in)
	})
	return in, err
}

// Products lists every product; anyone signed in may.
func (s *Service) Products(ctx context.Context) ([]Product, error) {
	var out []Product
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		out, err = tx.Products()
		return err
	})
	return out, err
}

func validCode(s string) bool {
	if len(s) == 0 || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
