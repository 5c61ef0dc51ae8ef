package programme

import (
	"context"
	"fmt"
	"time"

	"allot"
)

// Invitation is one person invited to a programme, holding the seats
// reserved for them at confirmation. It keeps the wall time and zone its
// sending was asked for, the instant they resolved to and how.
type Invitation struct {
	ID          int64
	ProgrammeID int64
	CompanyID   int64
	UserID      int64
	Lang        string
	Zone        string
	Local       Wall  // when it was asked to go out, on the clocks of Zone
	Shift       Shift // what a change of those clocks did to Local
	SendAt      time.Time
	RemindDays  int
	InvitedBy   int64
	CreatedAt   time.Time
	SentAt      time.Time // zero until it went out
	CancelledAt time.Time

	// Read with it: its person and its seats.
	Email  string
	Name   string
	SeenAt time.Time // when the person last signed in to allot or logged in to the product
	Seats  []allot.Seat
}

// A member's status in a programme.
const (
	StatusScheduled = "scheduled" // the invitation has not gone out
	StatusInvited   = "invited"   // it went out; the member has not signed in since
	StatusAccepted  = "accepted"  // the member signed in; their access has not started
	StatusActive    = "active"    // the member signed in and has access
	StatusExpired   = "expired"   // the access has ended
	StatusCancelled = "cancelled" // the invitation was cancelled before it went out
)

// Statuses are a member's statuses, in the order of their life.
var Statuses = []string{StatusScheduled, StatusInvited, StatusAccepted, StatusActive, StatusExpired, StatusCancelled}

// Status returns where the member stands at now.
func (inv Invitation) Status(now time.Time) string {
	switch {
	case !inv.CancelledAt.IsZero():
		return StatusCancelled
	case inv.SentAt.IsZero():
		return StatusScheduled
	}
	live, ahead := false, false
	for _, seat := range inv.Seats {
		switch seat.Status(now) {
		case allot.StatusActive, allot.StatusExpiring:
			live = true
		case allot.StatusScheduled:
			ahead = true
		}
	}
	switch {
	case !live && !ahead:
		return StatusExpired
	case !inv.accepted():
		return StatusInvited
	case live:
		return StatusActive
	}
	return StatusAccepted
}

// Resolution is when the invitation goes out, as its sending was
// resolved from the wall time and zone it was given.
func (inv Invitation) Resolution() Resolution {
	return Resolution{Shift: inv.Shift, Asked: inv.Local, At: inv.SendAt.In(loadOrUTC(inv.Zone))}
}

// accepted reports whether the member signed in since the invitation went
// out.
func (inv Invitation) accepted() bool {
	return !inv.SentAt.IsZero() && !inv.SeenAt.Before(inv.SentAt)
}

// Access returns when the member's access starts and ends: the earliest
// start and the latest end of the seats reserved for them.
func (inv Invitation) Access() (starts, ends time.Time) {
	for i, seat := range inv.Seats {
		if i == 0 || seat.StartsAt.Before(starts) {
			starts = seat.StartsAt
		}
		if end := cmpEnd(seat); end.After(ends) {
			ends = end
		}
	}
	return starts, ends
}

// cmpEnd is when a seat's access ends: its end, or its release.
func cmpEnd(seat allot.Seat) time.Time {
	if !seat.ReleasedAt.IsZero() && seat.ReleasedAt.Before(seat.EndsAt) {
		return seat.ReleasedAt
	}
	return seat.EndsAt
}

// InvitationFilter selects invitations, by ID. Zero fields do not filter.
type InvitationFilter struct {
	ProgrammeID int64
	CompanyID   int64
	UserIDs     []int64
	Scheduled   bool // only those not sent and not cancelled
}

// Confirmed is what confirming an invitation did.
type Confirmed struct {
	Sent      int // invitations that go out at once
	Scheduled int // invitations that go out later
	Send      Resolution
	IDs       []int64
}

// Sentence says what confirming did, as the wizard's last step does.
func (c Confirmed) Sentence() string {
	return fmt.Sprintf("%d %s sent, %d scheduled.", c.Sent, plural(c.Sent, "invitation", "invitations"), c.Scheduled)
}

// Confirm does what Plan says inv would, in one transaction: it adds the
// people who are not yet in the company (listed only once their invitation
// goes out), reserves their seats through the kernel, and queues each
// invitation's mail at its instant. An address with a problem is EINVALID
// naming it: nothing is written until every address can be invited. Too
// few free seats, found now or taken meanwhile by another, is ECONFLICT.
func (s *Service) Confirm(ctx context.Context, inv Invite) (Confirmed, error) {
	var out Confirmed
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		pl, err := s.plan(tx, p, inv)
		if err != nil {
			return err
		}
		if len(pl.Problems) > 0 {
			return problemsError(pl.Problems)
		}
		now := s.Ledger.Clock.Now()
		ids, err := s.people(tx, p, pl, now)
		if err != nil {
			return err
		}
		// The draws of one product follow each other and give a seat to
		// each person once, in order.
		var seatIDs []int64
		next := 0
		for i, d := range pl.Draws {
			if i > 0 && d.Product.ID != pl.Draws[i-1].Product.ID {
				next = 0
			}
			given, err := s.Ledger.GrantSeats(tx, p, allot.SeatGrant{Company: pl.Company, ProductID: d.Product.ID, PoolID: d.Pool.ID,
				UserIDs: ids[next : next+d.Count], StartsAt: pl.Starts, Until: d.Asked, Action: "seat.invite", Invited: true})
			if err != nil {
				return err
			}
			for _, seat := range given.Seats() {
				seatIDs = append(seatIDs, seat.ID)
			}
			next += d.Count
		}
		tmpl := Invitation{ProgrammeID: pl.Programme.ID, CompanyID: pl.Company.ID, Lang: pl.Lang, Zone: pl.Zone,
			Local: pl.Send.Asked, Shift: pl.Send.Shift, SendAt: pl.Send.At, RemindDays: inv.RemindDays, InvitedBy: p.UserID,
			CreatedAt: now}
		if pl.Now {
			tmpl.SentAt = now
		}
		users := ids
		if out.IDs, err = tx.CreateInvitations(CreateInvitationsParams{Invitation: tmpl, UserIDs: users, SeatIDs: seatIDs}); err != nil {
			return err
		}
		for i, id := range out.IDs {
			m := allot.Mail{Kind: allot.MailInvitation, InvitationID: id, CompanyID: pl.Company.ID, UserID: users[i], DueAt: tmpl.SendAt}
			if err := allot.QueueMail(tx, m, now); err != nil {
				return err
			}
			if pl.Now {
				if err := remind(tx, tmpl, id, users[i], now); err != nil {
					return err
				}
			}
		}
		if pl.Now {
			out.Sent = len(out.IDs)
		} else {
			out.Scheduled = len(out.IDs)
		}
		out.Send = pl.Send
		return s.Ledger.Record(tx, p, pl.Company, "programme.invite", "programme", pl.Programme.ID, nil,
			invitedTerms{len(out.IDs), tmpl.Lang, tmpl.Zone, tmpl.Local.String(), tmpl.SendAt, pl.Starts})
	})
	return out, err
}

// invitedTerms is what the audit log keeps of a confirmed invitation.
type invitedTerms struct {
	People int
	Lang   string
	Zone   string
	Local  string
	SendAt time.Time
	Starts time.Time
}

// problemsError is the EINVALID error of addresses that cannot be invited,
// each named with why.
func problemsError(problems []Problem) error {
	msg := ""
	for i, pr := range problems {
		if i == 5 {
			msg += fmt.Sprintf("; and %d more", len(problems)-i)
			break
		}
		if i > 0 {
			msg += "; "
		}
		msg += pr.Email + " " + pr.Message
	}
	return allot.Invalid("emails", "%s", msg)
}

// people returns the IDs of pl's people in order, adding those the company
// does not have: new ones, and those removed from it before, who return.
// Those whose invitation goes out later are pending until it does.
func (s *Service) people(tx Tx, p allot.Principal, pl Plan, now time.Time) ([]int64, error) {
	existing, err := tx.UsersByEmail(pl.Emails)
	if err != nil {
		return nil, err
	}
	byEmail := make(map[string]allot.User, len(existing))
	for _, u := range existing {
		byEmail[u.Email] = u
	}
	ids := make([]int64, len(pl.Emails))
	for i, email := range pl.Emails {
		u, ok := byEmail[email]
		switch {
		case !ok:
			if u, err = s.Ledger.AddPerson(tx, p, pl.Company, allot.NewUser{Email: email, Role: allot.RoleLearner,
				Lang: pl.Lang, Zone: pl.Zone, Pending: !pl.Now}); err != nil {
				return nil, err
			}
		case !u.RemovedAt.IsZero():
			before := u
			u.RemovedAt, u.Pending = time.Time{}, !pl.Now
			if err := tx.UpdateUser(u); err != nil {
				return nil, err
			}
			if err := s.Ledger.Record(tx, p, pl.Company, "user.return", "user", u.ID, before, u); err != nil {
				return nil, err
			}
		case u.Pending && pl.Now:
			// Invited to another programme later, and to this one now.
			u.Pending = false
			if err := tx.UpdateUser(u); err != nil {
				return nil, err
			}
		}
		ids[i] = u.ID
	}
	return ids, nil
}
