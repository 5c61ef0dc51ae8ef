// Package scim is allot's SCIM 2.0 surface (RFC 7643, RFC 7644), which
// identity providers such as Microsoft Entra ID and Okta provision a
// company's people through: Users, Groups and discovery, under a bearer
// token per company. It keeps each resource as its client wrote it,
// normalised, so that reads give back what was written; what a resource
// means for seats goes through the directory: a User is a person
// provisioned (directory.Provision), a deleted one is deprovisioned, and
// a Group's members are a directory group (directory.SetGroup).
package scim

import (
	"context"
	"errors"
	"time"

	"allot"
	"allot/directory"
)

// Service serves SCIM and keeps each company's SCIM token.
type Service struct {
	Ledger    *allot.Service // the kernel: its clock, log and audit log
	Store     Store
	Directory *directory.Service
}

// Store keeps SCIM's tokens and resources, beside the ledger and in the
// same database.
type Store interface {
	allot.Transactor[Tx]
	// SCIMTokenCompany returns the company whose SCIM token has hash h,
	// without a transaction: every SCIM request asks. ENOTFOUND when no
	// token has it.
	SCIMTokenCompany(ctx context.Context, hash string) (int64, error)
}

// Tx is a transaction of the ledger with SCIM's tokens and resources.
type Tx interface {
	allot.Tx
	// PutSCIMToken stores t as its company's token, replacing the one it
	// had.
	PutSCIMToken(t Token) error
	// SCIMToken returns company companyID's token; ENOTFOUND when none.
	SCIMToken(companyID int64) (Token, error)
	// DeleteSCIMToken deletes company companyID's token; ENOTFOUND when
	// none.
	DeleteSCIMToken(companyID int64) error

	// CreateSCIMResource stores a new resource; ECONFLICT when its
	// UserName is another resource's of its company and type.
	CreateSCIMResource(r Resource) error
	// SCIMResource returns resource id of the type of company companyID;
	// ENOTFOUND when the company has none.
	SCIMResource(companyID int64, typ, id string) (Resource, error)
	// SCIMResources returns the resources q selects, in the order they
	// were made.
	SCIMResources(q ResourceQuery) ([]Resource, error)
	// CountSCIMResources returns how many resources q selects, its offset
	// and limit aside.
	CountSCIMResources(q ResourceQuery) (int, error)
	// UpdateSCIMResource saves r's fields and document and numbers it
	// r.Version, but only while the stored version is r.Version-1:
	// ErrStale otherwise; ECONFLICT when its UserName is another's.
	UpdateSCIMResource(r Resource) error
	// DeleteSCIMResource deletes resource id; ENOTFOUND when none.
	DeleteSCIMResource(companyID int64, typ, id string) error
}

// ErrStale says that a resource changed since it was read.
var ErrStale = &allot.Error{Code: allot.ECONFLICT, Message: "the resource changed meanwhile"}

// Resource is a SCIM resource as allot keeps it.
type Resource struct {
	CompanyID  int64
	Type       string // User or Group
	ID         string // allot's id for it: the person's anchor in the directory
	ExternalID string // the client's id for it
	// UserName and DisplayName are folded to lower case, for lookups
	// without regard to case; UserName is unique in the company's Users.
	// The document keeps both as written.
	UserName    string
	DisplayName string
	Document    []byte // the attributes as normalised, as JSON, without id and meta
	UserID      int64  // the person a User provisions; 0 until then, and for a Group
	Created     time.Time
	Modified    time.Time
	Version     int64 // 1 when created, one more at each change
}

// ResourceQuery selects a company's resources of a type: those whose
// field (user_name, external_id, id or display_name) has value, when
// field is set, and a page of them.
type ResourceQuery struct {
	CompanyID int64
	Type      string
	Field     string
	Value     string
	UserID    int64 // when not 0, the resources provisioning this person
	Offset    int
	Limit     int // 0 for all
}

// Fields a ResourceQuery selects by.
const (
	FieldUserName    = "user_name"
	FieldExternalID  = "external_id"
	FieldID          = "id"
	FieldDisplayName = "display_name"
)

// isStale reports whether err is ErrStale.
func isStale(err error) bool { return errors.Is(err, ErrStale) }

// isNotFound reports whether err says that something is not found.
func isNotFound(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Status == 404
	}
	return allot.ErrorCode(err) == allot.ENOTFOUND
}
