package api

import (
	"strconv"
	"time"

	"allot/directory"

	"allot"
)

// The JSON shapes of the API. They are the domain's types with stable
// names and only what a client should see.

type partner struct {
	ID               int64     `json:"id" example:"3"`
	Name             string    `json:"name" example:"Northwind Resellers"`
	AccountManagerID int64     `json:"account_manager_id,omitempty" example:"2"`
	CreatedAt        time.Time `json:"created_at"`
}

func toPartner(p allot.Partner) partner {
	return partner{ID: p.ID, Name: p.Name, AccountManagerID: p.AccountManagerID, CreatedAt: p.CreatedAt}
}

type company struct {
	ID               int64     `json:"id" example:"12"`
	Name             string    `json:"name" example:"Acme Logistics"`
	PartnerID        int64     `json:"partner_id,omitempty" example:"3" doc:"The partner the company buys through; absent for direct customers."`
	AccountManagerID int64     `json:"account_manager_id,omitempty"`
	DefaultProductID int64     `json:"default_product_id,omitempty" doc:"The product a new learner gets a seat of at once."`
	Suspended        bool      `json:"suspended"`
	FillWaiting      bool      `json:"fill_waiting" doc:"A seat freed in the company goes at once to the learner who has waited longest for one."`
	CreatedAt        time.Time `json:"created_at"`
}

func toCompany(c allot.Company) company {
	return company{ID: c.ID, Name: c.Name, PartnerID: c.PartnerID, AccountManagerID: c.AccountManagerID,
		DefaultProductID: c.DefaultProductID, Suspended: c.Suspended, FillWaiting: c.FillsWaiting(), CreatedAt: c.CreatedAt}
}

type product struct {
	ID         int64  `json:"id" example:"1"`
	Code       string `json:"code" example:"premium"`
	Name       string `json:"name" example:"Premium awareness training"`
	TermMonths int    `json:"term_months" example:"12"`
	URL        string `json:"url,omitempty" example:"https://learn.example.com" doc:"Where its learners use it."`
}

func toProduct(p allot.Product) product {
	return product{ID: p.ID, Code: p.Code, Name: p.Name, TermMonths: p.TermMonths, URL: p.URL}
}

type user struct {
	ID          int64      `json:"id" example:"204"`
	Email       string     `json:"email" example:"ada.costa@acme.example"`
	FirstName   string     `json:"first_name,omitempty" example:"Ada"`
	LastName    string     `json:"last_name,omitempty" example:"Costa"`
	Department  string     `json:"department,omitempty" example:"Sales"`
	Manager     string     `json:"manager,omitempty" example:"grace.hopper@acme.example" doc:"Who they report to, as an import or their directory says."`
	ExternalID  string     `json:"external_id,omitempty" example:"E-10442" doc:"Their identifier in the company's directory."`
	Role        allot.Role `json:"role" enum:"vendor_admin,account_manager,support_agent,success_manager,partner_manager,company_manager,learner"`
	PartnerID   int64      `json:"partner_id,omitempty"`
	CompanyID   int64      `json:"company_id,omitempty"`
	Lang        string     `json:"lang,omitempty" example:"fr"`
	Zone        string     `json:"zone,omitempty" example:"Europe/Paris"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty" doc:"The last login to the product; absent when never."`
	CreatedAt   time.Time  `json:"created_at"`
	RemovedAt   *time.Time `json:"removed_at,omitempty"`
}

func toUser(u allot.User) user {
	return user{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Department: u.Department,
		Manager: u.Manager, ExternalID: u.ExternalID, Role: u.Role, PartnerID: u.PartnerID, CompanyID: u.CompanyID,
		Lang: u.Lang, Zone: u.Zone, LastLoginAt: optTime(u.LastLoginAt), CreatedAt: u.CreatedAt, RemovedAt: optTime(u.RemovedAt)}
}

type member struct {
	User   user         `json:"user"`
	Status allot.Status `json:"status,omitempty" enum:"scheduled,active,expiring,expired,released,unlicensed" doc:"The licence status of the listed product; absent when the user has no seat and waits for none."`
	Seat   *seat        `json:"seat,omitempty" doc:"The user's newest seat of the product."`
}

type order struct {
	ID          int64             `json:"id" example:"57"`
	CompanyID   int64             `json:"company_id" example:"12"`
	PartnerID   int64             `json:"partner_id,omitempty"`
	ProductID   int64             `json:"product_id" example:"1"`
	Quantity    int               `json:"quantity" example:"50"`
	PORef       string            `json:"po_ref,omitempty" example:"PO-2026-118"`
	Note        string            `json:"note,omitempty"`
	TermMonths  int               `json:"term_months,omitempty" example:"12"`
	TermDays    int               `json:"term_days,omitempty"`
	Status      allot.OrderStatus `json:"status" enum:"requested,assigned,cancelled,rejected"`
	RequestedBy int64             `json:"requested_by"`
	RequestedAt time.Time         `json:"requested_at"`
	DecidedBy   int64             `json:"decided_by,omitempty"`
	DecidedAt   *time.Time        `json:"decided_at,omitempty"`
	Reason      string            `json:"reason,omitempty" doc:"Why it was rejected."`
}

func toOrder(o allot.Order) order {
	return order{ID: o.ID, CompanyID: o.CompanyID, PartnerID: o.PartnerID, ProductID: o.ProductID, Quantity: o.Quantity,
		PORef: o.PORef, Note: o.Note, TermMonths: o.TermMonths, TermDays: o.TermDays, Status: o.Status,
		RequestedBy: o.RequestedBy, RequestedAt: o.RequestedAt, DecidedBy: o.DecidedBy, DecidedAt: optTime(o.DecidedAt), Reason: o.Reason}
}

type pool struct {
	ID        int64        `json:"id" example:"9"`
	OrderID   int64        `json:"order_id" example:"57"`
	CompanyID int64        `json:"company_id" example:"12"`
	ProductID int64        `json:"product_id" example:"1"`
	Bought    int          `json:"bought" example:"50"`
	Allocated int          `json:"allocated" example:"42"`
	Free      int          `json:"free" example:"8"`
	StartsAt  time.Time    `json:"starts_at"`
	EndsAt    time.Time    `json:"ends_at"`
	Status    allot.Status `json:"status" enum:"active,expiring,expired"`
}

func toPool(now time.Time) func(allot.Pool) pool {
	return func(p allot.Pool) pool {
		return pool{ID: p.ID, OrderID: p.OrderID, CompanyID: p.CompanyID, ProductID: p.ProductID, Bought: p.Quantity,
			Allocated: p.Used, Free: p.Free(), StartsAt: p.StartsAt, EndsAt: p.EndsAt, Status: p.Status(now)}
	}
}

type seat struct {
	ID            int64        `json:"id" example:"3301"`
	PoolID        int64        `json:"pool_id" example:"9"`
	CompanyID     int64        `json:"company_id" example:"12"`
	ProductID     int64        `json:"product_id" example:"1"`
	UserID        int64        `json:"user_id" example:"204"`
	StartsAt      time.Time    `json:"starts_at"`
	EndsAt        time.Time    `json:"ends_at"`
	ReleasedAt    *time.Time   `json:"released_at,omitempty"`
	ReleaseReason string       `json:"release_reason,omitempty" example:"left_company"`
	Status        allot.Status `json:"status" enum:"scheduled,active,expiring,expired,released"`
}

func toSeat(now time.Time) func(allot.Seat) seat {
	return func(s allot.Seat) seat {
		return seat{ID: s.ID, PoolID: s.PoolID, CompanyID: s.CompanyID, ProductID: s.ProductID, UserID: s.UserID,
			StartsAt: s.StartsAt, EndsAt: s.EndsAt, ReleasedAt: optTime(s.ReleasedAt), ReleaseReason: s.ReleaseReason,
			Status: s.Status(now)}
	}
}

type fileImport struct {
	ID         int64                  `json:"id" example:"31"`
	CompanyID  int64                  `json:"company_id" example:"12"`
	Kind       directory.ImportKind   `json:"kind" enum:"users,renewals"`
	ProductID  int64                  `json:"product_id,omitempty" doc:"renewals: the product renewed."`
	PoolID     int64                  `json:"pool_id,omitempty" doc:"renewals: the pool drawn from; absent for the pools that expire first."`
	FileName   string                 `json:"file_name,omitempty" example:"people.csv"`
	Encoding   string                 `json:"encoding" example:"UTF-8 with BOM" doc:"The text encoding the file was read in."`
	Delimiter  string                 `json:"delimiter" example:";" doc:"The character the file's columns are separated by."`
	Header     []string               `json:"header" example:"[\"E-mail Address\",\"First Name\"]" doc:"The file's own column names."`
	HeaderLine int                    `json:"header_line" example:"1" doc:"The file's line the header is on: 1, unless the lines above it (a title or a version line, blank lines) were skipped."`
	Suggested  map[string]string      `json:"suggested" doc:"For each field, the column that seems to hold it: a mapping to start from."`
	Mapping    map[string]string      `json:"mapping,omitempty" doc:"The mapping of the last preview."`
	Status     directory.ImportStatus `json:"status" enum:"uploaded,previewing,previewed,applying,applied,failed"`
	Counts     importCounts           `json:"counts" doc:"What the preview found; once applied, what was done."`
	Progress   progress               `json:"progress" doc:"How far the current step has come."`
	Error      string                 `json:"error,omitempty" doc:"Why the import failed."`
	CreatedAt  time.Time              `json:"created_at"`
	UpdatedAt  time.Time              `json:"updated_at"`
}

type importCounts struct {
	Rows       int `json:"rows" doc:"The data rows of the file."`
	Create     int `json:"create" doc:"users: new learners to add."`
	Update     int `json:"update" doc:"users: existing users whose fields change."`
	Unchanged  int `json:"unchanged" doc:"users: existing users already as the file says."`
	Renew      int `json:"renew" doc:"renewals: learners to renew."`
	Errors     int `json:"errors" doc:"Rows that change nothing, each with its reason."`
	Licensed   int `json:"licensed" doc:"users: new learners given a seat (expected, then done)."`
	Unlicensed int `json:"unlicensed" doc:"users: new learners left waiting for a seat."`
	Disabled   int `json:"disabled" doc:"users: new learners the file marks disabled, added without a seat."`
}

type progress struct {
	Done    int `json:"done" doc:"Rows read so far."`
	Total   int `json:"total" doc:"The rows to read; an estimate until the preview ends."`
	Percent int `json:"percent" minimum:"0" maximum:"100"`
}

func toImport(i directory.Import) fileImport {
	out := fileImport{ID: i.ID, CompanyID: i.CompanyID, Kind: i.Kind, ProductID: i.ProductID, PoolID: i.PoolID, FileName: i.FileName,
		Encoding: i.Encoding, Delimiter: i.Delimiter, Header: i.Header, HeaderLine: i.HeaderLine, Suggested: i.Suggested, Mapping: i.Mapping,
		Status: i.Status, Counts: importCounts(i.Counts), Progress: progress{Done: i.Done, Total: i.Total, Percent: i.Percent()},
		Error: i.Error, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
	if out.Header == nil {
		out.Header = []string{}
	}
	if out.Suggested == nil {
		out.Suggested = map[string]string{}
	}
	return out
}

type importRow struct {
	Line       int                 `json:"line" example:"4" doc:"The file's line the row starts on; the header is line 1."`
	Email      string              `json:"email,omitempty"`
	FirstName  string              `json:"first_name,omitempty"`
	LastName   string              `json:"last_name,omitempty"`
	Department string              `json:"department,omitempty"`
	Manager    string              `json:"manager,omitempty"`
	ExternalID string              `json:"external_id,omitempty"`
	Disabled   bool                `json:"disabled,omitempty" doc:"The file marks the person's account disabled: the import gives them no seat, and takes none from them."`
	UserID     int64               `json:"user_id,omitempty" doc:"The existing user the row names, or the user it created."`
	Action     directory.RowAction `json:"action" enum:"create,update,unchanged,renew,error"`
	Reason     string              `json:"reason,omitempty" example:"column \"Email\": \"ann@@acme\" is not a valid e-mail address" doc:"Why the row changes nothing; for a row marked disabled, what that means for the person's seat."`
}

func toImportRow(r directory.ImportRow) importRow {
	return importRow{Line: r.Line, Email: r.Email, FirstName: r.FirstName, LastName: r.LastName, Department: r.Department,
		Manager: r.Manager, ExternalID: r.ExternalID, Disabled: r.Disabled, UserID: r.UserID, Action: r.Action, Reason: r.Reason}
}

type event struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	ActorID     int64     `json:"actor_id,omitempty" doc:"The person who acted; absent for allot itself."`
	ActorEmail  string    `json:"actor_email" example:"manager@northwind.example"`
	CompanyID   int64     `json:"company_id,omitempty" doc:"The company concerned; in manage-company mode, the one acted in."`
	PartnerID   int64     `json:"partner_id,omitempty"`
	ManageMode  bool      `json:"manage_mode" doc:"The actor acted in the company through manage-company mode."`
	Action      string    `json:"action" example:"seat.allocate"`
	SubjectType string    `json:"subject_type" example:"seat"`
	SubjectID   int64     `json:"subject_id"`
	Before      string    `json:"before,omitempty" doc:"The subject before, as JSON."`
	After       string    `json:"after,omitempty" doc:"The subject after, as JSON."`
}

func toEvent(e allot.Event) event {
	return event{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorEmail: e.ActorEmail, CompanyID: e.CompanyID, PartnerID: e.PartnerID,
		ManageMode: e.ManageMode, Action: e.Action, SubjectType: e.SubjectType, SubjectID: e.SubjectID, Before: e.Before, After: e.After}
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// page is a list with the cursor of its next page.
type page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty" doc:"Pass as cursor to get the next page; absent on the last page."`
}

// paged is list for a page of at most limit items, with the cursor of the
// next page when the page is full: the ID of its last item.
func paged[T, U any](items []T, err error, limit int, id func(T) int64, f func(T) U) (*listOutput[U], error) {
	out, err := list(items, err, f)
	if err == nil && len(items) > 0 && len(items) >= limit {
		out.Body.Next = strconv.FormatInt(id(items[len(items)-1]), 10)
	}
	return out, err
}
