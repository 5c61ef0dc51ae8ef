package web

import "net/http"

// routes is the dashboard's route table.
func (s *Server) routes() {
	for _, r := range []struct {
		pattern string
		handler http.HandlerFunc
	}{
		{"GET /{$}", s.home},
		{"GET /login", s.loginPage},
		{"POST /login", s.login},
		{"POST /logout", s.logout},
		{"GET /login/code", s.codePage},
		{"POST /login/code", s.code},
		{"GET /login/enrol", s.enrolPage},
		{"POST /login/enrol", s.enrol},
		{"GET /login/enrol/qr.png", s.enrolQR},
		{"GET /password/forgot", s.forgotPage},
		{"POST /password/forgot", s.forgot},
		{"GET /link/{token}", s.linkPage},
		{"POST /link/{token}", s.useLink},
		{"GET /account", s.account},
		{"POST /account/password", s.changePassword},
		{"POST /account/factor/start", s.startFactor},
		{"GET /account/factor", s.factorPage},
		{"POST /account/factor", s.confirmFactor},
		{"GET /account/factor/qr.png", s.factorQR},
		{"POST /account/factor/off", s.turnOffFactor},
		{"POST /account/factor/recovery", s.newRecoveryCodes},
		{"POST /account/tokens", s.createToken},
		{"POST /account/tokens/{id}/revoke", s.revokeToken},
		{"POST /manage/exit", s.exit},
		{"POST /manage/{id}", s.enter},
		{"GET /me", s.learner},

		{"GET /customers", s.customersPage},
		{"GET /customers/new", s.newCustomer},
		{"POST /customers", s.createCustomer},
		{"GET /orders", s.ordersPage},
		{"POST /orders/{id}/assign", s.assignOrder},
		{"POST /orders/{id}/reject", s.rejectOrder},
		{"POST /orders/{id}/cancel", s.cancelOrder},
		{"GET /partners", s.partnersPage},
		{"POST /partners", s.createPartner},
		{"POST /partners/{id}/managers", s.addPartnerManager},
		{"GET /staff", s.staffPage},
		{"POST /staff", s.createStaff},
		{"GET /products", s.productsPage},
		{"POST /products", s.createProduct},
		{"GET /audit", s.auditPage},
		{"GET /outbox", s.outbox},

		{"GET /company/licences", s.licences},
		{"GET /company/orders", s.companyOrders},
		{"POST /company/orders", s.requestLicences},
		{"GET /company/users", s.users},
		{"GET /company/users.csv", s.exportUsers},
		{"GET /company/users/import", s.usersImport},
		{"POST /company/users", s.addUser},
		{"POST /company/users/{id}/remove", s.removeUser},
		{"POST /users/{id}/welcome", s.sendWelcome},
		{"POST /company/seats/{id}/release", s.releaseSeat},
		{"POST /company/seats/{id}/reallocate", s.reallocateSeat},
		{"GET /company/expired", s.expired},
		{"POST /company/expired", s.renew},
		{"GET /company/expired/import", s.renewalsImport},
		{"POST /company/imports", s.createImport},
		{"GET /company/imports/{id}", s.importPage},
		{"POST /company/imports/{id}/preview", s.previewImport},
		{"POST /company/imports/{id}/confirm", s.confirmImport},
		{"GET /company/imports/{id}/errors.csv", s.importErrors},
		{"GET /company/audit", s.companyAudit},
		{"GET /company/notifications", s.notifications},
		{"GET /company/settings", s.settings},
		{"POST /company/settings", s.saveSettings},
		{"POST /company/settings/sign-in", s.requireCompanyFactor},
		{"POST /staff/sign-in", s.requireStaffFactor},
	} {
		s.mux.HandleFunc(r.pattern, r.handler)
	}
}
