package api

import (
	"context"
	"io"
	"strconv"

	"allot"
	"allot/csvio"

	"github.com/danielgtaylor/huma/v2"
)

type membersInput struct {
	ID            int64        `path:"id" minimum:"1"`
	Product       string       `query:"product" maxLength:"40" doc:"The product whose licence status is shown; the company's default product when absent."`
	Status        allot.Status `query:"status" enum:"scheduled,active,expiring,expired,released,unlicensed" doc:"Only users whose licence has this status."`
	Role          allot.Role   `query:"role" enum:"company_manager,learner"`
	NeverLoggedIn bool         `query:"never_logged_in" doc:"Only users who never logged in to the product."`
	InactiveDays  int          `query:"inactive_days" minimum:"0" maximum:"3650" doc:"Only users with no login for this many days (or never)."`
	Q             string       `query:"q" maxLength:"200" doc:"Text in the e-mail or the name."`
	Cursor        string       `query:"cursor" doc:"The next value of the previous page."`
	Limit         int          `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) members(ctx context.Context, in *membersInput) (*listOutput[member], error) {
	after, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	f := allot.MemberFilter{ProductCode: in.Product, Status: in.Status, UserFilter: allot.UserFilter{
		Search: in.Q, NeverLoggedIn: in.NeverLoggedIn, AfterID: after, Limit: in.Limit}}
	if in.Role != "" {
		f.Roles = []allot.Role{in.Role}
	}
	if in.InactiveDays > 0 {
		f.InactiveSince = s.svc.InactiveSince(in.InactiveDays)
	}
	ms, err := s.svc.Members(ctx, in.ID, f)
	toSeatNow := toSeat(s.svc.Clock.Now())
	return paged(ms, err, in.Limit, func(m allot.Member) int64 { return m.ID }, func(m allot.Member) member {
		rm := member{User: toUser(m.User), Status: m.Status}
		if m.Seat != nil {
			st := toSeatNow(*m.Seat)
			rm.Seat = &st
		}
		return rm
	})
}

type exportInput struct {
	ID      int64        `path:"id" minimum:"1"`
	Product string       `query:"product" maxLength:"40" doc:"The product whose seats are shown; the company's default product when absent."`
	Status  allot.Status `query:"status" enum:"scheduled,active,expiring,expired,released,unlicensed" doc:"Only users whose licence has this status."`
}

// exportMembers answers with the company's users and their seats as CSV,
// with the header csvio.MemberHeader.
func (s *Server) exportMembers(ctx context.Context, in *exportInput) (*huma.StreamResponse, error) {
	f := allot.MemberFilter{ProductCode: in.Product, Status: in.Status, UserFilter: allot.UserFilter{Limit: 1}}
	// A company the caller may not see, or an unknown product, is answered
	// as a problem before the file starts.
	if _, err := s.svc.Members(ctx, in.ID, f); err != nil {
		return nil, err
	}
	return s.csvFile("users.csv", func(ctx context.Context, w io.Writer) error {
		return csvio.ExportMembers(ctx, s.svc, in.ID, f, w)
	}), nil
}

// cursor reads a paging cursor: empty for the first page.
func cursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, &allot.Error{Code: allot.EINVALID, Field: "cursor", Message: "the cursor is the next value of a previous page"}
	}
	return n, nil
}

type addUserInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		PersonFields
		Role allot.Role `json:"role,omitempty" enum:"learner,company_manager" doc:"learner when absent."`
	}
}

func (s *Server) addUser(ctx context.Context, in *addUserInput) (*body[user], error) {
	nu := in.Body.user(in.Body.Role)
	nu.CompanyID = in.ID
	u, err := s.svc.AddUser(ctx, nu)
	return one(u, err, toUser)
}

func (s *Server) user(ctx context.Context, in *idInput) (*body[user], error) {
	u, err := s.svc.User(ctx, in.ID)
	return one(u, err, toUser)
}

func (s *Server) sendWelcome(ctx context.Context, in *idInput) (*body[user], error) {
	u, err := s.svc.SendWelcome(ctx, in.ID)
	return one(u, err, toUser)
}

func (s *Server) removeUser(ctx context.Context, in *idInput) (*body[user], error) {
	u, err := s.svc.RemoveUser(ctx, in.ID)
	return one(u, err, toUser)
}

type updateUserInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		FirstName  *string    `json:"first_name,omitempty" maxLength:"200" example:"Ada" doc:"Unchanged when absent."`
		LastName   *string    `json:"last_name,omitempty" maxLength:"200" example:"Costa" doc:"Unchanged when absent."`
		Department *string    `json:"department,omitempty" maxLength:"200" example:"Sales" doc:"Unchanged when absent."`
		Role       allot.Role `json:"role,omitempty" enum:"learner,company_manager" doc:"Unchanged when absent. Making or unmaking a company manager needs the right to add one; nobody changes their own."`
	}
}

// updateUser changes a company's person; a field the company's directory
// owns for a person it provisioned is refused, naming it.
func (s *Server) updateUser(ctx context.Context, in *updateUserInput) (*body[user], error) {
	u, err := s.svc.UpdatePerson(ctx, in.ID, allot.PersonChange{FirstName: in.Body.FirstName, LastName: in.Body.LastName,
		Department: in.Body.Department, Role: in.Body.Role})
	return one(u, err, toUser)
}
