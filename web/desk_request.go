package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"allot"
	"allot/support"
)

// deskRequestData is a request as the desk works on it: its clocks, its
// whole conversation, what may be done to it, and the requester's licences
// beside it.
type deskRequestData struct {
	Request    requestLine
	Targets    []targetLine
	Messages   []messageLine
	Licences   support.Licences
	Requester  string // their name
	Staff      []choice
	Me         string // the viewer's user ID, as the assignment form sends it
	Priorities []choice
	Replies    []choice // what a reply leaves the request as
	Statuses   []choice // what the status may be changed to
	Contact    string   // the company's success contact, to copy; "" when none or copied already
	Escalate   bool     // the request is Support's and may go to Customer Success
	Failed     string   // the form whose error the page shows
	fileLimits
}

// replyStatuses are what a reply leaves a request as.
var replyStatuses = []choice{{"open", "Open"}, {"waiting", "Waiting on customer"}, {"solved", "Solved"}}

// deskRequestPage shows request {id} to the desk.
func (s *Server) deskRequestPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActWorkSupport); !ok {
		return
	}
	s.renderDeskRequest(w, r, "", nil)
}

// renderDeskRequest shows the request of the path with formErr beside its
// field in the form named failed.
func (s *Server) renderDeskRequest(w http.ResponseWriter, r *http.Request, failed string, formErr error) {
	p, _ := allot.PrincipalFrom(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := s.deskRequest(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Failed = failed
	v := s.page(r, "Request #"+strconv.FormatInt(id, 10), d)
	v.Path = "/desk"
	s.renderForm(w, r, "desk_request", v, formErr)
}

// deskRequest reads what the desk's page of request id shows.
func (s *Server) deskRequest(ctx context.Context, p allot.Principal, id int64) (*deskRequestData, error) {
	th, err := s.support.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	labels, err := s.labels(ctx)
	if err != nil {
		return nil, err
	}
	now := s.svc.Clock.Now()
	req := th.Request
	d := &deskRequestData{Request: line(req, labels, now), Targets: targetLines(req, now), Messages: messageLines(th.Messages, true),
		Me: strconv.FormatInt(p.UserID, 10), Replies: replyStatuses, Priorities: choices(support.Priorities, priorityTexts),
		Escalate: req.Team == support.TeamSupport, fileLimits: attachmentLimits}
	for _, st := range support.Statuses[1:] { // a request is never made new again
		d.Statuses = append(d.Statuses, choice{string(st), statusTexts[st]})
	}
	if d.Licences, err = s.support.Licences(ctx, id); err != nil {
		return nil, err
	}
	d.Requester = d.Licences.Requester.Name()
	if d.Staff, err = s.deskStaff(ctx); err != nil {
		return nil, err
	}
	if req.Status != support.StatusClosed {
		d.Contact, err = s.uncopied(ctx, req)
	}
	return d, err
}

// deskStaff returns the people a request may be assigned to: the vendor's
// staff who work the desk, as the permission table says.
func (s *Server) deskStaff(ctx context.Context) ([]choice, error) {
	staff, err := s.svc.Staff(ctx)
	if err != nil {
		return nil, err
	}
	var out []choice
	for _, u := range staff {
		if u.RemovedAt.IsZero() && u.Principal().May(allot.ActWorkSupport, allot.Company{}) {
			out = append(out, choice{strconv.FormatInt(u.ID, 10), u.Name() + " (" + strings.ReplaceAll(string(u.Role), "_", " ") + ")"})
		}
	}
	return out, nil
}

// deskAction runs one of the desk's forms on request {id}: do reads the
// form and acts, returning the confirmation to show; its error is shown
// beside its field in the form named form.
func (s *Server) deskAction(form string, do func(r *http.Request, id int64) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.allowed(w, r, allot.ActWorkSupport); !ok {
			return
		}
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		r.Body = http.MaxBytesReader(w, r.Body, maxSupportBody)
		msg, err := do(r, id)
		if err != nil {
			s.renderDeskRequest(w, r, form, formError(err))
			return
		}
		s.done(w, r, deskPath(id), msg)
	}
}

// deskReply answers the requester.
func (s *Server) deskReply(r *http.Request, id int64) (string, error) {
	ups, err := readSupportForm(r)
	if err != nil {
		return "", err
	}
	in := support.Reply{Body: r.PostForm.Get("body"), Status: support.Status(r.PostForm.Get("status")), Attachments: ups}
	if _, err := s.support.Reply(r.Context(), id, in); err != nil {
		return "", err
	}
	return "Your reply was sent.", nil
}

// deskNote adds an internal note.
func (s *Server) deskNote(r *http.Request, id int64) (string, error) {
	ups, err := readSupportForm(r)
	if err != nil {
		return "", err
	}
	if _, err := s.support.Note(r.Context(), id, r.PostForm.Get("body"), ups); err != nil {
		return "", err
	}
	return "Your note was added. The customer does not see it.", nil
}

// deskAssign gives the request to someone of the desk, or back to the
// queue.
func (s *Server) deskAssign(r *http.Request, id int64) (string, error) {
	to := formInt(r, "assignee_id")
	req, err := s.support.Update(r.Context(), id, support.Change{AssigneeID: &to})
	if err != nil {
		return "", err
	}
	if req.AssigneeID == 0 {
		return "The request is back in the queue, assigned to nobody.", nil
	}
	return "The request is assigned to " + req.Assignee + ".", nil
}

// deskPriority changes the request's priority.
func (s *Server) deskPriority(r *http.Request, id int64) (string, error) {
	pr := support.Priority(r.PostFormValue("priority"))
	req, err := s.support.Update(r.Context(), id, support.Change{Priority: &pr})
	if err != nil {
		return "", err
	}
	return "The priority is " + strings.ToLower(priorityTexts[req.Priority]) + " now; its clocks follow it.", nil
}

// deskStatus changes the request's status.
func (s *Server) deskStatus(r *http.Request, id int64) (string, error) {
	st := support.Status(r.PostFormValue("status"))
	req, err := s.support.Update(r.Context(), id, support.Change{Status: &st})
	if err != nil {
		return "", err
	}
	return "The request is " + strings.ToLower(statusTexts[req.Status]) + " now.", nil
}

// deskEscalate hands the request to Customer Success.
func (s *Server) deskEscalate(r *http.Request, id int64) (string, error) {
	req, err := s.support.Escalate(r.Context(), id, r.PostFormValue("reason"))
	if err != nil {
		return "", err
	}
	if req.Assignee != "" {
		return "The request went to Customer Success, to " + req.Assignee + ".", nil
	}
	return "The request went to Customer Success's queue.", nil
}

// deskCopy copies the company's success contact on the request.
func (s *Server) deskCopy(r *http.Request, id int64) (string, error) {
	if _, err := s.support.CopySuccess(r.Context(), id); err != nil {
		return "", err
	}
	return "The customer success contact is copied on the request.", nil
}
