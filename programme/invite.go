package programme

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
	"allot/account"
	"allot/mail"
)

// Invite is what inviting people to a programme takes: the wizard's steps.
// The seats come from a subscription (PoolID) or from one pool of each
// experience's product; the access starts on Starts, and the invitations go
// out At, both read in Zone.
type Invite struct {
	ProgrammeID int64
	PoolID      int64        // the subscription; or, when 0,
	Experiences []Experience // one seat of each
	Starts      Wall         // the date the access starts (its time is ignored); today when zero
	Emails      string       // separated by commas, semicolons, spaces or new lines
	Lang        string       // of the mail; the programme's when empty
	At          Wall         // when the invitations go out; now when zero
	Zone        string       // an IANA zone; UTC when empty
	RemindDays  int          // remind those who have not signed in this many days after; 0 never
}

// Experience is a product and a length of access, drawn from a pool of the
// product: Months of 3, 6 or 12, or a custom number of Days.
type Experience struct {
	Product string // its code
	Months  int
	Days    int
}

// Limits of an invitation.
const (
	MaxInvite     = 10000 // people in one invitation
	MaxDays       = 1095  // the longest custom access, three years
	MaxRemindDays = 60
)

// Months are the access lengths an experience offers besides a custom one.
var Months = []int{3, 6, 12}

// Plan is what an Invite would do, as the wizard reviews it before it is
// confirmed: nothing is written.
type Plan struct {
	Programme Programme
	Company   allot.Company
	Emails    []string  // the people to invite, each once, in the order given
	Merged    []string  // the addresses given more than once, invited once
	Problems  []Problem // the addresses that cannot be invited, and why
	Draws     []Draw    // the seats each person gets
	Starts    time.Time // when the access starts
	Send      Resolution
	Now       bool // the invitations go out at once
	Lang      string
	Zone      string
}

// Problem is an address that cannot be invited, and why.
type Problem struct {
	Email   string
	Message string
}

// Draw is some of the seats an Invite takes: Count people get a seat of
// Product from one pool, their access ending at Ends. An experience asks
// for an end (Asked) that the pool may not reach: Short says so.
type Draw struct {
	Product allot.Product
	Pool    allot.Pool
	Count   int
	Asked   time.Time // the end the experience's length asks for; zero for a subscription
	Ends    time.Time
	Short   bool
	Length  string // the experience's length as said: "6 months", "45 days"; "" for a subscription
}

// Invitees returns how many people the plan invites.
func (pl Plan) Invitees() int { return len(pl.Emails) }

// Plan checks inv and says what confirming it would do: whom it invites,
// which addresses it cannot and why, the seats each person gets and when
// the invitations go out. Too few free seats is ECONFLICT; a field that is
// wrong is EINVALID naming it.
func (s *Service) Plan(ctx context.Context, inv Invite) (Plan, error) {
	var pl Plan
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		var err error
		pl, err = s.plan(tx, p, inv)
		return err
	})
	return pl, err
}

// plan is Plan in the caller's transaction; the people it finds are keyed by
// e-mail.
func (s *Service) plan(tx Tx, p allot.Principal, inv Invite) (Plan, error) {
	var pl Plan
	pg, err := tx.Programme(inv.ProgrammeID)
	if err != nil {
		return pl, err
	}
	c, err := allot.CompanyFor(tx, p, pg.CompanyID, allot.ActManageProgrammes)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return pl, allot.NotFound("programme")
	} else if err != nil {
		return pl, err
	}
	now := s.Ledger.Clock.Now()
	pl = Plan{Programme: pg, Company: c, Lang: cmp.Or(inv.Lang, pg.Lang), Zone: cmp.Or(inv.Zone, allot.DefaultZone)}
	if !slices.Contains(allot.Languages, pl.Lang) {
		return pl, allot.Invalid("lang", "the language is one of %v", allot.Languages)
	}
	loc, err := LoadZone(pl.Zone)
	if err != nil {
		return pl, err
	}
	if pl.Send, pl.Now, err = sendAt(inv.At, loc, now); err != nil {
		return pl, err
	}
	if pl.Starts, err = startsAt(inv.Starts, loc, now); err != nil {
		return pl, err
	}
	if inv.RemindDays < 0 || inv.RemindDays > MaxRemindDays {
		return pl, allot.Invalid("remind_days", "a reminder comes 1 to %d days after the invitation, or never (0)", MaxRemindDays)
	}
	emails, problems := ParseEmails(inv.Emails)
	pl.Merged, pl.Problems = problems.merged, problems.bad
	if len(emails) > MaxInvite {
		return pl, allot.Invalid("emails", "%d addresses: at most %d people are invited at once", len(emails), MaxInvite)
	}
	products, err := s.products(tx, pg, inv)
	if err != nil {
		return pl, err
	}
	known, err := s.checkPeople(tx, &pl, c, emails, products, now)
	if err != nil {
		return pl, err
	}
	for _, e := range emails {
		if _, bad := known[e]; !bad {
			pl.Emails = append(pl.Emails, e)
		}
	}
	if len(pl.Emails) == 0 && len(pl.Problems) == 0 {
		return pl, allot.Invalid("emails", "give the e-mail of at least one person to invite")
	}
	pl.Draws, err = draws(tx, c, inv, products, len(pl.Emails), pl.Starts, now)
	return pl, err
}

// products returns the product of each seat inv draws: the subscription's,
// or each experience's, checked against what the programme offers.
func (s *Service) products(tx Tx, pg Programme, inv Invite) ([]allot.Product, error) {
	switch {
	case inv.PoolID != 0 && len(inv.Experiences) > 0:
		return nil, allot.Invalid("experiences", "choose a subscription or define experiences, not both")
	case inv.PoolID == 0 && len(inv.Experiences) == 0:
		return nil, allot.Invalid("pool_id", "choose a subscription or define at least one experience")
	case inv.PoolID != 0:
		pool, err := tx.Pool(inv.PoolID)
		if err != nil || pool.CompanyID != pg.CompanyID {
			return nil, allot.Invalid("pool_id", "no subscription %d in this company", inv.PoolID)
		}
		pr, err := tx.Product(pool.ProductID)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(pg.Products, pr.Code) {
			return nil, allot.Invalid("pool_id", "%s does not offer %s", pg.Name, pr.Name)
		}
		return []allot.Product{pr}, nil
	}
	var out []allot.Product
	for i, e := range inv.Experiences {
		field := fmt.Sprintf("experiences[%d]", i)
		pr, err := tx.ProductByCode(strings.TrimSpace(e.Product))
		switch {
		case err != nil || !slices.Contains(pg.Products, pr.Code):
			return nil, allot.Invalid(field+".product", "%s offers %s, not %q", pg.Name, strings.Join(pg.Products, ", "), e.Product)
		case slices.ContainsFunc(out, func(o allot.Product) bool { return o.ID == pr.ID }):
			return nil, allot.Invalid(field+".product", "%s is in two experiences: a person holds one seat of a product", pr.Name)
		case e.Days != 0 && e.Months != 0:
			return nil, allot.Invalid(field, "an access length is months or days, not both")
		case e.Days == 0 && !slices.Contains(Months, e.Months):
			return nil, allot.Invalid(field+".months", "the access lasts %v months, or a number of days", Months)
		case e.Months == 0 && (e.Days < 1 || e.Days > MaxDays):
			return nil, allot.Invalid(field+".days", "a custom access lasts 1 to %d days", MaxDays)
		}
		out = append(out, pr)
	}
	return out, nil
}

// checkPeople finds who the e-mails are and puts into pl a problem for
// each who cannot be invited: a person outside the company, one who is a
// member of the programme already or invited to it, one who holds a live
// seat of a product the invitation gives. It returns the e-mails with a
// problem.
func (s *Service) checkPeople(tx Tx, pl *Plan, c allot.Company, emails []string, products []allot.Product, now time.Time) (map[string]bool, error) {
	bad := map[string]bool{}
	people, err := tx.UsersByEmail(emails)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(people))
	byID := map[int64]allot.User{}
	for _, u := range people {
		if u.CompanyID != c.ID {
			pl.Problems = append(pl.Problems, Problem{u.Email, "has an account outside " + c.Name})
			bad[u.Email] = true
			continue
		}
		ids, byID[u.ID] = append(ids, u.ID), u
	}
	if len(ids) == 0 {
		return bad, nil
	}
	invited, err := tx.Invitations(InvitationFilter{ProgrammeID: pl.Programme.ID, UserIDs: ids})
	if err != nil {
		return nil, err
	}
	for _, inv := range invited {
		if inv.CancelledAt.IsZero() && !bad[inv.Email] {
			msg := "is a member of " + pl.Programme.Name + " already"
			if inv.SentAt.IsZero() {
				msg = "is invited to " + pl.Programme.Name + " already, on " + inv.SendAt.In(loadOrUTC(inv.Zone)).Format("2 January 2006 15:04 MST")
			}
			pl.Problems, bad[inv.Email] = append(pl.Problems, Problem{inv.Email, msg}), true
		}
	}
	for _, pr := range products {
		held, err := tx.Seats(allot.SeatFilter{UserIDs: ids, ProductID: pr.ID, LiveAt: now})
		if err != nil {
			return nil, err
		}
		for _, seat := range held {
			if u := byID[seat.UserID]; !bad[u.Email] {
				pl.Problems = append(pl.Problems, Problem{u.Email, "holds a seat of " + pr.Name + " already, until " + seat.EndsAt.Format(time.DateOnly)})
				bad[u.Email] = true
			}
		}
	}
	return bad, nil
}

// draws returns where the seats of n people come from: the subscription,
// or for each experience the company's live pools of its product with free
// seats, those that end first first, as the kernel gives them. Too few free
// seats is ECONFLICT; a pool that ends before the access starts is EINVALID.
func draws(tx Tx, c allot.Company, inv Invite, products []allot.Product, n int, starts, now time.Time) ([]Draw, error) {
	if n == 0 {
		return nil, nil
	}
	var out []Draw
	for i, pr := range products {
		var pools []allot.Pool
		var err error
		if inv.PoolID != 0 {
			pool, err := tx.Pool(inv.PoolID)
			if err != nil {
				return nil, err
			}
			if !pool.Live(now) {
				return nil, allot.Invalid("pool_id", "the subscription is %s", pool.Status(now))
			}
			pools = []allot.Pool{pool}
		} else if pools, err = tx.Pools(allot.PoolFilter{CompanyID: c.ID, ProductID: pr.ID, LiveAt: now, FreeOnly: true}); err != nil {
			return nil, err
		}
		var asked time.Time
		var length string
		if inv.PoolID == 0 {
			asked, length = inv.Experiences[i].end(starts)
		}
		left := n
		for _, pool := range pools {
			if left == 0 {
				break
			}
			take := min(left, pool.Free())
			if take == 0 {
				continue
			}
			if !pool.EndsAt.After(starts) {
				return nil, allot.Invalid("starts", "the access would start on %s, after the %s subscription that ends on %s",
					starts.Format(time.DateOnly), pr.Name, pool.EndsAt.Format(time.DateOnly))
			}
			d := Draw{Product: pr, Pool: pool, Count: take, Asked: asked, Ends: pool.EndsAt, Length: length}
			if !asked.IsZero() && asked.Before(pool.EndsAt) {
				d.Ends = asked
			}
			d.Short = !asked.IsZero() && asked.After(pool.EndsAt)
			out, left = append(out, d), left-take
		}
		if left > 0 {
			return nil, allot.Errorf(allot.ECONFLICT, "%d %s invited but only %d free %s of %s",
				n, plural(n, "person", "people"), n-left, plural(n-left, "seat", "seats"), pr.Name)
		}
	}
	return out, nil
}

// end returns the end of an access of e starting at starts, and its length
// as said.
func (e Experience) end(starts time.Time) (time.Time, string) {
	if e.Days != 0 {
		return starts.AddDate(0, 0, e.Days), plural(e.Days, fmt.Sprint(e.Days, " day"), fmt.Sprint(e.Days, " days"))
	}
	return starts.AddDate(0, e.Months, 0), fmt.Sprint(e.Months, " months")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sendAt resolves when invitations asked for at w in loc go out: at once
// when w is zero; a time that has passed is EINVALID.
func sendAt(w Wall, loc *time.Location, now time.Time) (Resolution, bool, error) {
	if w == (Wall{}) {
		return Resolution{At: now.In(loc), Asked: wallAt(now.In(loc))}, true, nil
	}
	r, err := SendInstant(w, loc)
	if err != nil {
		return r, false, err
	}
	if !r.At.After(now) {
		return r, false, allot.Invalid("time", "%s in %s has passed: choose a later time, or send now", w, loc)
	}
	return r, false, nil
}

// startsAt returns when an access asked to start on the date of w in loc
// starts: at the first instant of that day there, or now when it is today
// or zero. A day that has passed is EINVALID.
func startsAt(w Wall, loc *time.Location, now time.Time) (time.Time, error) {
	if w == (Wall{}) {
		return now, nil
	}
	w.Hour, w.Minute = 0, 0
	r, err := SendInstant(w, loc)
	if err != nil {
		return time.Time{}, allot.Invalid("starts", "%s", allot.ErrorMessage(err))
	}
	today := wallAt(now.In(loc))
	today.Hour, today.Minute = 0, 0
	switch {
	case w == today:
		return now, nil
	case r.At.Before(now):
		return time.Time{}, allot.Invalid("starts", "%d-%02d-%02d has passed: the access starts today or later", w.Year, w.Month, w.Day)
	}
	return r.At, nil
}

// ParseEmails splits text into e-mail addresses at commas, semicolons,
// spaces and new lines, in lower case, each once. It returns the valid
// ones in the order given, with a problem for each that is not an address
// and the list of those given more than once.
func ParseEmails(text string) ([]string, emailProblems) {
	var (
		out  []string
		p    emailProblems
		seen = map[string]bool{}
	)
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}) {
		e, err := allot.NormalizeEmail("emails", strings.Trim(f, "<>\"'"))
		switch {
		case err != nil:
			p.bad = append(p.bad, Problem{f, allot.ErrorMessage(err)})
		case seen[e]:
			if !slices.Contains(p.merged, e) {
				p.merged = append(p.merged, e)
			}
		default:
			seen[e], out = true, append(out, e)
		}
	}
	return out, p
}

// emailProblems are what ParseEmails found wrong with a list of addresses.
type emailProblems struct {
	bad    []Problem
	merged []string
}

// Preview returns the mail the first person of inv would get, written as
// it would go out from base (the address people reach allot at), but for
// the secret of its link: the wizard shows it before the invitation is
// confirmed.
func (s *Service) Preview(ctx context.Context, inv Invite, base string) (mail.Rendered, error) {
	var m allot.Mail
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		pl, err := s.plan(tx, p, inv)
		if err != nil {
			return err
		}
		if len(pl.Emails) == 0 {
			return problemsError(pl.Problems)
		}
		m = allot.Mail{Kind: allot.MailInvitation, CompanyID: pl.Company.ID, Company: pl.Company.Name, Programme: pl.Programme.Name,
			Email: pl.Emails[0], Name: pl.Emails[0], Lang: pl.Lang, Zone: pl.Zone, Reader: allot.ReaderLearner,
			StartsAt: pl.Starts, DueAt: pl.Send.At}
		var names []string
		for _, d := range pl.Draws {
			if !slices.Contains(names, d.Product.Name) {
				names = append(names, d.Product.Name)
			}
			if d.Ends.After(m.EndsAt) {
				m.EndsAt = d.Ends
			}
		}
		slices.Sort(names)
		m.Product = strings.Join(names, ", ")
		if u, err := tx.UserByEmail(pl.Emails[0]); err == nil {
			m.Name, m.Zone, m.SignIn = u.Name(), u.Zone, u.PasswordHash != ""
		}
		return nil
	})
	if err != nil {
		return mail.Rendered{}, err
	}
	now := s.Ledger.Clock.Now()
	d := mail.Deliverer{BaseURL: base}
	return d.Preview(m, now, now.Add(account.Lifetime(allot.MailWelcome)))
}
