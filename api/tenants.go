package api

import (
	"context"
	"errors"
	"slices"
	"strings"

	"allot"
)

type listOutput[T any] struct {
	Body page[T]
}

func list[T, U any](items []T, err error, f func(T) U) (*listOutput[U], error) {
	if err != nil {
		return nil, err
	}
	return &listOutput[U]{Body: page[U]{Items: mapSlice(items, f)}}, nil
}

type body[T any] struct {
	Body T
}

func one[T, U any](v T, err error, f func(T) U) (*body[U], error) {
	if err != nil {
		return nil, err
	}
	return &body[U]{Body: f(v)}, nil
}

type partnersInput struct {
	AccountManagerID int64  `query:"account_manager_id" minimum:"1" doc:"Only the partners of this account manager."`
	Cursor           string `query:"cursor" doc:"The next value of the previous page."`
	Limit            int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) partners(ctx context.Context, in *partnersInput) (*listOutput[partner], error) {
	after, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	ps, err := s.svc.Partners(ctx, allot.PartnerFilter{AccountManagerID: in.AccountManagerID, AfterID: after, Limit: in.Limit})
	return paged(ps, err, in.Limit, func(p allot.Partner) int64 { return p.ID }, toPartner)
}

type newPartnerInput struct {
	Body struct {
		Name             string `json:"name" minLength:"1" maxLength:"200" example:"Northwind Resellers"`
		AccountManagerID int64  `json:"account_manager_id,omitempty" doc:"The vendor's account manager owning the partner."`
	}
}

func (s *Server) createPartner(ctx context.Context, in *newPartnerInput) (*body[partner], error) {
	p, err := s.svc.CreatePartner(ctx, allot.Partner{Name: in.Body.Name, AccountManagerID: in.Body.AccountManagerID})
	return one(p, err, toPartner)
}

func (s *Server) partner(ctx context.Context, in *idInput) (*body[partner], error) {
	p, err := s.svc.Partner(ctx, in.ID)
	return one(p, err, toPartner)
}

type companiesInput struct {
	PartnerID int64  `query:"partner_id" minimum:"1" doc:"Only this partner's customers."`
	Direct    bool   `query:"direct" doc:"Only the vendor's direct customers."`
	Q         string `query:"q" maxLength:"200" doc:"Text in the company's name."`
	Cursor    string `query:"cursor" doc:"The next value of the previous page."`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) companies(ctx context.Context, in *companiesInput) (*listOutput[company], error) {
	after, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	cs, err := s.svc.Companies(ctx, allot.CompanyFilter{PartnerID: in.PartnerID, DirectOnly: in.Direct, Search: in.Q,
		AfterID: after, Limit: in.Limit})
	return paged(cs, err, in.Limit, func(c allot.Company) int64 { return c.ID }, toCompany)
}

// OrderFields are the fields of an order request.
type OrderFields struct {
	Product    string `json:"product" minLength:"1" maxLength:"40" example:"premium" doc:"The product's code."`
	Quantity   int    `json:"quantity" minimum:"1" maximum:"1000000" example:"50"`
	PORef      string `json:"po_ref,omitempty" maxLength:"100" example:"PO-2026-118" doc:"The purchase-order reference."`
	Note       string `json:"note,omitempty" maxLength:"2000"`
	TermMonths int    `json:"term_months,omitempty" minimum:"0" maximum:"60" doc:"The term in calendar months; the product's default (12) when neither term is given."`
	TermDays   int    `json:"term_days,omitempty" minimum:"0" maximum:"1830" doc:"A custom term in days, instead of months."`
}

func (f OrderFields) order(companyID int64) allot.NewOrder {
	return allot.NewOrder{CompanyID: companyID, ProductCode: f.Product, Quantity: f.Quantity, PORef: f.PORef,
		Note: f.Note, TermMonths: f.TermMonths, TermDays: f.TermDays}
}

type newCompanyInput struct {
	Body struct {
		Name             string        `json:"name" minLength:"1" maxLength:"200" example:"Acme Logistics"`
		PartnerID        int64         `json:"partner_id,omitempty" doc:"The partner (vendor staff only); a partner manager's own partner by default."`
		AccountManagerID int64         `json:"account_manager_id,omitempty"`
		DefaultProduct   string        `json:"default_product,omitempty" example:"premium" doc:"The product a new learner gets a seat of at once."`
		FirstOrder       *OrderFields  `json:"first_order,omitempty" doc:"An order to request for the new company, from its purchase order."`
		Manager          *PersonFields `json:"manager,omitempty" doc:"The company's first manager, welcomed at once with a link to choose their password."`
	}
}

type newCompanyOutput struct {
	Body struct {
		Company company `json:"company"`
		Order   *order  `json:"order,omitempty"`
	}
}

func (s *Server) createCompany(ctx context.Context, in *newCompanyInput) (*newCompanyOutput, error) {
	nc := allot.NewCompany{Name: in.Body.Name, PartnerID: in.Body.PartnerID, AccountManagerID: in.Body.AccountManagerID,
		DefaultProductCode: in.Body.DefaultProduct}
	if in.Body.FirstOrder != nil {
		o := in.Body.FirstOrder.order(0)
		nc.FirstOrder = &o
	}
	if in.Body.Manager != nil {
		m := in.Body.Manager.user(allot.RoleCompanyManager)
		nc.Manager = &m
	}
	c, o, err := s.svc.CreateCompany(ctx, nc)
	if err != nil {
		return nil, inNewCompany(err)
	}
	out := &newCompanyOutput{}
	out.Body.Company = toCompany(c)
	if o != nil {
		ro := toOrder(*o)
		out.Body.Order = &ro
	}
	return out, nil
}

// inNewCompany locates an invalid field where a new company's request
// holds it: the order's fields inside first_order, the first manager's
// (manager_…) inside manager.
func inNewCompany(err error) error {
	var e *allot.Error
	if !errors.As(err, &e) || e.Code != allot.EINVALID {
		return err
	}
	if f, ok := strings.CutPrefix(e.Field, "manager_"); ok {
		return &allot.Error{Code: e.Code, Field: "manager." + f, Message: e.Message}
	}
	if slices.Contains([]string{"product", "quantity", "po_ref", "note", "term_months", "term_days"}, e.Field) {
		return &allot.Error{Code: e.Code, Field: "first_order." + e.Field, Message: e.Message}
	}
	return err
}

func (s *Server) company(ctx context.Context, in *idInput) (*body[company], error) {
	c, err := s.svc.Company(ctx, in.ID)
	return one(c, err, toCompany)
}

type updateCompanyInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Suspended bool `json:"suspended" doc:"A suspended company's learners lose access at once."`
	}
}

func (s *Server) updateCompany(ctx context.Context, in *updateCompanyInput) (*body[company], error) {
	c, err := s.svc.SetCompanySuspended(ctx, in.ID, in.Body.Suspended)
	return one(c, err, toCompany)
}

func (s *Server) products(ctx context.Context, _ *struct{}) (*listOutput[product], error) {
	ps, err := s.svc.Products(ctx)
	return list(ps, err, toProduct)
}

type newProductInput struct {
	Body struct {
		Code       string `json:"code" minLength:"1" maxLength:"40" pattern:"^[a-z0-9-]+$" example:"ai-coach"`
		Name       string `json:"name" minLength:"1" maxLength:"200" example:"AI coach"`
		TermMonths int    `json:"term_months,omitempty" minimum:"0" maximum:"60" doc:"The default term of its orders; 12 when absent."`
		URL        string `json:"url,omitempty" maxLength:"2000" example:"https://learn.example.com" doc:"Where its learners use it: an https address."`
	}
}

func (s *Server) createProduct(ctx context.Context, in *newProductInput) (*body[product], error) {
	p, err := s.svc.CreateProduct(ctx, allot.Product{Code: in.Body.Code, Name: in.Body.Name, TermMonths: in.Body.TermMonths,
		URL: in.Body.URL})
	return one(p, err, toProduct)
}

// PersonFields are the fields of a new person.
type PersonFields struct {
	Email      string `json:"email" minLength:"3" maxLength:"254" example:"ada.costa@acme.example"`
	FirstName  string `json:"first_name,omitempty" maxLength:"200" example:"Ada"`
	LastName   string `json:"last_name,omitempty" maxLength:"200" example:"Costa"`
	Department string `json:"department,omitempty" maxLength:"200" example:"Sales"`
	Welcome    *bool  `json:"welcome,omitempty" doc:"Send them a welcome mail with a one-time link to choose their password; true when absent."`
	Lang       string `json:"lang,omitempty" enum:"en,fr,de,es" doc:"The language of their mail; English when absent."`
	Zone       string `json:"zone,omitempty" maxLength:"64" example:"Europe/Paris" doc:"The IANA time zone their mail gives times in; UTC when absent."`
}

func (f PersonFields) user(role allot.Role) allot.NewUser {
	return allot.NewUser{Email: f.Email, FirstName: f.FirstName, LastName: f.LastName, Department: f.Department, Role: role,
		Lang: f.Lang, Zone: f.Zone, Welcome: f.Welcome == nil || *f.Welcome}
}

type newStaffInput struct {
	Body struct {
		PersonFields
		Role      allot.Role `json:"role" enum:"vendor_admin,account_manager,support_agent,success_manager,partner_manager"`
		PartnerID int64      `json:"partner_id,omitempty" doc:"The partner of a partner manager."`
	}
}

func (s *Server) createStaff(ctx context.Context, in *newStaffInput) (*body[user], error) {
	nu := in.Body.user(in.Body.Role)
	nu.PartnerID = in.Body.PartnerID
	u, err := s.svc.CreateStaff(ctx, nu)
	return one(u, err, toUser)
}
