package allot

import (
	"context"
	"slices"
	"time"
)

// Notifications is what a company's managers were told and will be told.
type Notifications struct {
	Sent    []SentMail // newest first
	Queued  []Job      // mail jobs not sent yet, and those that failed
	Coming  []Reminder // reminders of live pools still to come
	Offsets []time.Duration
}

// Notifications returns company id's mail: sent, queued and to come. Those
// who may see the company may.
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
		n.Offsets = c.Offsets()
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
