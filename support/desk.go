package support

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
)

// Change is what the desk changes of a request; nil fields stay.
type Change struct {
	Status     *Status
	Priority   *Priority
	AssigneeID *int64 // 0 gives it back to the team's queue
}

// Update changes a request's status, priority or assignee
// (ActWorkSupport). A new priority gives the running targets its lengths,
// counting the time they have run.
func (s *Service) Update(ctx context.Context, id int64, ch Change) (Request, error) {
	return s.change(ctx, id, "request.update", func(tx Tx, c *change) error {
		if err := mustDesk(c.p); err != nil {
			return err
		}
		if ch.Priority != nil && *ch.Priority != c.r.Priority {
			if !ch.Priority.Valid() {
				return allot.Invalid("priority", "the priority is one of %v", Priorities)
			}
			c.r.Priority = *ch.Priority
			c.clocks.retarget(c.r.Priority)
		}
		if ch.AssigneeID != nil {
			if err := assign(tx, c, *ch.AssigneeID); err != nil {
				return err
			}
		}
		if ch.Status != nil && *ch.Status != c.r.Status {
			if !ch.Status.Valid() || *ch.Status == StatusNew {
				return allot.Invalid("status", "the status is one of open, waiting, solved or closed")
			}
			c.setStatus(*ch.Status)
		}
		return nil
	})
}

// assign gives c's request to staff member id, who works the desk; 0
// leaves it unassigned.
func assign(tx Tx, c *change, id int64) error {
	if id == 0 {
		c.r.AssigneeID, c.r.Assignee = 0, ""
		return nil
	}
	u, err := tx.User(id)
	if err != nil || !u.RemovedAt.IsZero() || !u.Principal().May(allot.ActWorkSupport, allot.Company{}) {
		return allot.Invalid("assignee_id", "a request is assigned to someone of the support or customer success team")
	}
	c.r.AssigneeID, c.r.Assignee = u.ID, u.Email
	return nil
}

// Escalate hands request id from Support to Customer Success
// (ActWorkSupport), with the reason as an internal note. It goes to the
// company's success contact when it has one, who is told by mail; the
// clocks run on.
func (s *Service) Escalate(ctx context.Context, id int64, reason string) (Request, error) {
	return s.change(ctx, id, "request.escalate", func(tx Tx, c *change) error {
		if err := mustDesk(c.p); err != nil {
			return err
		}
		if c.r.Team == TeamSuccess {
			return allot.Errorf(allot.ECONFLICT, "request %d is with Customer Success already", id)
		}
		if strings.TrimSpace(reason) == "" {
			return allot.Invalid("reason", "say why Customer Success should take it")
		}
		note, err := s.addMessage(tx, c, MessageNote, "Escalated to Customer Success: "+reason, ViaWeb, nil)
		if err != nil {
			return err
		}
		a, err := account(tx, c.r.company())
		if err != nil {
			return err
		}
		c.r.Team, c.r.Escalated = TeamSuccess, c.now
		c.r.AssigneeID, c.r.Assignee = a.SuccessID, a.Success
		if a.SuccessID == 0 {
			return nil
		}
		return tellEscalated(tx, c.r, a.SuccessID, note, c.now)
	})
}

// CopySuccess copies the company's customer success contact on request
// id: the requester's side or the desk may. EINVALID when the company has
// no contact.
func (s *Service) CopySuccess(ctx context.Context, id int64) (Request, error) {
	return s.change(ctx, id, "request.copy", func(tx Tx, c *change) error {
		return s.copySuccess(tx, c.p, &c.r, c.now)
	})
}

// copySuccess copies the success contact of r's company on r and tells
// them.
func (s *Service) copySuccess(tx Tx, p allot.Principal, r *Request, now time.Time) error {
	a, err := account(tx, r.company())
	if err != nil {
		return err
	}
	if a.SuccessID == 0 {
		return allot.Invalid("copy_success", "%s has no customer success contact yet", cmpName(r))
	}
	if slices.Contains(r.Copies, a.SuccessID) {
		return nil
	}
	if err := tx.AddCopy(r.ID, a.SuccessID); err != nil {
		return fmt.Errorf("copy on request %d: %w", r.ID, err)
	}
	r.Copies = append(r.Copies, a.SuccessID)
	return tellCopied(tx, *r, a.SuccessID, now)
}

// cmpName is how a request's side is named: its company, or its partner.
func cmpName(r *Request) string {
	if r.Company != "" {
		return r.Company
	}
	return "your partner account"
}
