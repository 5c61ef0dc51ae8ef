package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// traits say what an operation is, besides what it does.
type traits uint8

const (
	plain   traits = 0
	creates traits = 1 << iota // makes something: answers 201 Created
	public                     // needs no credentials
	signs                      // signs in or out: no company to act in, nothing to make happen once
	secret                     // answers with a secret shown once, which no replay may keep
	files                      // carries files in base64: a body of up to MaxFilesBodyBytes
)

// noKey says why an operation of traits t takes no Idempotency-Key, or ""
// when it takes one: only a POST does, and neither signing in or out (there
// is nothing to make happen once) nor an answer with a secret (a replay
// would have to keep it).
func (t traits) noKey(method string) string {
	switch {
	case method != http.MethodPost:
		return "only a POST does"
	case t&secret != 0:
		return "its answer shows a secret once, and a replay would have to keep it"
	case t&signs != 0:
		return "it signs in or out: there is nothing to make happen once"
	}
	return ""
}

// noKeyMeta is the key of an operation's Metadata that holds why it takes no
// Idempotency-Key, when it takes none.
const noKeyMeta = "allot-no-idempotency-key"

// routes is the route table of the API.
func (s *Server) routes() {
	for _, r := range []struct {
		method, path, id, summary, tag string
		traits                         traits
		register                       func(huma.Operation)
	}{
		{"POST", "/v1/auth/login", "login", "Sign in with e-mail and password; sets the session cookie", "Signing in", public | signs, op(s, s.login)},
		{"POST", "/v1/auth/forgot", "forgot-password", "Ask for a link to choose a new password; the answer is the same for any e-mail", "Signing in", public, op(s, s.forgot)},
		{"POST", "/v1/auth/logout", "logout", "Sign out of the session", "Signing in", signs, op(s, s.logout)},
		{"GET", "/v1/me", "get-me", "The signed-in user, and the company acted in", "Signing in", plain, op(s, s.me)},
		{"POST", "/v1/me/password", "change-password", "Change the signed-in user's password", "Signing in", plain, op(s, s.changePassword)},
		{"GET", "/v1/me/tokens", "list-tokens", "The signed-in user's API tokens", "Signing in", plain, op(s, s.tokens)},
		{"POST", "/v1/me/tokens", "create-token", "Make an API token; its secret is shown once", "Signing in", creates | secret, op(s, s.createToken)},
		{"DELETE", "/v1/me/tokens/{id}", "revoke-token", "Revoke an API token", "Signing in", plain, op(s, s.revokeToken)},
		{"POST", "/v1/manage", "enter-company", "Enter manage-company mode in a customer company (session)", "Signing in", plain, op(s, s.enterCompany)},
		{"DELETE", "/v1/manage", "leave-company", "Leave manage-company mode (session)", "Signing in", plain, op(s, s.leaveCompany)},

		{"GET", "/v1/partners", "list-partners", "Partners the caller may see, by name, with cursor paging", "Tenants", plain, op(s, s.partners)},
		{"POST", "/v1/partners", "create-partner", "Add a partner", "Tenants", creates, op(s, s.createPartner)},
		{"GET", "/v1/partners/{id}", "get-partner", "One partner", "Tenants", plain, op(s, s.partner)},
		{"GET", "/v1/companies", "list-companies", "Companies the caller may see, by name, with cursor paging", "Tenants", plain, op(s, s.companies)},
		{"POST", "/v1/companies", "create-company", "Add a customer company, optionally with its first order", "Tenants", creates, op(s, s.createCompany)},
		{"GET", "/v1/companies/{id}", "get-company", "One company", "Tenants", plain, op(s, s.company)},
		{"PATCH", "/v1/companies/{id}", "update-company", "Suspend or reinstate a company", "Tenants", plain, op(s, s.updateCompany)},
		{"GET", "/v1/products", "list-products", "Every product", "Tenants", plain, op(s, s.products)},
		{"POST", "/v1/products", "create-product", "Add a product", "Tenants", creates, op(s, s.createProduct)},
		{"POST", "/v1/staff", "create-staff", "Add vendor staff or a partner manager", "Tenants", creates, op(s, s.createStaff)},

		{"GET", "/v1/companies/{id}/users", "list-members", "A company's users with their licence status", "Users", plain, op(s, s.members)},
		{"POST", "/v1/companies/{id}/users", "add-user", "Add a user to a company; a learner gets a seat at once", "Users", creates, op(s, s.addUser)},
		{"GET", "/v1/users/{id}", "get-user", "One user", "Users", plain, op(s, s.user)},
		{"POST", "/v1/users/{id}/welcome", "send-welcome", "Send the user a new welcome mail; its link replaces the one they had", "Users", plain, op(s, s.sendWelcome)},
		{"PATCH", "/v1/users/{id}", "update-user", "Change a company's person: their names, department or role", "Users", plain, op(s, s.updateUser)},
		{"DELETE", "/v1/users/{id}", "remove-user", "Remove a user from their company; their seat is released", "Users", plain, op(s, s.removeUser)},
		{"GET", "/v1/companies/{id}/users.csv", "export-members", "A company's users with their seats, as CSV safe to open in a spreadsheet", "Users", plain, csvOp(s, s.exportMembers)},

		{"GET", "/v1/companies/{id}/programmes", "list-programmes", "A company's programmes, by name", "Programmes", plain, op(s, s.programmes)},
		{"POST", "/v1/companies/{id}/programmes", "create-programme", "Make a programme: the products it offers and the language of its invitations", "Programmes", creates, op(s, s.createProgramme)},
		{"GET", "/v1/programmes/{id}", "get-programme", "One programme", "Programmes", plain, op(s, s.programme)},

		{"POST", "/v1/programmes/{id}/invitations/plan", "plan-invitations", "Check an invitation of people to a programme and say what confirming it would do: whom, which seats, when; nothing is written", "Invitations", plain, op(s, s.planInvitations)},
		{"POST", "/v1/programmes/{id}/invitations/preview", "preview-invitation", "The exact mail the first person of an invitation would get, in its language", "Invitations", plain, op(s, s.previewInvitation)},
		{"POST", "/v1/programmes/{id}/invitations", "create-invitations", "Invite people to a programme: their seats are reserved at once, the mails go out now or at their local time", "Invitations", creates, op(s, s.createInvitations)},
		{"GET", "/v1/companies/{id}/invitations", "list-invitations", "A company's scheduled invitations, those that go out first first", "Invitations", plain, op(s, s.invitations)},
		{"GET", "/v1/programmes/{id}/members", "list-programme-members", "A programme's members with their status and access, newest first", "Invitations", plain, op(s, s.programmeMembers)},
		{"PATCH", "/v1/invitations/{id}", "reschedule-invitation", "Change when a scheduled invitation goes out, its zone or its language", "Invitations", plain, op(s, s.rescheduleInvitation)},
		{"POST", "/v1/invitations/{id}/cancel", "cancel-invitation", "Cancel a scheduled invitation: its seats are freed at once", "Invitations", plain, op(s, s.cancelInvitation)},
		{"POST", "/v1/invitations/{id}/send-now", "send-invitation-now", "Send a scheduled invitation at once", "Invitations", plain, op(s, s.sendInvitationNow)},
		{"POST", "/v1/invitations/{id}/resend", "resend-invitation", "Send an invitation again, with a new link, to a member who has not signed in", "Invitations", plain, op(s, s.resendInvitation)},

		{"POST", "/v1/companies/{id}/imports", "upload-import", "Upload a file of users to add, or of learners to renew; its columns are read at once", "Imports", creates, uploadOp(s, s.uploadImport)},
		{"GET", "/v1/companies/{id}/imports", "list-imports", "A company's latest imports, newest first", "Imports", plain, op(s, s.imports)},
		{"GET", "/v1/imports/{id}", "get-import", "One import, with the progress of its current step", "Imports", plain, op(s, s.getImport)},
		{"POST", "/v1/imports/{id}/preview", "preview-import", "Map the file's columns and preview what each row will do, in the background", "Imports", plain, op(s, s.previewImport)},
		{"POST", "/v1/imports/{id}/confirm", "confirm-import", "Apply a previewed import exactly as previewed, in the background", "Imports", plain, op(s, s.confirmImport)},
		{"GET", "/v1/imports/{id}/rows", "list-import-rows", "An import's rows as previewed: what each will do, or why it will not", "Imports", plain, op(s, s.importRows)},
		{"GET", "/v1/imports/{id}/errors.csv", "get-import-errors", "The rows that change nothing, with their reasons, as CSV", "Imports", plain, csvOp(s, s.importErrors)},

		{"GET", "/v1/orders", "list-orders", "Orders, filtered, newest or oldest first, with cursor paging", "Orders", plain, op(s, s.orders)},
		{"POST", "/v1/orders", "request-order", "Request licences for a company", "Orders", creates, op(s, s.requestOrder)},
		{"GET", "/v1/orders/{id}", "get-order", "One order", "Orders", plain, op(s, s.order)},
		{"POST", "/v1/orders/{id}/assign", "assign-order", "Assign a requested order: its pool starts now", "Orders", plain, op(s, s.assignOrder)},
		{"POST", "/v1/orders/{id}/cancel", "cancel-order", "Cancel a requested order", "Orders", plain, op(s, s.cancelOrder)},
		{"POST", "/v1/orders/{id}/reject", "reject-order", "Reject a requested order with a reason", "Orders", plain, op(s, s.rejectOrder)},

		{"GET", "/v1/companies/{id}/pools", "list-pools", "A company's licence pools", "Seats", plain, op(s, s.pools)},
		{"GET", "/v1/seats", "list-seats", "Seats, filtered", "Seats", plain, op(s, s.seats)},
		{"POST", "/v1/seats", "allocate-seat", "Give a learner a seat", "Seats", creates, op(s, s.allocate)},
		{"POST", "/v1/seats/{id}/release", "release-seat", "Release a seat back to its pool", "Seats", plain, op(s, s.release)},
		{"POST", "/v1/seats/{id}/reallocate", "reallocate-seat", "Move a seat to another learner of the company", "Seats", plain, op(s, s.reallocate)},
		{"GET", "/v1/companies/{id}/expired", "list-expired", "Learners whose seat expired and who hold none now", "Seats", plain, op(s, s.expired)},
		{"POST", "/v1/companies/{id}/renewals", "renew", "Give new seats to expired learners (chosen ones or all)", "Seats", creates, op(s, s.renew)},
		{"POST", "/v1/pools/{id}/transfer", "transfer-seats", "Move free seats of a live pool to another customer of the same partner; they keep the pool's end", "Seats", creates, op(s, s.transferSeats)},
		{"POST", "/v1/companies/{id}/fill-waiting", "fill-waiting", "Give the free seats to the learners who wait for one, those who waited longest first", "Seats", plain, op(s, s.fillWaiting)},
		{"PUT", "/v1/companies/{id}/settings/fill-waiting", "set-fill-waiting", "Say whether a seat freed in the company goes at once to the learner who has waited longest", "Seats", plain, op(s, s.setFillWaiting)},

		{"GET", "/v1/companies/{id}/sso", "get-company-sso", "A company's single sign-on (OpenID Connect), without its secret", "Single sign-on", plain, op(s, s.companySSO)},
		{"PUT", "/v1/companies/{id}/sso", "put-company-sso", "Connect a company's identity provider, or change its connection", "Single sign-on", plain, op(s, s.putCompanySSO)},
		{"DELETE", "/v1/companies/{id}/sso", "delete-company-sso", "Disconnect a company's single sign-on", "Single sign-on", plain, op(s, s.deleteCompanySSO)},
		{"GET", "/v1/partners/{id}/sso", "get-partner-sso", "A partner's single sign-on, for its managers, without its secret", "Single sign-on", plain, op(s, s.partnerSSO)},
		{"PUT", "/v1/partners/{id}/sso", "put-partner-sso", "Connect a partner's identity provider, or change its connection", "Single sign-on", plain, op(s, s.putPartnerSSO)},
		{"DELETE", "/v1/partners/{id}/sso", "delete-partner-sso", "Disconnect a partner's single sign-on", "Single sign-on", plain, op(s, s.deletePartnerSSO)},

		{"GET", "/v1/companies/{id}/directory/groups", "list-directory-groups", "A company's directory groups that decide seats: each group's members get a seat of its product", "Directory", plain, op(s, s.groupMappings)},
		{"POST", "/v1/companies/{id}/directory/groups", "map-directory-group", "Map a directory group to a product: its members get a seat of it, those who leave it give the seat back", "Directory", creates, op(s, s.mapGroup)},
		{"DELETE", "/v1/companies/{id}/directory/groups/{mapping}", "unmap-directory-group", "Remove a group's mapping: seats follow, as when its members leave the group", "Directory", plain, op(s, s.unmapGroup)},
		{"GET", "/v1/companies/{id}/directory/ldap", "get-directory-ldap", "A company's LDAP or Active Directory connection, without its password", "Directory", plain, op(s, s.getLDAP)},
		{"PUT", "/v1/companies/{id}/directory/ldap", "put-directory-ldap", "Connect a company's LDAP or Active Directory, or change its connection", "Directory", plain, op(s, s.putLDAP)},
		{"POST", "/v1/companies/{id}/directory/ldap/sync", "sync-directory-ldap", "Read a company's LDAP directory now and sync its people, or preview what that would do", "Directory", plain, op(s, s.syncLDAP)},
		{"GET", "/v1/companies/{id}/directory/runs", "list-directory-runs", "A company's latest directory runs, newest first, with their counts and problems", "Directory", plain, op(s, s.syncRuns)},
		{"POST", "/v1/directory/runs/{id}/confirm", "confirm-directory-run", "Apply a run the safety limit held: a manager confirms that so many people are deprovisioned", "Directory", plain, op(s, s.confirmRun)},
		{"GET", "/v1/companies/{id}/directory/owned", "get-directory-owned", "The person fields a company's directory owns: an import does not change them for the people it provisioned", "Directory", plain, op(s, s.ownedFields)},
		{"PUT", "/v1/companies/{id}/directory/owned", "put-directory-owned", "Say which person fields a company's directory owns", "Directory", plain, op(s, s.setOwnedFields)},
		{"DELETE", "/v1/companies/{id}/directory/ldap", "delete-directory-ldap", "Disconnect a company's LDAP directory: it is read no more, its password forgotten; its people stay", "Directory", plain, op(s, s.deleteLDAP)},

		{"GET", "/v1/companies/{id}/scim", "get-company-scim", "A company's SCIM connection: the base URL its identity provider is given, and its token's prefix", "Directory", plain, op(s, s.companySCIM)},
		{"POST", "/v1/companies/{id}/scim/token", "new-company-scim-token", "Make a company's SCIM token, or a new one that replaces the old at once; it is shown once", "Directory", creates | secret, op(s, s.newSCIMToken)},
		{"DELETE", "/v1/companies/{id}/scim/token", "revoke-company-scim-token", "Revoke a company's SCIM token: its identity provider is refused from then on", "Directory", plain, op(s, s.revokeSCIMToken)},

		{"GET", "/v1/help/articles", "list-help-articles", "The help centre's articles the caller reads, by title: the published ones of their audience; for the vendor's staff any, drafts too", "Help centre", plain, op(s, s.helpArticles)},
		{"POST", "/v1/help/articles", "create-help-article", "Write an article of the help centre in Markdown, for one or more audiences", "Help centre", creates, op(s, s.createHelpArticle)},
		{"GET", "/v1/help/articles/{slug}", "get-help-article", "One article the caller reads, in Markdown and in HTML", "Help centre", plain, op(s, s.helpArticle)},
		{"PATCH", "/v1/help/articles/{slug}", "update-help-article", "Change an article's title, text or audiences, or publish it or take it back to a draft; its slug stays", "Help centre", plain, op(s, s.updateHelpArticle)},
		{"DELETE", "/v1/help/articles/{slug}", "delete-help-article", "Delete an article of the help centre", "Help centre", plain, op(s, s.deleteHelpArticle)},
		{"GET", "/v1/help/search", "search-help", "Search the articles the caller reads: the best match first, a word of the title counting more than one of the text, each with a snippet", "Help centre", plain, op(s, s.searchHelp)},

		{"GET", "/v1/home", "get-home", "What needs the caller's attention first: pools ending within 30 and 7 days, orders waiting for them, customers' products most and least used, learners waiting for a seat, expired learners not renewed, the desk's requests near a breach", "Home", plain, op(s, s.home)},
		{"GET", "/v1/renewals", "list-renewals", "The renewal pipeline: the customers' pools ending within 90 days, soonest first, with the orders that renew them and the seats at risk", "Home", plain, op(s, s.renewals)},

		{"GET", "/v1/support/requests", "list-support-requests", "Support requests the caller sees, filtered, newest first or in the desk's queue order, with their total", "Support desk", plain, op(s, s.supportRequests)},
		{"POST", "/v1/support/requests", "open-support-request", "Ask the support desk: the category routes the request to its team, the first response is due as the company's policy says", "Support desk", creates | files, op(s, s.openRequest)},
		{"GET", "/v1/support/requests/{id}", "get-support-request", "One request with its clocks and conversation; the desk's internal notes for the desk only", "Support desk", plain, op(s, s.supportRequest)},
		{"PATCH", "/v1/support/requests/{id}", "update-support-request", "Change a request's status, priority or assignee (the desk)", "Support desk", plain, op(s, s.updateRequest)},
		{"POST", "/v1/support/requests/{id}/messages", "write-support-message", "Add a message of the requester's side: a request waiting or solved opens again", "Support desk", creates | files, op(s, s.writeMessage)},
		{"POST", "/v1/support/requests/{id}/replies", "reply-support-request", "Answer a request (the desk): the requester and those copied get it by mail", "Support desk", creates | files, op(s, s.replyRequest)},
		{"POST", "/v1/support/requests/{id}/notes", "note-support-request", "Add an internal note to a request (the desk): the customer never sees it", "Support desk", creates | files, op(s, s.noteRequest)},
		{"POST", "/v1/support/requests/{id}/escalate", "escalate-support-request", "Hand a request from Support to Customer Success, saying why (the desk)", "Support desk", plain, op(s, s.escalateRequest)},
		{"POST", "/v1/support/requests/{id}/copy-success", "copy-support-success", "Copy the company's customer success contact on a request", "Support desk", plain, op(s, s.copySuccess)},
		{"GET", "/v1/support/requests/{id}/licences", "get-support-licences", "The licence context beside a request (the desk): the company's pools, the requester's seats and latest licence events", "Support desk", plain, op(s, s.requestLicences)},
		{"GET", "/v1/support/attachments/{id}", "get-support-attachment", "A file sent with a message the caller reads, as a download", "Support desk", plain, attachmentOp(s, s.attachment)},
		{"GET", "/v1/support/routes", "list-support-routes", "The categories a request is asked in and the team each goes to", "Support desk", plain, op(s, s.supportRoutes)},
		{"PUT", "/v1/support/routes", "put-support-routes", "Replace the routing table (the vendor admin); open requests keep their team", "Support desk", plain, op(s, s.setSupportRoutes)},
		{"GET", "/v1/support/policies", "list-support-policies", "The service-level policies, the default first, with their targets in minutes", "Support desk", plain, op(s, s.supportPolicies)},
		{"POST", "/v1/support/policies", "create-support-policy", "Add a service-level policy (the vendor admin)", "Support desk", creates, op(s, s.createSupportPolicy)},
		{"PUT", "/v1/support/policies/{id}", "put-support-policy", "Change a service-level policy (the vendor admin): the targets started from then on follow it", "Support desk", plain, op(s, s.putSupportPolicy)},
		{"GET", "/v1/companies/{id}/support-account", "get-company-support-account", "The support account that serves a company: its own, else its partner's; its success contact and policy", "Support desk", plain, op(s, s.companySupportAccount)},
		{"PUT", "/v1/companies/{id}/support-account", "put-company-support-account", "Set a company's success contact and policy (the vendor admin)", "Support desk", plain, op(s, s.putCompanySupportAccount)},
		{"GET", "/v1/partners/{id}/support-account", "get-partner-support-account", "The support account of a partner's customers without one of their own: its success contact and policy", "Support desk", plain, op(s, s.partnerSupportAccount)},
		{"PUT", "/v1/partners/{id}/support-account", "put-partner-support-account", "Set the success contact and policy of a partner's customers without an account of their own (the vendor admin)", "Support desk", plain, op(s, s.putPartnerSupportAccount)},

		{"GET", "/v1/companies/{id}/reclaim-rules", "get-reclaim-rules", "A company's reclaim rules: who has not logged in for how long loses their seat, after which warning", "Reclaim rules", plain, op(s, s.reclaimRules)},
		{"PUT", "/v1/companies/{id}/reclaim-rules", "put-reclaim-rules", "Set a company's reclaim rules, at most one per product and one for every other product", "Reclaim rules", plain, op(s, s.putReclaimRules)},
		{"GET", "/v1/companies/{id}/reclaim-rules/preview", "preview-reclaim-rules", "What each of a company's reclaim rules would do now: the seats it would release, the learners it would warn", "Reclaim rules", plain, op(s, s.reclaimPreview)},

		{"GET", "/v1/webhooks", "list-webhooks", "The webhook endpoints the caller manages: the vendor admin's and every partner's, a partner manager's own partner's; with their secrets", "Webhooks", plain, op(s, s.webhookEndpoints)},
		{"POST", "/v1/webhooks", "create-webhook", "Subscribe an HTTPS endpoint to event types: each event its owner may see is sent to it, signed as Standard Webhooks says", "Webhooks", creates, op(s, s.createWebhook)},
		{"GET", "/v1/webhooks/{id}", "get-webhook", "One endpoint, with the secrets that sign its deliveries", "Webhooks", plain, op(s, s.webhookEndpoint)},
		{"PATCH", "/v1/webhooks/{id}", "update-webhook", "Change an endpoint's address, description or event types, or disable it or enable it again", "Webhooks", plain, op(s, s.updateWebhook)},
		{"DELETE", "/v1/webhooks/{id}", "delete-webhook", "Delete an endpoint: nothing more is sent to it", "Webhooks", plain, op(s, s.deleteWebhook)},
		{"POST", "/v1/webhooks/{id}/rotate-secret", "rotate-webhook-secret", "Give an endpoint a new secret; the previous one signs too for 24 hours, while the receiver changes over", "Webhooks", plain, op(s, s.rotateWebhookSecret)},
		{"GET", "/v1/webhooks/{id}/deliveries", "list-webhook-deliveries", "An endpoint's deliveries, newest first, filtered by status, with cursor paging", "Webhooks", plain, op(s, s.webhookDeliveries)},
		{"GET", "/v1/webhook-deliveries/{id}", "get-webhook-delivery", "One delivery with its attempts, newest first, and the body they send", "Webhooks", plain, op(s, s.webhookDelivery)},
		{"POST", "/v1/webhook-deliveries/{id}/replay", "replay-webhook-delivery", "Send a delivery again now, with the same webhook-id; not while its endpoint is disabled", "Webhooks", plain, op(s, s.replayWebhookDelivery)},
		{"GET", "/v1/webhook-types", "list-webhook-types", "The event types an endpoint may subscribe to", "Webhooks", plain, op(s, s.webhookTypes)},

		{"GET", "/v1/signing-keys", "list-signing-keys", "The keys that sign offline tokens: the one that signs, and those retired but still published", "Offline tokens", plain, op(s, s.signingKeys)},
		{"POST", "/v1/signing-keys/rotate", "rotate-signing-key", "Make a new key sign offline tokens at once; the old one stays published until every token it signed has expired", "Offline tokens", creates, op(s, s.rotateSigningKey)},

		{"GET", "/v1/reports", "list-reports", "The reports, each with the filters it takes", "Reports", plain, op(s, s.reportKinds)},
		{"GET", "/v1/reports/{slug}", "get-report", "A report of the caller's scope, or of a company, partner, product or pool of it: as JSON, or its table as CSV or XLSX", "Reports", plain, reportOp(s, s.report)},

		{"GET", "/v1/audit", "list-events", "The audit log of the caller's scope, newest first", "Audit", plain, op(s, s.events)},

		{"GET", "/v1/check", "check", "May this user use this product now?", "Entitlement", plain, op(s, s.check)},
		{"POST", "/v1/logins", "record-login", "Record that a user logged in to the product", "Entitlement", plain, op(s, s.recordLogin)},
	} {
		o := huma.Operation{OperationID: r.id, Method: r.method, Path: r.path, Summary: r.summary, Tags: []string{r.tag},
			MaxBodyBytes: MaxBodyBytes, Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}}
		switch {
		case r.traits&public != 0:
			o.Security = []map[string][]string{}
			o.Errors = []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusTooManyRequests}
		case r.method == http.MethodPost || r.method == http.MethodPatch || r.method == http.MethodPut:
			o.Errors = append(o.Errors, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
		default:
			o.Errors = append(o.Errors, http.StatusUnprocessableEntity)
		}
		if r.traits&creates != 0 {
			o.DefaultStatus = http.StatusCreated
		}
		if r.traits&files != 0 {
			o.MaxBodyBytes = MaxFilesBodyBytes
		}
		if why := r.traits.noKey(r.method); why != "" {
			o.Metadata = map[string]any{noKeyMeta: why}
		} else {
			o.Parameters = append(o.Parameters, &huma.Param{Name: "Idempotency-Key", In: "header", Schema: &huma.Schema{Type: "string", MaxLength: intp(255)},
				Description: "Makes the request happen once: the same key and body replay the first response for 24 hours."})
		}
		if r.traits&signs == 0 {
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
