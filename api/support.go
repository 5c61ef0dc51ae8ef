package api

import (
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/support"

	"github.com/danielgtaylor/huma/v2"
)

// MaxFilesBodyBytes bounds the body of an operation that carries files:
// as many attachments of the largest size as a message takes, in base64,
// with the text around them.
const MaxFilesBodyBytes = support.MaxAttachments*support.MaxAttachmentSize*4/3 + MaxBodyBytes

// supportRequest is a request to the support desk as the API shows it.
type supportRequest struct {
	ID          int64          `json:"id" example:"318"`
	CompanyID   int64          `json:"company_id,omitempty" example:"12" doc:"The requester's company; absent for a partner manager's own request."`
	Company     string         `json:"company,omitempty" example:"Acme Logistics"`
	PartnerID   int64          `json:"partner_id,omitempty" doc:"The company's partner, or the requesting partner manager's."`
	RequesterID int64          `json:"requester_id" example:"204"`
	Requester   string         `json:"requester" example:"ada.costa@acme.example" doc:"The requester's e-mail."`
	Subject     string         `json:"subject" example:"A learner cannot sign in"`
	Category    string         `json:"category" example:"member_access"`
	Team        string         `json:"team" enum:"support,success" doc:"Who answers it, as its category routes it or an escalation moved it."`
	Priority    string         `json:"priority" enum:"low,normal,high,urgent"`
	Status      string         `json:"status" enum:"new,open,waiting,solved,closed" doc:"waiting: on the customer, which stops the resolution clock."`
	AssigneeID  int64          `json:"assignee_id,omitempty" doc:"Who of the desk has it; absent while nobody has taken it."`
	Assignee    string         `json:"assignee,omitempty" example:"agent@vendor.example"`
	DueAt       *time.Time     `json:"due_at,omitempty" doc:"The soonest due of its running targets: the queue's order. Absent when none runs."`
	Breached    bool           `json:"breached" doc:"A target of it was missed."`
	EscalatedAt *time.Time     `json:"escalated_at,omitempty" doc:"When Support handed it to Customer Success."`
	Copies      []int64        `json:"copies,omitempty" doc:"The people copied on it besides the requester; when read alone."`
	Targets     []supportClock `json:"targets,omitempty" doc:"Its service-level targets, running and past; when read alone."`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// supportClock is one service-level target of a request.
type supportClock struct {
	Kind          string     `json:"kind" enum:"first_response,next_response,resolution"`
	LengthMinutes int        `json:"length_minutes" example:"720" doc:"The working time it allows, in minutes, as the request's priority and policy say."`
	StartedAt     time.Time  `json:"started_at"`
	DueAt         *time.Time `json:"due_at,omitempty" doc:"Missed from this instant; absent while paused."`
	WarnAt        *time.Time `json:"warn_at,omitempty" doc:"When three quarters of it have passed; absent while paused."`
	Paused        bool       `json:"paused" doc:"Stopped while waiting on the customer."`
	LeftMinutes   *int       `json:"left_minutes,omitempty" doc:"While paused: the working minutes it has left."`
	MetAt         *time.Time `json:"met_at,omitempty" doc:"When it was met; absent while it runs."`
	WarnedAt      *time.Time `json:"warned_at,omitempty"`
	BreachedAt    *time.Time `json:"breached_at,omitempty" doc:"When it was missed."`
}

// minutes is d in whole minutes, rounded down.
func minutes(d time.Duration) int { return int(d / time.Minute) }

func toSupportRequest(r support.Request) supportRequest {
	out := supportRequest{ID: r.ID, CompanyID: r.CompanyID, Company: r.Company, PartnerID: r.PartnerID, RequesterID: r.RequesterID,
		Requester: r.Requester, Subject: r.Subject, Category: r.Category, Team: string(r.Team), Priority: string(r.Priority),
		Status: string(r.Status), AssigneeID: r.AssigneeID, Assignee: r.Assignee, DueAt: optTime(r.DueAt), Breached: r.Breached,
		EscalatedAt: optTime(r.Escalated), Copies: r.Copies, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, t := range r.Targets {
		c := supportClock{Kind: string(t.Kind), LengthMinutes: minutes(t.Length), StartedAt: t.StartedAt, DueAt: optTime(t.Due),
			WarnAt: optTime(t.WarnAt), Paused: t.Paused, MetAt: optTime(t.MetAt), WarnedAt: optTime(t.WarnedAt), BreachedAt: optTime(t.BreachedAt)}
		if t.Paused {
			left := minutes(t.Left)
			c.LeftMinutes = &left
		}
		out.Targets = append(out.Targets, c)
	}
	return out
}

// supportMessage is one message of a request's conversation.
type supportMessage struct {
	ID          int64               `json:"id" example:"911"`
	RequestID   int64               `json:"request_id" example:"318"`
	Kind        string              `json:"kind" enum:"customer,reply,note" doc:"customer: from the requester's side; reply: the desk's answer; note: the desk's own, never shown to the customer."`
	AuthorID    int64               `json:"author_id"`
	Author      string              `json:"author" example:"agent@vendor.example" doc:"The author's e-mail."`
	Body        string              `json:"body"`
	Via         string              `json:"via" enum:"web,mail" doc:"web: the dashboard or the API; mail: a reply to one of the request's mails."`
	Attachments []supportAttachment `json:"attachments"`
	CreatedAt   time.Time           `json:"created_at"`
}

// supportAttachment is a file sent with a message; its bytes are at its
// href.
type supportAttachment struct {
	ID   int64  `json:"id" example:"57"`
	Name string `json:"name" example:"screenshot.png"`
	Type string `json:"type" example:"image/png" doc:"Its media type, as its bytes say."`
	Size int    `json:"size" example:"48211" doc:"In bytes."`
	Href string `json:"href" example:"/v1/support/attachments/57" doc:"Where its bytes are."`
}

func toSupportMessage(m support.Message) supportMessage {
	out := supportMessage{ID: m.ID, RequestID: m.RequestID, Kind: string(m.Kind), AuthorID: m.AuthorID, Author: m.Author, Body: m.Body,
		Via: m.Via, CreatedAt: m.CreatedAt, Attachments: []supportAttachment{}}
	for _, a := range m.Attachments {
		out.Attachments = append(out.Attachments, supportAttachment{ID: a.ID, Name: a.Name, Type: a.Type, Size: a.Size,
			Href: "/v1/support/attachments/" + strconv.FormatInt(a.ID, 10)})
	}
	return out
}

// fileIn is a file sent with a message, its bytes in base64.
type fileIn struct {
	Name string `json:"name" maxLength:"200" example:"screenshot.png" doc:"The file's name, as the requester knows it."`
	Data string `json:"data" example:"iVBORw0KGgo=" doc:"The file's bytes in base64 (standard, padded): a PNG, JPEG, GIF or WebP image, a PDF or plain text, as its bytes say, of at most 2 MB."`
}

// uploads decodes files, naming the first that is not base64.
func uploads(files []fileIn) ([]support.Upload, error) {
	out := make([]support.Upload, len(files))
	for i, f := range files {
		data, err := base64.StdEncoding.DecodeString(f.Data)
		if err != nil {
			return nil, allot.Invalid(fmt.Sprintf("attachments[%d].data", i), "%s is not in base64", f.Name)
		}
		out[i] = support.Upload{Name: f.Name, Data: data}
	}
	return out, nil
}

type supportRequestsInput struct {
	Team       string `query:"team" enum:"support,success" doc:"Only the requests of this team."`
	Status     string `query:"status" example:"new,open" doc:"One status or several, comma-separated: new, open, waiting, solved, closed."`
	Active     bool   `query:"active" doc:"Only the requests not solved nor closed."`
	Priority   string `query:"priority" enum:"low,normal,high,urgent"`
	Breached   bool   `query:"breached" doc:"Only the requests with a target missed."`
	CompanyID  int64  `query:"company_id" minimum:"1" doc:"Only this company's requests."`
	PartnerID  int64  `query:"partner_id" minimum:"1" doc:"Only the requests of this partner's customers and managers; for the vendor's staff."`
	AssigneeID int64  `query:"assignee_id" minimum:"1" doc:"Only the requests assigned to this person of the desk."`
	Unassigned bool   `query:"unassigned" doc:"Only the requests nobody of the desk has taken."`
	Queue      bool   `query:"queue" doc:"In the desk's order: urgent first, then by due time, those due at no time last. Newest first otherwise."`
	Limit      int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset     int    `query:"offset" minimum:"0" default:"0" doc:"How many requests of the list to skip."`
}

type supportRequestsOutput struct {
	Body struct {
		Items []supportRequest `json:"items"`
		Total int              `json:"total" doc:"How many requests the filters select in all."`
	}
}

// supportRequests lists the requests the caller sees: the desk every one,
// a partner manager their partner's, a company manager their company's,
// anyone else their own.
func (s *Server) supportRequests(ctx context.Context, in *supportRequestsInput) (*supportRequestsOutput, error) {
	f := support.RequestFilter{Team: support.Team(in.Team), Active: in.Active, Priority: support.Priority(in.Priority),
		Breached: in.Breached, CompanyID: in.CompanyID, PartnerID: in.PartnerID, AssigneeID: in.AssigneeID, Unassigned: in.Unassigned,
		Queue: in.Queue, Limit: in.Limit, Offset: in.Offset}
	for _, st := range strings.Split(in.Status, ",") {
		switch st := support.Status(strings.TrimSpace(st)); {
		case st == "":
		case st.Valid():
			f.Statuses = append(f.Statuses, st)
		default:
			return nil, allot.Invalid("status", "a status is new, open, waiting, solved or closed")
		}
	}
	rs, total, err := s.support.Requests(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &supportRequestsOutput{}
	out.Body.Items, out.Body.Total = mapSlice(rs, toSupportRequest), total
	return out, nil
}

type openRequestInput struct {
	Body struct {
		CompanyID   int64    `json:"company_id,omitempty" minimum:"1" doc:"The company the request is for: the requester's own when absent; the vendor's staff name it."`
		Subject     string   `json:"subject" maxLength:"200" example:"A learner cannot sign in" doc:"One line."`
		Body        string   `json:"body" maxLength:"20000" example:"Ana gets 'no seat' although the page says she has one." doc:"What happened and what was expected."`
		Category    string   `json:"category" maxLength:"40" example:"member_access" doc:"One of the categories of GET /v1/support/routes: it routes the request to its team."`
		Priority    string   `json:"priority,omitempty" enum:"low,normal,high,urgent" doc:"normal when absent."`
		CopySuccess bool     `json:"copy_success,omitempty" doc:"Copy the company's customer success contact on it."`
		Attachments []fileIn `json:"attachments,omitempty" maxItems:"5"`
	}
}

// openRequest opens a request as the caller: the category routes it, the
// first response is due as the company's policy says.
func (s *Server) openRequest(ctx context.Context, in *openRequestInput) (*body[supportRequest], error) {
	files, err := uploads(in.Body.Attachments)
	if err != nil {
		return nil, err
	}
	r, err := s.support.Open(ctx, support.NewRequest{CompanyID: in.Body.CompanyID, Subject: in.Body.Subject, Body: in.Body.Body,
		Category: in.Body.Category, Priority: support.Priority(in.Body.Priority), CopySuccess: in.Body.CopySuccess, Attachments: files})
	return one(r, err, toSupportRequest)
}

// supportThread is a request with its conversation, as its reader may see
// it.
type supportThread struct {
	Request  supportRequest   `json:"request"`
	Messages []supportMessage `json:"messages" doc:"By time; the desk's internal notes only for the desk."`
	Desk     bool             `json:"desk" doc:"The reader works the desk: may reply, note, assign and escalate."`
}

func (s *Server) supportRequest(ctx context.Context, in *idInput) (*body[supportThread], error) {
	th, err := s.support.Get(ctx, in.ID)
	return one(th, err, func(th support.Thread) supportThread {
		return supportThread{Request: toSupportRequest(th.Request), Messages: mapSlice(th.Messages, toSupportMessage), Desk: th.Desk}
	})
}

type messageInput struct {
	ID   int64 `path:"id" minimum:"1" example:"318" doc:"The request."`
	Body struct {
		Body        string   `json:"body" maxLength:"20000"`
		Attachments []fileIn `json:"attachments,omitempty" maxItems:"5"`
	}
}

// writeMessage adds a message of the customer's side: a request waiting
// or solved opens again, and the desk owes a next response.
func (s *Server) writeMessage(ctx context.Context, in *messageInput) (*body[supportMessage], error) {
	files, err := uploads(in.Body.Attachments)
	if err != nil {
		return nil, err
	}
	m, err := s.support.Write(ctx, in.ID, in.Body.Body, files)
	return one(m, err, toSupportMessage)
}

// attachmentOp registers the handler of an attachment's bytes, documented
// as the file types a message takes.
func attachmentOp[I any](s *Server, h func(context.Context, *I) (*huma.StreamResponse, error)) func(huma.Operation) {
	return func(o huma.Operation) {
		file := &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
		content := map[string]*huma.MediaType{}
		for _, t := range []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"} {
			content[t] = file
		}
		o.Responses = map[string]*huma.Response{"200": {
			Description: "The file's bytes, of the type its bytes were found to be when it was sent, to save rather than to open: " +
				"its name is in Content-Disposition.",
			Headers: map[string]*huma.Param{"Content-Disposition": {Schema: &huma.Schema{Type: "string"},
				Description: "attachment, with the file's name.", Example: `attachment; filename=screenshot.png`}},
			Content: content,
		}}
		op(s, h)(o)
	}
}

// attachment answers with an attachment's bytes, as a download whose type
// no browser second-guesses.
func (s *Server) attachment(ctx context.Context, in *idInput) (*huma.StreamResponse, error) {
	a, err := s.support.Attachment(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", a.Type)
		hc.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
		hc.SetHeader("Content-Length", strconv.Itoa(len(a.Data)))
		hc.SetHeader("X-Content-Type-Options", "nosniff")
		hc.SetStatus(http.StatusOK)
		hc.BodyWriter().Write(a.Data)
	}}, nil
}
