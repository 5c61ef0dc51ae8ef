package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// routes is the route table of the API.
func (s *Server) routes() {
	public := []map[string][]string{}
	for _, r := range []struct {
		method, path, id, summary, tag string
		register                       func(huma.Operation)
	}{
		{"POST", "/v1/auth/login", "login", "Sign in with e-mail and password; sets the session cookie", "Signing in", op(s, s.login)},
		{"POST", "/v1/auth/logout", "logout", "Sign out of the session", "Signing in", op(s, s.logout)},
		{"GET", "/v1/me", "get-me", "The signed-in user, and the company acted in", "Signing in", op(s, s.me)},
		{"POST", "/v1/me/password", "change-password", "Change the signed-in user's password", "Signing in", op(s, s.changePassword)},
		{"GET", "/v1/me/tokens", "list-tokens", "The signed-in user's API tokens", "Signing in", op(s, s.tokens)},
		{"POST", "/v1/me/tokens", "create-token", "Make an API token; its secret is shown once", "Signing in", op(s, s.createToken)},
		{"DELETE", "/v1/me/tokens/{id}", "revoke-token", "Revoke an API token", "Signing in", op(s, s.revokeToken)},
		{"POST", "/v1/manage", "enter-company", "Enter manage-company mode in a customer company (session)", "Signing in", op(s, s.enterCompany)},
		{"DELETE", "/v1/manage", "leave-company", "Leave manage-company mode (session)", "Signing in", op(s, s.leaveCompany)},

		{"GET", "/v1/partners", "list-partners", "Partners the caller may see, by name, with cursor paging", "Tenants", op(s, s.partners)},
		{"POST", "/v1/partners", "create-partner", "Add a partner", "Tenants", op(s, s.createPartner)},
		{"GET", "/v1/partners/{id}", "get-partner", "One partner", "Tenants", op(s, s.partner)},
		{"GET", "/v1/companies", "list-companies", "Companies the caller may see, by name, with cursor paging", "Tenants", op(s, s.companies)},
		{"POST", "/v1/companies", "create-company", "Add a customer company, optionally with its first order", "Tenants", op(s, s.createCompany)},
		{"GET", "/v1/companies/{id}", "get-company", "One company", "Tenants", op(s, s.company)},
		{"PATCH", "/v1/companies/{id}", "update-company", "Suspend or reinstate a company", "Tenants", op(s, s.updateCompany)},
		{"GET", "/v1/products", "list-products", "Every product", "Tenants", op(s, s.products)},
		{"POST", "/v1/products", "create-product", "Add a product", "Tenants", op(s, s.createProduct)},
		{"POST", "/v1/staff", "create-staff", "Add vendor staff or a partner manager", "Tenants", op(s, s.createStaff)},

		{"GET", "/v1/companies/{id}/users", "list-members", "A company's users with their licence status", "Users", op(s, s.members)},
		{"POST", "/v1/companies/{id}/users", "add-user", "Add a user to a company; a learner gets a seat at once", "Users", op(s, s.addUser)},
		{"GET", "/v1/users/{id}", "get-user", "One user", "Users", op(s, s.user)},
		{"DELETE", "/v1/users/{id}", "remove-user", "Remove a user from their company; their seat is released", "Users", op(s, s.removeUser)},
		{"GET", "/v1/companies/{id}/users.csv", "export-members", "A company's users with their seats, as CSV safe to open in a spreadsheet", "Users", csvOp(s, s.exportMembers)},

		{"POST", "/v1/companies/{id}/imports", "upload-import", "Upload a file of users to add, or of learners to renew; its columns are read at once", "Imports", uploadOp(s, s.uploadImport)},
		{"GET", "/v1/companies/{id}/imports", "list-imports", "A company's latest imports, newest first", "Imports", op(s, s.imports)},
		{"GET", "/v1/imports/{id}", "get-import", "One import, with the progress of its current step", "Imports", op(s, s.getImport)},
		{"POST", "/v1/imports/{id}/preview", "preview-import", "Map the file's columns and preview what each row will do, in the background", "Imports", op(s, s.previewImport)},
		{"POST", "/v1/imports/{id}/confirm", "confirm-import", "Apply a previewed import exactly as previewed, in the background", "Imports", op(s, s.confirmImport)},
		{"GET", "/v1/imports/{id}/rows", "list-import-rows", "An import's rows as previewed: what each will do, or why it will not", "Imports", op(s, s.importRows)},
		{"GET", "/v1/imports/{id}/errors.csv", "get-import-errors", "The rows that change nothing, with their reasons, as CSV", "Imports", csvOp(s, s.importErrors)},

		{"GET", "/v1/orders", "list-orders", "Orders, filtered, newest or oldest first, with cursor paging", "Orders", op(s, s.orders)},
		{"POST", "/v1/orders", "request-order", "Request licences for a company", "Orders", op(s, s.requestOrder)},
		{"GET", "/v1/orders/{id}", "get-order", "One order", "Orders", op(s, s.order)},
		{"POST", "/v1/orders/{id}/assign", "assign-order", "Assign a requested order: its pool starts now", "Orders", op(s, s.assignOrder)},
		{"POST", "/v1/orders/{id}/cancel", "cancel-order", "Cancel a requested order", "Orders", op(s, s.cancelOrder)},
		{"POST", "/v1/orders/{id}/reject", "reject-order", "Reject a requested order with a reason", "Orders", op(s, s.rejectOrder)},

		{"GET", "/v1/companies/{id}/pools", "list-pools", "A company's licence pools", "Seats", op(s, s.pools)},
		{"GET", "/v1/seats", "list-seats", "Seats, filtered", "Seats", op(s, s.seats)},
		{"POST", "/v1/seats", "allocate-seat", "Give a learner a seat", "Seats", op(s, s.allocate)},
		{"POST", "/v1/seats/{id}/release", "release-seat", "Release a seat back to its pool", "Seats", op(s, s.release)},
		{"POST", "/v1/seats/{id}/reallocate", "reallocate-seat", "Move a seat to another learner of the company", "Seats", op(s, s.reallocate)},
		{"GET", "/v1/companies/{id}/expired", "list-expired", "Learners whose seat expired and who hold none now", "Seats", op(s, s.expired)},
		{"POST", "/v1/companies/{id}/renewals", "renew", "Give new seats to expired learners (chosen ones or all)", "Seats", op(s, s.renew)},

		{"GET", "/v1/audit", "list-events", "The audit log of the caller's scope, newest first", "Audit", op(s, s.events)},

		{"GET", "/v1/check", "check", "May this user use this product now?", "Entitlement", op(s, s.check)},
		{"POST", "/v1/logins", "record-login", "Record that a user logged in to the product", "Entitlement", op(s, s.recordLogin)},
	} {
		o := huma.Operation{OperationID: r.id, Method: r.method, Path: r.path, Summary: r.summary, Tags: []string{r.tag},
			MaxBodyBytes: MaxBodyBytes, Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}}
		switch r.method {
		case http.MethodPost, http.MethodPatch:
			o.Errors = append(o.Errors, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
		default:
			o.Errors = append(o.Errors, http.StatusUnprocessableEntity)
		}
		if r.id == "login" {
			o.Security = public
			o.Errors = []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusTooManyRequests}
		}
		if r.method == http.MethodPost && r.id != "login" && r.id != "logout" {
			o.Parameters = append(o.Parameters, &huma.Param{Name: "Idempotency-Key", In: "header", Schema: &huma.Schema{Type: "string", MaxLength: intp(255)},
				Description: "Makes the request happen once: the same key and body replay the first response for 24 hours."})
		}
		if r.path != "/v1/auth/login" && r.path != "/v1/auth/logout" {
			o.Parameters = append(o.Parameters, &huma.Param{Name: CompanyHeader, In: "header", Schema: &huma.Schema{Type: "integer"},
				Description: "Act in this customer company (manage-company mode)."})
		}
		r.register(o)
	}
}

func intp(n int) *int { return &n }

// op registers a handler whose domain errors become Problems.
func op[I, O any](s *Server, h func(context.Context, *I) (*O, error)) func(huma.Operation) {
	return func(o huma.Operation) {
		switch o.Method {
		case http.MethodPost:
			if o.OperationID != "login" && o.OperationID != "logout" && o.OperationID != "change-password" && o.OperationID != "leave-company" &&
				o.OperationID != "record-login" {
				o.DefaultStatus = defaultPostStatus(o.OperationID)
			}
		}
		huma.Register(s.API, o, func(ctx context.Context, in *I) (*O, error) {
			out, err := h(ctx, in)
			if err != nil {
				var se huma.StatusError
				if errors.As(err, &se) {
					return nil, err
				}
				return nil, s.problem(ctx, err, paramsIn(o.Method))
			}
			return out, nil
		})
	}
}

// paramsIn is where the input of a request with method m is: the query for
// the methods without a body.
func paramsIn(m string) string {
	if m == http.MethodGet || m == http.MethodDelete {
		return "query"
	}
	return "body"
}

// defaultPostStatus is 201 for a POST that creates something, 200 for one
// that acts on something that exists.
func defaultPostStatus(id string) int {
	switch id {
	case "create-token", "create-partner", "create-company", "create-product", "create-staff", "add-user",
		"request-order", "allocate-seat", "renew", "upload-import":
		return http.StatusCreated
	}
	return http.StatusOK
}
