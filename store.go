package allot

import (
	"context"
	"time"
)

// Store keeps allot's data. It stores and finds; every rule lives in the
// Service. Methods return *Error values with ENOTFOUND for a missing row,
// ECONFLICT for a violated uniqueness or guard (a guarded update of a missing
// row included) and EINVALID for a reference to a missing row; anything
// else is internal.
type Store interface {
	// Write runs fn in a transaction that may write. The transaction
	// serialises with other writers where the database needs it (SQLite
	// takes its write lock at the start). When fn returns an error the
	// transaction is rolled back and the error returned as is.
	Write(ctx context.Context, fn func(Tx) error) error
	// Read runs fn in a read-only transaction over a consistent snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// Entitlement returns the facts the entitlement decision needs about
	// one user and one product, without a transaction: it is the hot path.
	Entitlement(ctx context.Context, q EntitlementQuery) (EntitlementFacts, error)
	// Contacts returns, without a transaction, the first two (by ID) of
	// each: the company managers of company companyID, the partner managers
	// of partner partnerID, and the vendor admins. Removed users are left out.
	Contacts(ctx context.Context, p ContactsParams) ([]User, error)
	// ClaimJobs leases up to n pending jobs whose time has come and whose
	// lease, if any, has run out, counting an attempt for each; other
	// processes claiming at once get other jobs.
	ClaimJobs(ctx context.Context, now time.Time, lease time.Duration, n int) ([]Job, error)
	// RenewLease extends the lease of claimed job j until then. ECONFLICT
	// when the claim is lost: the job was claimed again since, or finished.
	RenewLease(ctx context.Context, j Job, until time.Time) error
	// FinishJob records the outcome of claimed job j: done when err is nil;
	// otherwise pending again at retryAt, or failed when retryAt is zero.
	// ECONFLICT, and nothing recorded, when the claim is lost.
	FinishJob(ctx context.Context, j Job, now time.Time, err error, retryAt time.Time) error
	// TokenAuth returns the token with the given hash and its user, without
	// a transaction: every API call asks. ENOTFOUND when there is none.
	TokenAuth(ctx context.Context, hash string) (TokenAuth, error)
	Close() error
}

// Tx is one transaction of a Store. Its methods are bound to the context the
// transaction was started with.
type Tx interface {
	CreatePartner(p *Partner) error
	Partner(id int64) (Partner, error)
	Partners(f PartnerFilter) ([]Partner, error)

	CreateCompany(c *Company) error
	Company(id int64) (Company, error)
	// Companies returns the companies f selects, by name then ID (or as
	// f orders them).
	Companies(f CompanyFilter) ([]Company, error)
	// CountCompanies returns how many companies f selects, paging aside.
	CountCompanies(f CompanyFilter) (int, error)
	// CustomerCounts returns what waits on each product of the companies,
	// one row per company and product with anything to count.
	CustomerCounts(p CustomerCountsParams) ([]CustomerCount, error)
	UpdateCompany(c Company) error

	CreateProduct(p *Product) error
	Product(id int64) (Product, error)
	ProductByCode(code string) (Product, error)
	Products() ([]Product, error)

	// CreateUser returns ECONFLICT when the e-mail is taken.
	CreateUser(u *User) error
	User(id int64) (User, error)
	UserByEmail(email string) (User, error)
	Users(f UserFilter) ([]User, error)
	// Members returns the users f selects, by ID, each with their newest
	// seat of b.ProductID and whether they wait for one, narrowed by b.
	// o orders them instead when o.By is set.
	Members(f UserFilter, b SeatBounds, o MemberOrder) ([]Member, error)
	// CountMembers returns how many users Members would return, paging aside.
	CountMembers(f UserFilter, b SeatBounds) (int, error)
	// UsersByEmail returns the users, of any company, with these e-mails.
	UsersByEmail(emails []string) ([]User, error)
	UpdateUser(u User) error
	// DirectoryOwned returns the fields of user id that the directory which
	// provisioned them owns (directory.PersonFields' names); none when no
	// directory provisioned them.
	DirectoryOwned(id int64) ([]string, error)
	// PersonEvents returns the audit events of p.CompanyID about user
	// p.UserID or one of their seats, newest first.
	PersonEvents(p PersonEventsParams) ([]Event, error)
	TouchLogin(userID int64, at time.Time) error
	// TouchSignIn records that the user signed in to allot itself at at.
	TouchSignIn(userID int64, at time.Time) error

	CreateOrder(o *Order) error
	Order(id int64) (Order, error)
	Orders(f OrderFilter) ([]Order, error)
	// CountOrders returns how many orders f selects, paging aside, and the
	// licences they ask for, by status and product.
	CountOrders(f OrderFilter) ([]OrderCount, error)
	// DecideOrder saves o's status, decider and reason, but only while the
	// stored order is still requested; ECONFLICT otherwise.
	DecideOrder(o Order) error

	CreatePool(p *Pool) error
	Pool(id int64) (Pool, error)
	// Pools returns pools ordered by end, soonest first, then by ID.
	Pools(f PoolFilter) ([]Pool, error)
	// TakeSeats counts n more seats used in pool id, in one guarded
	// statement: ECONFLICT when fewer are free or the pool is not live at
	// now.
	TakeSeats(poolID int64, n int, now time.Time) error
	// ReturnSeat counts one seat fewer used in pool id.
	ReturnSeat(poolID int64) error
	// ShrinkPool counts n seats fewer bought in pool id, in one guarded
	// statement: ECONFLICT when fewer than n are free or the pool is not
	// live at now.
	ShrinkPool(poolID int64, n int, now time.Time) error
	// MarkPoolExpired records that the sweep saw pool id end.
	MarkPoolExpired(id int64, at time.Time) error
	// MarkPoolReminded records the due time of the last reminder queued.
	MarkPoolReminded(id int64, due time.Time) error

	// GiveSeats gives a seat like p.Seat to each of p.UserIDs who is a
	// member of its company, in one statement, and records for each an
	// audit event like p.Event whose After is the seat. It returns the
	// seats' IDs, ascending, in the order of p.UserIDs; fewer than users
	// when some were no members. ECONFLICT when a user holds a seat of the
	// product not released or closed.
	GiveSeats(p GiveSeatsParams) ([]int64, error)
	// CloseEndedSeats marks the users' held seats of the product that ended
	// at or before p.Now as closed, so that a new seat may be given.
	CloseEndedSeats(p CloseEndedSeatsParams) error
	Seat(id int64) (Seat, error)
	Seats(f SeatFilter) ([]Seat, error)
	// ReleaseSeat marks seat id released at at for reason, but only while
	// it is held (neither released nor closed); ECONFLICT otherwise.
	ReleaseSeat(id int64, at time.Time, reason string) error
	// CloseAllEndedSeats closes every held seat that ended at or before now
	// and returns how many.
	CloseAllEndedSeats(now time.Time) (int64, error)
	// ExpiredLearners returns the company's users, by ID, whose latest seat
	// of the product ended at or before p.Now without being released, and
	// who hold no live seat of it.
	ExpiredLearners(p ExpiredLearnersParams) ([]User, error)

	// AddWaiting puts each of p.UserIDs on the waiting list p.Waiting
	// describes, unless they wait for the product already, and records for
	// each an audit event like p.Event whose After is their Waiting.
	AddWaiting(p AddWaitingParams) error
	// RemoveWaiting takes the users off the waiting list of the product, or
	// of every product when p.ProductID is 0.
	RemoveWaiting(p RemoveWaitingParams) error
	// WaitingList returns who waits for the company's product, oldest first.
	WaitingList(p WaitingListParams) ([]Waiting, error)
	// CountWaiting returns how many of the company's learners wait for a
	// seat, of any product: each learner once for each product.
	CountWaiting(companyID int64) (int, error)

	CreateToken(t *Token) error
	Token(id int64) (Token, error)
	// Tokens returns a user's tokens, newest first.
	Tokens(userID int64) ([]Token, error)
	RevokeToken(id int64, at time.Time) error
	TouchToken(id int64, at time.Time) error

	// Enqueue adds a job, or does nothing when a job with its key exists;
	// it reports whether the job was added.
	Enqueue(j *Job) (bool, error)
	Jobs(f JobFilter) ([]Job, error)
	// RecordMail records a mail that went out or was kept; it does nothing
	// when a mail with its job key is recorded already, and reports whether
	// it recorded this one.
	RecordMail(m *SentMail) (bool, error)
	Mails(f MailFilter) ([]SentMail, error)
	// CountMails returns how many recorded mails f selects, whatever its
	// BeforeID and Limit.
	CountMails(f MailFilter) (int, error)

	AddEvent(e *Event) error
	Events(f EventFilter) ([]Event, error)
	// CountEvents returns how many events f selects, paging aside.
	CountEvents(f EventFilter) (int, error)
}

// EntitlementQuery names the user (by ID, or by e-mail when UserID is 0)
// and the product (by code) of an entitlement check.
type EntitlementQuery struct {
	UserID      int64
	Email       string
	ProductCode string
	Now         time.Time
}

// EntitlementFacts is what the store knows about an entitlement query.
type EntitlementFacts struct {
	UserFound    bool
	User         User
	Company      Company // zero for vendor staff and partner managers
	ProductFound bool
	Product      Product
	// Seat is the user's newest seat of the product, nil when none: its
	// window and release, not its pool or reason. A new seat is only ever
	// given once the previous one ended or was released, so the newest
	// seat is the one that decides.
	Seat *Seat
	// PoolEnds is the latest end of the company's pools of the product live
	// at the query's time; zero when none is live.
	PoolEnds time.Time
	Waiting  bool // the user waits for a seat of the product
}

// GiveSeatsParams are the seats GiveSeats gives.
type GiveSeatsParams struct {
	Seat    Seat // the seats' terms: its ID and UserID are each seat's own
	UserIDs []int64
	// Event is the audit event of each seat. Its After is a JSON object of
	// the seat's members but ID and UserID, which the store adds.
	Event Event
}

// CloseEndedSeatsParams name the seats CloseEndedSeats closes: the users'
// held seats of the product that ended by Now.
type CloseEndedSeatsParams struct {
	UserIDs   []int64
	ProductID int64
	Now       time.Time
}

// AddWaitingParams are the learners AddWaiting puts on a waiting list.
type AddWaitingParams struct {
	Waiting Waiting // the waiting of each: its UserID is each user's own
	UserIDs []int64
	// Event is the audit event of each. Its After is a JSON object of the
	// Waiting's members but UserID, which the store adds.
	Event Event
}

// RemoveWaitingParams are the learners RemoveWaiting takes off a waiting
// list.
type RemoveWaitingParams struct {
	UserIDs   []int64
	ProductID int64 // 0 for every product
}

// WaitingListParams name a waiting list: a company's, for a product.
type WaitingListParams struct {
	CompanyID int64
	ProductID int64
	Limit     int
	// Claim locks the learners returned until the transaction ends, and
	// skips those another transaction locked: two transactions filling the
	// same list at once give their seats to different learners.
	Claim bool
}

// ExpiredLearnersParams name a company's learners whose seats of a product
// expired by Now.
type ExpiredLearnersParams struct {
	CompanyID int64
	ProductID int64
	Now       time.Time
}

// ContactsParams name whom a refused user may ask: a company's managers, a
// partner's and the vendor's admin.
type ContactsParams struct {
	CompanyID int64
	PartnerID int64
}
