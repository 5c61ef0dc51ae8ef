// Package allot is the domain of a licence (seat) management platform: the
// vendor, its partners and their customer companies, products, orders, the
// licence pools that assigned orders become, the seats given to learners and
// the entitlement decision the vendor's product asks for on every login.
//
// The package holds the types, their rules and the Service that applies
// them. Storage is behind the Store interface; package store implements it
// on SQLite and PostgreSQL. Nothing here imports another package of allot.
package allot

import (
	"net/mail"
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

// Company is a customer: a partner's customer, or direct when PartnerID is 0.
type Company struct {
	ID               int64
	PartnerID        int64
	Name             string
	AccountManagerID int64 // for direct customers; 0 when none
	DefaultProductID int64 // the product whose seat a new learner gets at once; 0 when none
	Suspended        bool
	CreatedAt        time.Time
	ReminderOffsets  string // when its managers hear of an expiry, as ParseOffsets reads it; "" for the default
}

// Direct reports whether the company is the vendor's own customer.
func (c Company) Direct() bool { return c.PartnerID == 0 }

// Product is something the vendor sells seats of.
type Product struct {
	ID         int64
	Code       string // short stable name: premium, coaching, ai-coach…
	Name       string
	TermMonths int // default term of an order, in calendar months
	CreatedAt  time.Time
}

// User is a person with a login. Vendor staff belong to no tenant; partner
// managers to a partner; company managers and learners to a company.
type User struct {
	ID           int64
	Email        string // lower case, unique across the deployment
	FirstName    string
	LastName     string
	Department   string
	Manager      string // who they report to, as their directory says
	ExternalID   string // their identifier in the company's directory
	Role         Role
	PartnerID    int64
	CompanyID    int64
	PasswordHash string    `json:"-"` // never in the audit log's before and after
	Lang         string    // the language of their mail: en, fr, de or es
	Zone         string    // the IANA time zone their mail gives times in
	LastLoginAt  time.Time // zero when never logged in
	CreatedAt    time.Time
	RemovedAt    time.Time // zero while the user belongs to the company
}

// Name returns the user's full name, or the e-mail when there is no name.
func (u User) Name() string {
	if n := strings.TrimSpace(u.FirstName + " " + u.LastName); n != "" {
		return n
	}
	return u.Email
}

// Languages are the languages allot writes mail in; the first is the default.
var Languages = []string{"en", "fr", "de", "es"}

// DefaultZone is the time zone of a person who names none.
const DefaultZone = "UTC"

// NormalizeEmail returns the canonical form of an e-mail address (trimmed,
// lower case) or an EINVALID error for the given field.
func NormalizeEmail(field, s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", Invalid(field, "e-mail is required")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.IndexByte(s, '@')+1:], ".") {
		return "", Invalid(field, "%q is not a valid e-mail address", s)
	}
	return s, nil
}
