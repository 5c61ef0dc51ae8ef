package programme

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"allot"
)

// Scheduled returns company id's invitations not sent and not cancelled,
// those that go out first first, each with its person and seats.
func (s *Service) Scheduled(ctx context.Context, companyID int64) ([]Invitation, error) {
	var out []Invitation
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if _, err := allot.VisibleCompany(tx, p, companyID); err != nil {
			return err
		}
		var err error
		out, err = tx.Invitations(InvitationFilter{CompanyID: companyID, Scheduled: true})
		slices.SortStableFunc(out, func(a, b Invitation) int { return a.SendAt.Compare(b.SendAt) })
		return err
	})
	return out, err
}

// Reserved returns, for each pool of company id, how many of its seats are
// reserved for invitations not sent yet.
func (s *Service) Reserved(ctx context.Context, companyID int64) (map[int64]int, error) {
	out := map[int64]int{}
	invs, err := s.Scheduled(ctx, companyID)
	for _, inv := range invs {
		for _, seat := range inv.Seats {
			out[seat.PoolID]++
		}
	}
	return out, err
}

// Reschedule is a change to a scheduled invitation: when it goes out, in
// which zone, in which language. Zero fields keep what it has.
type Reschedule struct {
	At   Wall
	Zone string
	Lang string
}

// Reschedule changes when scheduled invitation id goes out, or its
// language; the mail queued before is not sent. One that went out or was
// cancelled is ECONFLICT. It returns the invitation and how its time was
// resolved.
func (s *Service) Reschedule(ctx context.Context, id int64, in Reschedule) (Invitation, Resolution, error) {
	var (
		inv Invitation
		r   Resolution
	)
	err := s.change(ctx, id, "invitation.reschedule", func(tx Tx, p allot.Principal, c allot.Company, i *Invitation, now time.Time) error {
		i.Lang, i.Zone = cmp.Or(in.Lang, i.Lang), cmp.Or(in.Zone, i.Zone)
		if !slices.Contains(allot.Languages, i.Lang) {
			return allot.Invalid("lang", "the language is one of %v", allot.Languages)
		}
		loc, err := LoadZone(i.Zone)
		if err != nil {
			return err
		}
		if r, _, err = sendAt(cmp.Or(in.At, i.Local), loc, now); err != nil {
			return err
		}
		i.Local, i.Shift, i.SendAt = r.Asked, r.Shift, r.At
		inv = *i
		return queue(tx, *i, now)
	})
	return inv, r, err
}

// SendNow sends scheduled invitation id at once.
func (s *Service) SendNow(ctx context.Context, id int64) (Invitation, error) {
	var inv Invitation
	err := s.change(ctx, id, "invitation.send_now", func(tx Tx, p allot.Principal, c allot.Company, i *Invitation, now time.Time) error {
		i.Local, i.Shift, i.SendAt, i.SentAt = wallAt(now.In(loadOrUTC(i.Zone))), NoShift, now, now
		if err := show(tx, *i); err != nil {
			return err
		}
		if err := queue(tx, *i, now); err != nil {
			return err
		}
		inv = *i
		return remind(tx, *i, i.ID, i.UserID, now)
	})
	return inv, err
}

// Cancel cancels scheduled invitation id: its seats go back to their pools
// at once, and a person made for it leaves the company again.
func (s *Service) Cancel(ctx context.Context, id int64) (Invitation, error) {
	var inv Invitation
	err := s.change(ctx, id, "invitation.cancel", func(tx Tx, p allot.Principal, c allot.Company, i *Invitation, now time.Time) error {
		i.CancelledAt = now
		inv = *i
		for _, seat := range i.Seats {
			if seat.ReleasedAt.IsZero() {
				if _, err := s.Ledger.ReleaseSeat(tx, p, c, seat, allot.ReasonCancelled); err != nil {
					return err
				}
			}
		}
		u, err := tx.User(i.UserID)
		if err != nil || !u.Pending {
			return err
		}
		// A person made for invitations leaves with the last of them.
		others, err := tx.Invitations(InvitationFilter{UserIDs: []int64{u.ID}, Scheduled: true})
		if err != nil || len(others) > 1 {
			return err
		}
		before := u
		u.Pending, u.RemovedAt = false, now
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "user.remove", "user", u.ID, before, u)
	})
	return inv, err
}

// change applies fn to scheduled invitation id in one transaction, with
// the audit event action, after checking that the acting principal may
// manage its company's programmes: one not scheduled any more (sent or
// cancelled) is ECONFLICT. The store refuses the change when the
// invitation went out meanwhile.
func (s *Service) change(ctx context.Context, id int64, action string, fn func(tx Tx, p allot.Principal, c allot.Company, inv *Invitation, now time.Time) error) error {
	return allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		inv, c, err := managed(tx, p, id)
		if err != nil {
			return err
		}
		if st := inv.Status(s.Ledger.Clock.Now()); st != StatusScheduled {
			return allot.Errorf(allot.ECONFLICT, "the invitation of %s is %s: only a scheduled one changes", inv.Email, st)
		}
		before := inv
		if err := fn(tx, p, c, &inv, s.Ledger.Clock.Now()); err != nil {
			return err
		}
		if err := tx.UpdateScheduled(inv); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, action, "invitation", inv.ID, before.terms(), inv.terms())
	})
}

// managed returns invitation id and its company, when the principal may
// manage the company's programmes; one of a company they may not see is
// not found.
func managed(tx Tx, p allot.Principal, id int64) (Invitation, allot.Company, error) {
	inv, err := tx.Invitation(id)
	if err != nil {
		return inv, allot.Company{}, err
	}
	c, err := allot.CompanyFor(tx, p, inv.CompanyID, allot.ActManageProgrammes)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return inv, c, allot.NotFound("invitation")
	}
	return inv, c, err
}

// invitationTerms is an invitation as the audit log keeps it.
type invitationTerms struct {
	UserID      int64
	Email       string
	Lang        string
	Zone        string
	Local       string
	SendAt      time.Time
	SentAt      time.Time
	CancelledAt time.Time
}

func (inv Invitation) terms() invitationTerms {
	return invitationTerms{inv.UserID, inv.Email, inv.Lang, inv.Zone, inv.Local.String(), inv.SendAt, inv.SentAt, inv.CancelledAt}
}

// queue queues the mail of inv due at its instant. Its key names the
// instant, so that a mail queued for an earlier one is a job of its own,
// which finds the invitation moved and sends nothing.
func queue(tx Tx, inv Invitation, now time.Time) error {
	return allot.QueueMail(tx, allot.Mail{Kind: allot.MailInvitation, InvitationID: inv.ID, CompanyID: inv.CompanyID,
		UserID: inv.UserID, DueAt: inv.SendAt}, now)
}

// remind queues the reminder of invitation id to userID, RemindDays after
// it went out at sent, when it asks for one.
func remind(tx Tx, inv Invitation, id, userID int64, sent time.Time) error {
	if inv.RemindDays == 0 {
		return nil
	}
	return allot.QueueMail(tx, allot.Mail{Kind: allot.MailInvitation, InvitationID: id, CompanyID: inv.CompanyID,
		UserID: userID, DueAt: sent.AddDate(0, 0, inv.RemindDays), Again: true}, sent)
}

// show lists inv's person among the company's people, as their invitation
// goes out.
func show(tx Tx, inv Invitation) error {
	u, err := tx.User(inv.UserID)
	if err != nil || !u.Pending {
		return err
	}
	u.Pending = false
	return tx.UpdateUser(u)
}

// Members returns the members of programme id, newest first, each with
// their status at now; only those of the statuses given, when any.
func (s *Service) Members(ctx context.Context, id int64, statuses ...string) ([]Invitation, error) {
	var out []Invitation
	for _, st := range statuses {
		if !slices.Contains(Statuses, st) {
			return nil, allot.Invalid("status", "a member's status is one of %s", strings.Join(Statuses, ", "))
		}
	}
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		pg, err := tx.Programme(id)
		if err != nil {
			return err
		}
		if _, err := allot.VisibleCompany(tx, p, pg.CompanyID); err != nil {
			return allot.NotFound("programme")
		}
		all, err := tx.Invitations(InvitationFilter{ProgrammeID: id})
		now := s.Ledger.Clock.Now()
		for i := len(all) - 1; i >= 0; i-- {
			if len(statuses) == 0 || slices.Contains(statuses, all[i].Status(now)) {
				out = append(out, all[i])
			}
		}
		return err
	})
	return out, err
}

// Resend sends invitation id again, with a new link, to a member who has
// not signed in since it went out (StatusInvited); ECONFLICT otherwise.
func (s *Service) Resend(ctx context.Context, id int64) (Invitation, error) {
	var inv Invitation
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var (
			c   allot.Company
			err error
		)
		if inv, c, err = managed(tx, p, id); err != nil {
			return err
		}
		now := s.Ledger.Clock.Now()
		if st := inv.Status(now); st != StatusInvited {
			return allot.Errorf(allot.ECONFLICT, "the invitation of %s is %s: only one not answered is sent again", inv.Email, st)
		}
		if err := allot.QueueMail(tx, allot.Mail{Kind: allot.MailInvitation, InvitationID: inv.ID, CompanyID: inv.CompanyID,
			UserID: inv.UserID, DueAt: now, Again: true}, now); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "invitation.resend", "invitation", inv.ID, nil, inv.terms())
	})
	return inv, err
}

// Sending is asked by the mail's deliverer as the mail of an invitation
// goes out, and returns it written in full. The first mail of an
// invitation is owed while it is not cancelled and still due at the
// instant the mail was queued for; it marks the invitation sent, once,
// and lists its person. A later one (Again: sent again, or a reminder) is
// owed while the member has not signed in. false: nothing is owed.
func (s *Service) Sending(ctx context.Context, m allot.Mail) (allot.Mail, bool, error) {
	owed := false
	err := s.Store.Write(ctx, func(tx Tx) error {
		inv, err := tx.Invitation(m.InvitationID)
		if allot.ErrorCode(err) == allot.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		now := s.Ledger.Clock.Now()
		switch {
		case !inv.CancelledAt.IsZero():
			return nil
		case m.Again:
			if inv.SentAt.IsZero() || inv.accepted() {
				return nil
			}
		case !inv.SendAt.Equal(m.DueAt):
			return nil // moved: the mail of its new instant sends it
		case inv.SentAt.IsZero():
			inv.SentAt = now
			if err := tx.MarkSent(inv.ID, now); err != nil {
				return err
			}
			if err := show(tx, inv); err != nil {
				return err
			}
			if err := remind(tx, inv, inv.ID, inv.UserID, now); err != nil {
				return err
			}
		}
		c, err := tx.Company(inv.CompanyID)
		if err != nil || !c.Tells(allot.MailInvitation) {
			return err // the company sends no invitation mail: the invitation counts as sent all the same
		}
		owed = true
		m, err = s.write(tx, c, inv, m)
		return err
	})
	return m, owed, err
}

// write fills m with what the mail of inv says.
func (s *Service) write(tx Tx, c allot.Company, inv Invitation, m allot.Mail) (allot.Mail, error) {
	pg, err := tx.Programme(inv.ProgrammeID)
	if err != nil {
		return m, err
	}
	u, err := tx.User(inv.UserID)
	if err != nil {
		return m, err
	}
	var names []string
	for _, seat := range inv.Seats {
		pr, err := tx.Product(seat.ProductID)
		if err != nil {
			return m, err
		}
		names = append(names, pr.Name)
	}
	slices.Sort(names)
	m.Email, m.Name, m.Zone, m.Lang, m.Reader = u.Email, u.Name(), u.Zone, inv.Lang, allot.ReaderLearner
	m.Company, m.Programme, m.Product, m.SignIn = c.Name, pg.Name, strings.Join(names, ", "), u.PasswordHash != ""
	m.StartsAt, m.EndsAt = inv.Access()
	return m, nil
}
