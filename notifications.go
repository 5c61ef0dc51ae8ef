package allot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Notifications is what a company's managers were told and will be told.
type Notifications struct {
	Sent    []SentMail // newest first
	Queued  []Job      // mail jobs not sent yet, and those that failed
	Coming  []Reminder // reminders of live pools still to come
	Offsets []time.Duration
}

// Notifications returns company id's mail: sent, queued and to come (no
// reminder when the company turned them off). Those who may see the company
// may.
func (s *Service) Notifications(ctx context.Context, id int64) (Notifications, error) {
	var n Notifications
	err := s.read(ctx, func(tx Tx, p Principal) error {
		c, err := VisibleCompany(tx, p, id)
		if err != nil {
			return err
		}
		if n.Sent, err = tx.Mails(MailFilter{CompanyID: c.ID, Limit: MaxLimit}); err != nil {
			return err
		}
		if n.Queued, err = tx.Jobs(JobFilter{Kind: JobMail, CompanyID: c.ID, Statuses: []JobStatus{JobPending, JobFailed}, Limit: MaxLimit}); err != nil {
			return err
		}
		if n.Offsets = c.Offsets(); !c.Tells(MailReminder) {
			return nil // no reminder comes
		}
		now := s.Clock.Now()
		pools, err := tx.Pools(PoolFilter{CompanyID: c.ID, LiveAt: now})
		for _, pool := range pools {
			for _, r := range Reminders(pool, n.Offsets) {
				if r.DueAt.After(now) {
					n.Coming = append(n.Coming, r)
				}
			}
		}
		slices.SortFunc(n.Coming, func(a, b Reminder) int { return a.DueAt.Compare(b.DueAt) })
		return err
	})
	return n, err
}

// CompanyMails are the kinds of mail about a company that it may turn off:
// all but the welcome and reset mails, without which nobody gets in.
var CompanyMails = []string{MailAssigned, MailReminder, MailExpired, MailRequested, MailRejected, MailCancelled,
	MailSeatGiven, MailSeatRenewed, MailSeatReleased, MailInvitation}

// Tells reports whether mail of kind about company c is sent: every kind
// is, unless the company turned it off.
func (c Company) Tells(kind string) bool {
	return c.MailsOff == "" || !slices.Contains(strings.Split(c.MailsOff, ","), kind)
}

// SetCompanyMails sets which kinds of CompanyMails about company id are
// sent: those in on, and none of the others (ActSetReminders). A kind not
// of CompanyMails is EINVALID.
func (s *Service) SetCompanyMails(ctx context.Context, id int64, on []string) (Company, error) {
	var c Company
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, err := CompanyFor(tx, p, id, ActSetReminders)
		if err != nil {
			return err
		}
		for _, kind := range on {
			if !slices.Contains(CompanyMails, kind) {
				return Invalid("mails", "no kind of mail is called %q", kind)
			}
		}
		var off []string
		for _, kind := range CompanyMails {
			if !slices.Contains(on, kind) {
				off = append(off, kind)
			}
		}
		c = before
		c.MailsOff = strings.Join(off, ",")
		if err := tx.UpdateCompany(c); err != nil {
			return fmt.Errorf("set the mails of company %d: %w", id, err)
		}
		return s.Record(tx, p, c, "company.mails", "company", c.ID, before, c)
	})
	return c, err
}
