package support

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"allot"
)

// Inbound is a mail received in answer to one of a request's mails.
type Inbound struct {
	Token       string // from the address it was sent to
	From        string // the sender's address
	Body        string // its new text, quoted history removed
	Attachments []Upload
}

// Receive adds an inbound mail to the conversation of the request its
// token names, as a message of its sender: the requester, someone of their
// side who sees the request, or someone copied. ENOTFOUND when the token
// names no request or the sender is none of those, so that the listener
// refuses it; ECONFLICT when the request is closed.
func (s *Service) Receive(ctx context.Context, in Inbound) (Message, error) {
	var m Message
	err := s.Store.Write(ctx, func(tx Tx) error {
		r, err := tx.RequestByToken(strings.ToLower(strings.TrimSpace(in.Token)))
		if err != nil {
			return err // ENOTFOUND names no request; another error is the store's, to try again
		}
		u, err := tx.UserByEmail(strings.ToLower(strings.TrimSpace(in.From)))
		if allot.ErrorCode(err) == allot.ENOTFOUND || (err == nil && !u.RemovedAt.IsZero()) {
			return allot.NotFound("request")
		}
		if err != nil {
			return err
		}
		p := u.Principal()
		if !sees(p, r) && !slices.Contains(r.Copies, u.ID) {
			return allot.NotFound("request")
		}
		if desk(p) {
			return allot.Errorf(allot.EINVALID, "the desk answers request %d on its page, where replies are timed and can be internal", r.ID)
		}
		_, err = s.changeTx(tx, p, r.ID, "request.message", func(tx Tx, c *change) error {
			m, err = s.write(tx, c, in.Body, ViaMail, in.Attachments)
			return err
		})
		if err != nil {
			return fmt.Errorf("request %d by mail: %w", r.ID, err)
		}
		return nil
	})
	return m, err
}
