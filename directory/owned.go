package directory

import (
	"context"
	"slices"
	"strings"

	"allot"
)

// Owned are the fields of a person a company's directory owns: for the
// people it provisioned, a change of one by other means (an import) is
// refused, saying so. Every person field is owned unless the company says
// otherwise.
type Owned []string

// Owns reports whether field is one of o.
func (o Owned) Owns(field string) bool { return slices.Contains(o, field) }

// ownedTx keeps which fields companies' directories own.
type ownedTx interface {
	// OwnedFields returns the fields company companyID's directory owns;
	// PersonFields when it never said.
	OwnedFields(companyID int64) (Owned, error)
	// SetOwnedFields saves them.
	SetOwnedFields(companyID int64, fields Owned) error
	// ProvisionedIDs returns the IDs of the people company companyID's
	// directory provisioned, ascending.
	ProvisionedIDs(companyID int64) ([]int64, error)
}

// SetOwned says which of PersonFields company companyID's directory owns
// (ActConnectDirectory); another field is EINVALID.
func (s *Service) SetOwned(ctx context.Context, companyID int64, fields []string) (Owned, error) {
	var out Owned
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActConnectDirectory)
		if err != nil {
			return err
		}
		before, err := tx.OwnedFields(c.ID)
		if err != nil {
			return err
		}
		out = Owned{}
		for _, f := range PersonFields {
			if slices.Contains(fields, f) {
				out = append(out, f)
			}
		}
		for _, f := range fields {
			if !slices.Contains(PersonFields, f) {
				return allot.Invalid("owned", "a directory owns some of %s, not %q", strings.Join(PersonFields, ", "), f)
			}
		}
		if err := tx.SetOwnedFields(c.ID, out); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "directory.owned", "company", c.ID, before, out)
	})
	return out, err
}

// OwnedFields returns the fields company companyID's directory owns.
func (s *Service) OwnedFields(ctx context.Context, companyID int64) (Owned, error) {
	var out Owned
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.OwnedFields(c.ID)
		return err
	})
	return out, err
}
