package api

import (
	"context"
	"errors"
	"strings"
	"time"

	"allot"
	"allot/programme"

	"github.com/danielgtaylor/huma/v2"
)

// InviteFields are the answers of the invite wizard's steps; planning,
// previewing and confirming an invitation take the same.
type InviteFields struct {
	PoolID      int64          `json:"pool_id,omitempty" minimum:"1" example:"9" doc:"The subscription (a pool of the company) each person gets a seat of; or define experiences."`
	Experiences []experienceIn `json:"experiences,omitempty" maxItems:"50" doc:"Instead of a subscription: one seat of each experience's product, from the company's pools of it."`
	Starts      string         `json:"starts,omitempty" example:"2027-01-10" doc:"The date the access starts, in zone; today when absent."`
	Emails      string         `json:"emails" example:"ana@acme.example, bo@acme.example" doc:"The people's e-mails, separated by commas, semicolons, spaces or new lines."`
	Lang        string         `json:"lang,omitempty" enum:"en,fr,de,es" doc:"The language of the mail; the programme's when absent."`
	SendDate    string         `json:"send_date,omitempty" example:"2027-01-08" doc:"The date the invitations go out, in zone, with send_time; at once when both are absent."`
	SendTime    string         `json:"send_time,omitempty" example:"09:30" doc:"The time of day the invitations go out, in zone, with send_date."`
	Zone        string         `json:"zone,omitempty" maxLength:"100" example:"Europe/Paris" doc:"The IANA time zone of starts, send_date and send_time; UTC when absent."`
	RemindDays  int            `json:"remind_days,omitempty" example:"7" doc:"Remind those who have not signed in this many days after the invitation (1 to 60); never when absent."`
}

type experienceIn struct {
	Product string `json:"product" maxLength:"40" example:"coaching" doc:"The product's code."`
	Months  int    `json:"months,omitempty" example:"6" doc:"The access lasts 3, 6 or 12 months; or give days."`
	Days    int    `json:"days,omitempty" example:"45" doc:"A custom access length in days, instead of months."`
}

// invite is the domain's Invite of programme id with these answers.
func (f InviteFields) invite(id int64) (programme.Invite, error) {
	in := programme.Invite{ProgrammeID: id, PoolID: f.PoolID, Emails: f.Emails, Lang: f.Lang, Zone: f.Zone, RemindDays: f.RemindDays}
	for _, e := range f.Experiences {
		in.Experiences = append(in.Experiences, programme.Experience{Product: e.Product, Months: e.Months, Days: e.Days})
	}
	var err error
	if in.Starts, err = startsWall(f.Starts); err != nil {
		return in, err
	}
	in.At, err = sendWall(f.SendDate, f.SendTime)
	return in, err
}

// startsWall reads the date an access starts on; the zero Wall (today)
// when it is empty.
func startsWall(date string) (programme.Wall, error) {
	if date == "" {
		return programme.Wall{}, nil
	}
	w, err := programme.ParseWall(date, "")
	if err != nil {
		return w, allot.Invalid("starts", "%s", allot.ErrorMessage(err))
	}
	return w, nil
}

// sendWall reads the date and time something is sent at, given together;
// the zero Wall (now, or unchanged) when both are empty.
func sendWall(date, clock string) (programme.Wall, error) {
	switch {
	case date == "" && clock == "":
		return programme.Wall{}, nil
	case date == "":
		return programme.Wall{}, allot.Invalid("send_date", "give the date to send on with the time")
	case clock == "":
		return programme.Wall{}, allot.Invalid("send_time", "give the time to send at with the date")
	}
	w, err := programme.ParseWall(date, clock)
	return w, inSend(err)
}

// sendFields are where a request holds the fields of a send time the
// domain names.
var sendFields = map[string]string{"date": "send_date", "time": "send_time"}

// inSend locates an invalid field of a send time where the request holds
// it: the domain's date and time are send_date and send_time.
func inSend(err error) error {
	var e *allot.Error
	if !errors.As(err, &e) || e.Code != allot.EINVALID {
		return err
	}
	if f, ok := sendFields[e.Field]; ok {
		return &allot.Error{Code: e.Code, Field: f, Message: e.Message}
	}
	return err
}

type inviteInput struct {
	ID   int64 `path:"id" minimum:"1" example:"42" doc:"The programme."`
	Body InviteFields
	base string // the address the request reached allot at
}

// Resolve keeps the address the request came to, for the links of a
// previewed mail.
func (in *inviteInput) Resolve(ctx huma.Context) []error {
	scheme := "http"
	if ctx.TLS() != nil {
		scheme = "https"
	}
	in.base = scheme + "://" + ctx.Host()
	return nil
}

type sendOut struct {
	At       time.Time `json:"at" doc:"The instant it is sent at, with the offset of zone."`
	Local    string    `json:"local" example:"2027-03-28 02:30" doc:"The date and time asked for, on the clocks of zone."`
	Zone     string    `json:"zone" example:"Europe/Berlin"`
	Shift    string    `json:"shift" enum:"none,gap,overlap" doc:"gap: the clocks go forward over the time asked, which is sent when they jump; overlap: they go back over it, and it is sent the first time."`
	Sentence string    `json:"sentence" example:"It is sent at 9:30 on 8 January 2027 in Europe/Paris." doc:"When it is sent, said for the manager, naming a change of the clocks."`
}

func toSend(r programme.Resolution) sendOut {
	return sendOut{At: r.At, Local: r.Asked.String(), Zone: r.At.Location().String(), Shift: r.Shift.String(), Sentence: r.Sentence()}
}

type inviteProblem struct {
	Email   string `json:"email" example:"bo@acme" doc:"The address as given."`
	Message string `json:"message" example:"is not a valid e-mail address"`
}

type drawOut struct {
	Product  string     `json:"product" example:"coaching" doc:"The product's code."`
	PoolID   int64      `json:"pool_id" example:"9"`
	Count    int        `json:"count" example:"3" doc:"The people who get a seat of the pool."`
	AskedEnd *time.Time `json:"asked_end,omitempty" doc:"The end the experience's length asks for; absent for a subscription."`
	Ends     time.Time  `json:"ends" doc:"When their access ends."`
	Short    bool       `json:"short" doc:"The pool ends before the length asked for: the access ends with it."`
	Length   string     `json:"length,omitempty" example:"6 months" doc:"The experience's length; absent for a subscription."`
}

type planOut struct {
	ProgrammeID int64           `json:"programme_id"`
	CompanyID   int64           `json:"company_id"`
	Emails      []string        `json:"emails" doc:"The people to invite, each once, in the order given."`
	Merged      []string        `json:"merged" doc:"The addresses given more than once, invited once."`
	Problems    []inviteProblem `json:"problems" doc:"The addresses that cannot be invited, and why; confirming is refused while any remains."`
	Draws       []drawOut       `json:"draws" doc:"The seats each person gets, and from which pools."`
	Starts      time.Time       `json:"starts" doc:"When the access starts."`
	Send        sendOut         `json:"send"`
	Now         bool            `json:"now" doc:"The invitations go out at once on confirmation."`
	Lang        string          `json:"lang" example:"fr"`
}

func toPlan(pl programme.Plan) planOut {
	return planOut{ProgrammeID: pl.Programme.ID, CompanyID: pl.Company.ID, Emails: orEmpty(pl.Emails), Merged: orEmpty(pl.Merged),
		Problems: mapSlice(pl.Problems, func(p programme.Problem) inviteProblem { return inviteProblem(p) }),
		Draws:    mapSlice(pl.Draws, toDraw), Starts: pl.Starts, Send: toSend(pl.Send), Now: pl.Now, Lang: pl.Lang}
}

func toDraw(d programme.Draw) drawOut {
	return drawOut{Product: d.Product.Code, PoolID: d.Pool.ID, Count: d.Count, AskedEnd: optTime(d.Asked), Ends: d.Ends, Short: d.Short,
		Length: d.Length}
}

// orEmpty is s, or an empty list for none: a list is never null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) planInvitations(ctx context.Context, in *inviteInput) (*body[planOut], error) {
	inv, err := in.Body.invite(in.ID)
	if err != nil {
		return nil, err
	}
	pl, err := s.programs.Plan(ctx, inv)
	return one(pl, inSend(err), toPlan)
}

type previewOut struct {
	Lang    string `json:"lang" example:"fr"`
	Subject string `json:"subject"`
	Text    string `json:"text" doc:"The plain-text body."`
	HTML    string `json:"html" doc:"The HTML body, saying the same."`
}

// previewInvitation answers with the mail the first person would get, its
// links leading to where people reach allot: the configured base address,
// or the one the request came to.
func (s *Server) previewInvitation(ctx context.Context, in *inviteInput) (*body[previewOut], error) {
	inv, err := in.Body.invite(in.ID)
	if err != nil {
		return nil, err
	}
	base := s.baseURL
	if base == "" {
		base = in.base
	}
	r, err := s.programs.Preview(ctx, inv, base)
	if err != nil {
		return nil, inSend(err)
	}
	return &body[previewOut]{Body: previewOut{Lang: r.Lang, Subject: r.Subject, Text: r.Text, HTML: r.HTML}}, nil
}

type confirmedOut struct {
	Sent      int     `json:"sent" doc:"Invitations that went out at once."`
	Scheduled int     `json:"scheduled" doc:"Invitations that go out later."`
	Sentence  string  `json:"sentence" example:"0 invitations sent, 3 scheduled."`
	Send      sendOut `json:"send"`
	IDs       []int64 `json:"ids" doc:"The invitations, in the order of the e-mails."`
}

func (s *Server) createInvitations(ctx context.Context, in *inviteInput) (*body[confirmedOut], error) {
	inv, err := in.Body.invite(in.ID)
	if err != nil {
		return nil, err
	}
	c, err := s.programs.Confirm(ctx, inv)
	return one(c, inSend(err), func(c programme.Confirmed) confirmedOut {
		return confirmedOut{Sent: c.Sent, Scheduled: c.Scheduled, Sentence: c.Sentence(), Send: toSend(c.Send), IDs: orEmpty(c.IDs)}
	})
}

type invitationOut struct {
	ID           int64      `json:"id" example:"77"`
	ProgrammeID  int64      `json:"programme_id"`
	CompanyID    int64      `json:"company_id"`
	UserID       int64      `json:"user_id"`
	Email        string     `json:"email" example:"ana@acme.example"`
	Name         string     `json:"name,omitempty"`
	Status       string     `json:"status" enum:"scheduled,invited,accepted,active,expired,cancelled"`
	Lang         string     `json:"lang" example:"fr"`
	Zone         string     `json:"zone" example:"Europe/Paris"`
	SendAt       time.Time  `json:"send_at" doc:"When it goes out, or went out, in UTC."`
	Send         sendOut    `json:"send" doc:"How its time was asked for and resolved."`
	SentAt       *time.Time `json:"sent_at,omitempty" doc:"When it went out; absent while scheduled."`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	RemindDays   int        `json:"remind_days"`
	AccessStarts *time.Time `json:"access_starts,omitempty" doc:"When the member's access starts."`
	AccessEnds   *time.Time `json:"access_ends,omitempty" doc:"When it ends, or ended."`
	SeatIDs      []int64    `json:"seat_ids" doc:"The seats reserved for the member."`
	CreatedAt    time.Time  `json:"created_at"`
}

// toInvitation shows invitations with their status at now.
func toInvitation(now time.Time) func(programme.Invitation) invitationOut {
	return func(i programme.Invitation) invitationOut {
		starts, ends := i.Access()
		return invitationOut{ID: i.ID, ProgrammeID: i.ProgrammeID, CompanyID: i.CompanyID, UserID: i.UserID, Email: i.Email, Name: i.Name,
			Status: i.Status(now), Lang: i.Lang, Zone: i.Zone, SendAt: i.SendAt.UTC(),
			Send:   toSend(i.Resolution()),
			SentAt: optTime(i.SentAt), CancelledAt: optTime(i.CancelledAt), RemindDays: i.RemindDays,
			AccessStarts: optTime(starts), AccessEnds: optTime(ends),
			SeatIDs: mapSlice(i.Seats, func(s allot.Seat) int64 { return s.ID }), CreatedAt: i.CreatedAt}
	}
}

type invitationsInput struct {
	ID        int64 `path:"id" minimum:"1" example:"12" doc:"The company."`
	Scheduled bool  `query:"scheduled" default:"true" doc:"The invitations not sent nor cancelled, the only ones listed by company: those sent are a programme's members."`
}

func (s *Server) invitations(ctx context.Context, in *invitationsInput) (*listOutput[invitationOut], error) {
	if !in.Scheduled {
		return nil, allot.Invalid("scheduled", "a company lists its scheduled invitations; those sent are its programmes' members")
	}
	invs, err := s.programs.Scheduled(ctx, in.ID)
	return list(invs, err, toInvitation(s.svc.Clock.Now()))
}

type programmeMembersInput struct {
	ID     int64  `path:"id" minimum:"1" example:"42" doc:"The programme."`
	Status string `query:"status" maxLength:"200" example:"invited,active" doc:"One status or several, comma-separated: scheduled, invited, accepted, active, expired, cancelled."`
}

func (s *Server) programmeMembers(ctx context.Context, in *programmeMembersInput) (*listOutput[invitationOut], error) {
	var statuses []string
	for _, st := range strings.Split(in.Status, ",") {
		if st = strings.TrimSpace(st); st != "" {
			statuses = append(statuses, st)
		}
	}
	invs, err := s.programs.Members(ctx, in.ID, statuses...)
	return list(invs, err, toInvitation(s.svc.Clock.Now()))
}

type rescheduleInput struct {
	ID   int64 `path:"id" minimum:"1" example:"77"`
	Body struct {
		SendDate string `json:"send_date,omitempty" example:"2027-01-08" doc:"The date it goes out, in zone, with send_time; unchanged when both are absent."`
		SendTime string `json:"send_time,omitempty" example:"09:30" doc:"The time of day it goes out, with send_date."`
		Zone     string `json:"zone,omitempty" maxLength:"100" example:"Europe/Paris" doc:"The IANA time zone of the date and time; unchanged when absent."`
		Lang     string `json:"lang,omitempty" enum:"en,fr,de,es" doc:"The language of the mail; unchanged when absent."`
	}
}

func (s *Server) rescheduleInvitation(ctx context.Context, in *rescheduleInput) (*body[invitationOut], error) {
	at, err := sendWall(in.Body.SendDate, in.Body.SendTime)
	if err != nil {
		return nil, err
	}
	inv, _, err := s.programs.Reschedule(ctx, in.ID, programme.Reschedule{At: at, Zone: in.Body.Zone, Lang: in.Body.Lang})
	return one(inv, inSend(err), toInvitation(s.svc.Clock.Now()))
}

func (s *Server) cancelInvitation(ctx context.Context, in *idInput) (*body[invitationOut], error) {
	inv, err := s.programs.Cancel(ctx, in.ID)
	return one(inv, err, toInvitation(s.svc.Clock.Now()))
}

func (s *Server) sendInvitationNow(ctx context.Context, in *idInput) (*body[invitationOut], error) {
	inv, err := s.programs.SendNow(ctx, in.ID)
	return one(inv, err, toInvitation(s.svc.Clock.Now()))
}

func (s *Server) resendInvitation(ctx context.Context, in *idInput) (*body[invitationOut], error) {
	inv, err := s.programs.Resend(ctx, in.ID)
	return one(inv, err, toInvitation(s.svc.Clock.Now()))
}
