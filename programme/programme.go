// Package programme holds a company's programmes and the invitations of
// members to them: what a company offers its people, and who was asked to
// join, when and with which seat. Seats go through the kernel's one door.
package programme

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
)

// Programme is what a company offers a group of its people: some of the
// vendor's products, and the language its invitations are written in by
// default.
type Programme struct {
	ID        int64
	CompanyID int64
	Name      string
	Products  []string // the codes of the products it offers, sorted
	Lang      string   // one of allot.Languages
	CreatedAt time.Time
}

// Service keeps programmes. Every method takes the acting principal from
// its context, as the kernel's do; a programme of a company the principal
// may not see reads as not found.
type Service struct {
	Ledger *allot.Service // the kernel: its clock, permissions and audit log
	Store  Store
}

// Store keeps programmes, beside the ledger and in the same database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the programmes beside it.
type Tx interface {
	allot.Tx
	// CreateProgramme stores p with its products; ECONFLICT when its
	// company has a programme of that name.
	CreateProgramme(p *Programme) error
	// Programme returns programme id with its products.
	Programme(id int64) (Programme, error)
	// Programmes returns company id's programmes, by name.
	Programmes(companyID int64) ([]Programme, error)

	// CreateInvitations stores an invitation like p.Invitation for each of
	// p.UserIDs, in one statement, with the seats of p.SeatIDs each holds,
	// and returns their IDs in the order of the users.
	CreateInvitations(p CreateInvitationsParams) ([]int64, error)
	// Invitation returns invitation id with its person and seats.
	Invitation(id int64) (Invitation, error)
	// Invitations returns those f selects, by ID, with persons and seats.
	Invitations(f InvitationFilter) ([]Invitation, error)
	// UpdateScheduled saves a scheduled invitation's language, zone, times
	// and cancellation, but only while it has not gone out nor been
	// cancelled: ECONFLICT otherwise.
	UpdateScheduled(inv Invitation) error
	// MarkSent records that invitation id went out at at, only while it has
	// not: ECONFLICT otherwise.
	MarkSent(id int64, at time.Time) error
}

// CreateInvitationsParams are the invitations CreateInvitations stores.
type CreateInvitationsParams struct {
	Invitation Invitation
	UserIDs    []int64
	SeatIDs    []int64
}

// NewProgramme is what making a programme takes.
type NewProgramme struct {
	CompanyID int64
	Name      string
	Products  []string // product codes; at least one
	Lang      string   // English when empty
}

// MaxName is the longest name of a programme.
const MaxName = 200

// Create makes a programme in a company (ActManageProgrammes).
func (s *Service) Create(ctx context.Context, in NewProgramme) (Programme, error) {
	var pg Programme
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, in.CompanyID, allot.ActManageProgrammes)
		if err != nil {
			return err
		}
		pg = Programme{CompanyID: c.ID, Name: strings.TrimSpace(in.Name), Lang: in.Lang, CreatedAt: s.Ledger.Clock.Now()}
		if pg.Lang == "" {
			pg.Lang = allot.Languages[0]
		}
		if err := check(tx, &pg, in.Products); err != nil {
			return err
		}
		if err := tx.CreateProgramme(&pg); err != nil {
			if allot.ErrorCode(err) == allot.ECONFLICT {
				return &allot.Error{Code: allot.ECONFLICT, Field: "name", Message: c.Name + " has a programme named " + pg.Name + " already"}
			}
			return fmt.Errorf("create programme: %w", err)
		}
		return s.Ledger.Record(tx, p, c, "programme.create", "programme", pg.ID, nil, pg)
	})
	return pg, err
}

// check checks a programme's name, language and products, which it sets
// from codes, without repeats and sorted.
func check(tx Tx, pg *Programme, codes []string) error {
	if err := allot.CheckName("name", pg.Name); err != nil {
		return err
	}
	if len([]rune(pg.Name)) > MaxName {
		return allot.Invalid("name", "a programme's name has at most %d characters", MaxName)
	}
	if !slices.Contains(allot.Languages, pg.Lang) {
		return allot.Invalid("lang", "the language is one of %v", allot.Languages)
	}
	for _, code := range codes {
		code = strings.TrimSpace(code)
		if _, err := tx.ProductByCode(code); err != nil {
			return allot.Invalid("products", "no product %q", code)
		}
		if !slices.Contains(pg.Products, code) {
			pg.Products = append(pg.Products, code)
		}
	}
	if len(pg.Products) == 0 {
		return allot.Invalid("products", "choose at least one product the programme offers")
	}
	slices.Sort(pg.Products)
	return nil
}

// Get returns programme id.
func (s *Service) Get(ctx context.Context, id int64) (Programme, error) {
	var pg Programme
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var err error
		if pg, err = tx.Programme(id); err != nil {
			return err
		}
		if _, err := allot.VisibleCompany(tx, p, pg.CompanyID); err != nil {
			return allot.NotFound("programme")
		}
		return nil
	})
	return pg, err
}

// List returns company id's programmes, by name.
func (s *Service) List(ctx context.Context, companyID int64) ([]Programme, error) {
	var out []Programme
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if _, err := allot.VisibleCompany(tx, p, companyID); err != nil {
			return err
		}
		var err error
		out, err = tx.Programmes(companyID)
		return err
	})
	return out, err
}
