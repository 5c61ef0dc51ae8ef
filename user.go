package allot

import (
	"cmp"
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

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
	LastLoginAt  time.Time // zero when never logged in to the product
	SignedInAt   time.Time // when they last signed in to allot itself; zero when never
	CreatedAt    time.Time
	RemovedAt    time.Time // zero while the user belongs to the company
	// SessionEpoch moves on when the password changes: a browser session
	// begun at an earlier epoch has ended.
	SessionEpoch int64 `json:"-"`
	// Pending says that the person was made for an invitation not sent
	// yet: they hold its reserved seats but are not listed among the
	// company's people until it goes out.
	Pending bool `json:",omitempty"`
}

// MemberOf reports whether u is one of company c's people, a learner or a
// company manager: they belong to it and were not removed from it.
func (u User) MemberOf(c Company) bool {
	return c.ID != 0 && u.CompanyID == c.ID && u.RemovedAt.IsZero()
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
	if err := checkEmailText(field, s); err != nil {
		return "", err
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.IndexByte(s, '@')+1:], ".") {
		return "", Invalid(field, "%q is not a valid e-mail address", s)
	}
	return s, nil
}

// UserFilter selects users, by ID ascending. Zero fields do not filter.
type UserFilter struct {
	IDs            []int64 // when not empty: these users only
	CompanyID      int64
	PartnerID      int64
	Roles          []Role
	Search         string // in the e-mail or the names
	NeverLoggedIn  bool
	InactiveSince  time.Time // last login before this instant, or never
	IncludeRemoved bool
	IncludePending bool // people made for invitations not sent yet
	AfterID        int64
	Limit          int
}

// NewUser is what adding a person takes.
type NewUser struct {
	Email      string
	FirstName  string
	LastName   string
	Department string
	Role       Role   // learner when empty
	Lang       string // one of Languages; English when empty
	Zone       string // an IANA time zone; UTC when empty
	PartnerID  int64
	CompanyID  int64
	// Welcome sends the person a welcome mail with a link to choose their
	// password.
	Welcome bool
	// Pending makes the person for an invitation not sent yet (User.Pending).
	Pending bool
	// Password is for seeding only (demo data, tests); people choose their
	// own through the welcome mail's link.
	Password string
}

// AddUser adds a learner (ActManageUsers) or a company manager
// (ActAddManager) to a company. A learner gets a seat of the company's
// default product at once, from the pool that expires first; when none is
// free they are added all the same, unlicensed, and wait.
func (s *Service) AddUser(ctx context.Context, in NewUser) (User, error) {
	var u User
	err := s.write(ctx, func(tx Tx, p Principal) error {
		c, err := VisibleCompany(tx, p, in.CompanyID)
		if err != nil {
			return err
		}
		switch in.Role {
		case "":
			in.Role = RoleLearner
		case RoleLearner, RoleCompanyManager:
		default:
			return Invalid("role", "a company's user is a learner or a company manager")
		}
		if err := p.Must(addAct(in.Role), c); err != nil {
			return err
		}
		in.PartnerID = 0
		u, err = s.addUser(tx, p, c, in)
		return err
	})
	return u, err
}

func (s *Service) addUser(tx Tx, p Principal, c Company, in NewUser) (User, error) {
	u, err := s.createUser(tx, p, c, in)
	if err != nil {
		return User{}, err
	}
	if u.Role != RoleLearner || c.DefaultProductID == 0 {
		return u, nil
	}
	_, err = s.GrantSeats(tx, p, SeatGrant{Company: c, ProductID: c.DefaultProductID, UserIDs: []int64{u.ID}, Wait: true,
		Fresh: true})
	return u, err
}

// AddPerson adds the person in describes to company c in the caller's
// transaction, for another package's capability that checked the acting
// principal's right to: no seat, no welcome unless asked.
func (s *Service) AddPerson(tx Tx, p Principal, c Company, in NewUser) (User, error) {
	in.CompanyID, in.PartnerID = c.ID, 0
	return s.createUser(tx, p, c, in)
}

// createUser stores the person in describes, records it in c's audit log
// and, when asked, queues their welcome mail.
func (s *Service) createUser(tx Tx, p Principal, c Company, in NewUser) (User, error) {
	u, err := s.newUser(in)
	if err != nil {
		return User{}, err
	}
	if err := tx.CreateUser(&u); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return User{}, &Error{Code: ECONFLICT, Field: "email", Message: u.Email + " already has an account"}
		}
		return User{}, fmt.Errorf("add user: %w", err)
	}
	if err := s.Record(tx, p, c, "user.add", "user", u.ID, nil, u); err != nil {
		return User{}, err
	}
	if in.Welcome {
		return u, QueueLinkMail(tx, MailWelcome, u, u.CreatedAt)
	}
	return u, nil
}

// MaxPersonField is the most characters a person's name, department,
// manager or directory id may have.
const MaxPersonField = 200

// newUser checks in and makes the User to store.
func (s *Service) newUser(in NewUser) (User, error) {
	email, err := NormalizeEmail("email", in.Email)
	if err != nil {
		return User{}, err
	}
	u := User{Email: email, FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		Department: strings.TrimSpace(in.Department), Role: in.Role, PartnerID: in.PartnerID, CompanyID: in.CompanyID,
		Lang: cmp.Or(in.Lang, Languages[0]), Zone: cmp.Or(in.Zone, DefaultZone), CreatedAt: s.Clock.Now(), Pending: in.Pending}
	if !slices.Contains(Languages, u.Lang) {
		return User{}, Invalid("lang", "the language is one of %v", Languages)
	}
	if _, err := time.LoadLocation(u.Zone); err != nil || u.Zone == "Local" {
		return User{}, Invalid("zone", "%q is not a time zone (e.g. Europe/Paris)", u.Zone)
	}
	if err := checkPersonText(u); err != nil {
		return User{}, err
	}
	if in.Password != "" {
		if u.PasswordHash, err = HashPassword(in.Password, s.Passwords); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// CreateStaff adds a person outside any company: vendor staff
// (ActCreateStaff) or a partner manager (ActAddPartnerManager).
func (s *Service) CreateStaff(ctx context.Context, in NewUser) (User, error) {
	var u User
	err := s.write(ctx, func(tx Tx, p Principal) error {
		in.CompanyID = 0
		switch {
		case in.Role.Vendor():
			if err := p.Must(ActCreateStaff, Company{}); err != nil {
				return err
			}
			in.PartnerID = 0
		case in.Role == RolePartnerManager:
			if err := p.Must(ActAddPartnerManager, Company{PartnerID: p.PartnerID}); err != nil {
				return err
			}
			if _, err := tx.Partner(in.PartnerID); err != nil || !p.May(ActAddPartnerManager, Company{PartnerID: in.PartnerID}) {
				return Invalid("partner_id", "no partner %d", in.PartnerID)
			}
		default:
			return Invalid("role", "staff is vendor staff or a partner manager; add company users to their company")
		}
		var err error
		u, err = s.createUser(tx, p, Company{PartnerID: in.PartnerID}, in)
		return err
	})
	return u, err
}

// Staff lists the vendor's staff (ActSeeStaff), by ID.
func (s *Service) Staff(ctx context.Context) ([]User, error) {
	var out []User
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if err := p.Must(ActSeeStaff, Company{}); err != nil {
			return err
		}
		var err error
		out, err = tx.Users(UserFilter{Roles: VendorRoles, Limit: MaxLimit})
		return err
	})
	return out, err
}

// RemoveUser takes a person out of their company: their live seats go back
// to their pools and they stop waiting for one.
func (s *Service) RemoveUser(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, c, err := managedUser(tx, p, id, ActManageUsers)
		if err != nil {
			return err
		}
		if before.ID == p.UserID {
			return Errorf(ECONFLICT, "you cannot remove yourself")
		}
		now := s.Clock.Now()
		held, err := tx.Seats(SeatFilter{UserID: id, HeldOnly: true})
		if err != nil {
			return err
		}
		for _, seat := range held {
			if seat.Live(now) {
				if _, err := s.ReleaseSeat(tx, p, c, seat, ReasonRemoved); err != nil {
					return err
				}
			}
		}
		if err := tx.RemoveWaiting(RemoveWaitingParams{UserIDs: []int64{id}}); err != nil {
			return err
		}
		u = before
		u.RemovedAt = now
		if err := tx.UpdateUser(u); err != nil {
			return fmt.Errorf("remove user %d: %w", id, err)
		}
		return s.Record(tx, p, c, "user.remove", "user", id, before, u)
	})
	if err == nil {
		s.tokens.forget(0, u.ID)
	}
	return u, err
}

// User returns user id when p may see them: themself, a user of a company p
// may see, or staff of a partner p may see.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	return s.user(ctx, func(tx Tx) (User, error) { return tx.User(id) })
}

// UserByEmail returns the user with the given e-mail when p may see them;
// EINVALID on field email for text no e-mail holds.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	if err := checkRunes("email", email, badInName); err != nil {
		return User{}, err
	}
	return s.user(ctx, func(tx Tx) (User, error) { return tx.UserByEmail(strings.ToLower(strings.TrimSpace(email))) })
}

func (s *Service) user(ctx context.Context, find func(Tx) (User, error)) (User, error) {
	var u User
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		if u, err = find(tx); err != nil || u.ID == p.UserID {
			return err
		}
		c := Company{PartnerID: u.PartnerID} // vendor staff, or a partner's managers
		if u.CompanyID != 0 {
			if c, err = tx.Company(u.CompanyID); err != nil {
				return err
			}
		}
		if !p.May(ActSeeCompany, c) {
			return NotFound("user")
		}
		return nil
	})
	return u, err
}

// Users lists the users of p's scope (ListScope), narrowed by f: a
// company's people, a partner's managers, or for vendor staff anyone.
func (s *Service) Users(ctx context.Context, f UserFilter) ([]User, error) {
	var out []User
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, f.CompanyID, ActSeeCompany)
		if err != nil {
			return err
		}
		sc.narrow(&f.CompanyID, &f.PartnerID)
		f.Limit = ClampLimit(f.Limit)
		out, err = tx.Users(f)
		return err
	})
	return out, err
}

// RecordLogin notes that user id logged in to the product now: the user
// may tell it themself, or those who may ActRecordLogin.
func (s *Service) RecordLogin(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx Tx, p Principal) error {
		if p.UserID != id && !p.May(ActRecordLogin, Company{}) {
			return NotFound("user")
		}
		return tx.TouchLogin(id, s.Clock.Now())
	})
}

// RecordSignIn notes that user id signed in to allot itself now, as their
// session begins: a member's invitation is accepted by it.
func (s *Service) RecordSignIn(ctx context.Context, id int64) error {
	return s.Store.Write(ctx, func(tx Tx) error { return tx.TouchSignIn(id, s.Clock.Now()) })
}

// managedUser returns user id, a member of a company, and their company
// when p may do act there.
func managedUser(tx Tx, p Principal, id int64, act Act) (User, Company, error) {
	u, err := tx.User(id)
	if err != nil {
		return User{}, Company{}, err
	}
	if u.CompanyID == 0 || !u.RemovedAt.IsZero() {
		return User{}, Company{}, NotFound("user")
	}
	c, err := CompanyFor(tx, p, u.CompanyID, act)
	if ErrorCode(err) == ENOTFOUND {
		return User{}, Company{}, NotFound("user")
	}
	return u, c, err
}

// addAct is the act of adding a person of role: whoever may add them may
// also welcome them again.
func addAct(r Role) Act {
	switch {
	case r == RoleLearner:
		return ActManageUsers
	case r == RoleCompanyManager:
		return ActAddManager
	case r == RolePartnerManager:
		return ActAddPartnerManager
	}
	return ActCreateStaff
}

// SendWelcome sends person id a new welcome mail, whose link replaces any
// they had: for someone whose link expired, or who never had one. Whoever
// may add the person may do it; a person p may not see reads as not found.
func (s *Service) SendWelcome(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.write(ctx, func(tx Tx, p Principal) error {
		var err error
		u, err = tx.User(id)
		if err != nil || !u.RemovedAt.IsZero() {
			return NotFound("user")
		}
		c := Company{PartnerID: u.PartnerID}
		if u.CompanyID != 0 {
			if c, err = VisibleCompany(tx, p, u.CompanyID); err != nil {
				return NotFound("user")
			}
		} else if !p.May(addAct(u.Role), c) {
			return NotFound("user")
		}
		if err := p.Must(addAct(u.Role), c); err != nil {
			return err
		}
		if err := s.Record(tx, p, c, "user.welcome", "user", u.ID, nil, nil); err != nil {
			return err
		}
		return QueueLinkMail(tx, MailWelcome, u, s.Clock.Now())
	})
	return u, err
}

// InactiveSince returns the instant before which a last login counts as
// inactive for days days.
func (s *Service) InactiveSince(days int) time.Time {
	return s.Clock.Now().AddDate(0, 0, -days)
}
