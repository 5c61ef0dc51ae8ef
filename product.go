package allot

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Product is something the vendor sells seats of.
type Product struct {
	ID         int64
	Code       string // short stable name: premium, coaching, ai-coach…
	Name       string
	TermMonths int    // default term of an order, in calendar months
	URL        string // where its learners use it: an https address; "" when none
	CreatedAt  time.Time
}

// CreateProduct adds a product (ActCreateProduct). A zero term
// defaults to 12 months.
func (s *Service) CreateProduct(ctx context.Context, in Product) (Product, error) {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.Name = strings.TrimSpace(in.Name)
	in.URL = strings.TrimSpace(in.URL)
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
		if err := checkURL("url", in.URL); err != nil {
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

// MaxURL is the most characters a product's address may have.
const MaxURL = 2000

// checkURL checks a product's address, when it has one: a whole https
// address with a host, and neither a user nor a password in it. Pages link
// to it, so no other scheme (javascript:, data:, http:) may enter.
func checkURL(field, s string) error {
	if s == "" {
		return nil
	}
	if err := CheckText(field, s, MaxURL); err != nil {
		return err
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || strings.ContainsFunc(s, unicode.IsSpace):
		return Invalid(field, "give the address as the browser shows it, such as https://learn.example.com")
	case u.Scheme != "https":
		return Invalid(field, "the address starts with https://")
	case u.Host == "" || u.Hostname() == "":
		return Invalid(field, "the address names its site, such as https://learn.example.com")
	case u.User != nil:
		return Invalid(field, "the address holds no user name or password")
	}
	return nil
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
