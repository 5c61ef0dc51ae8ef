package mail

import (
	"fmt"
	"time"
)

var englishMonths = [12]string{"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// english is the fallback language.
var english = language{
	code: "en",
	at: func(t time.Time) string {
		return fmt.Sprintf("%d %s %d at %s", t.Day(), englishMonths[t.Month()-1], t.Year(), t.Format("15:04"))
	},
	thousands: ",",
	groupFrom: 4,
	colon:     ": ",
	singular:  func(n int) bool { return n == 1 },
	words: map[string]string{
		"greeting": `{{if .Name}}Hello {{.Name}},{{else}}Hello,{{end}}`,
		"footer": `{{if .Learner}}You receive this e-mail because you use {{.Product}} at {{.Company}}.` +
			`{{else}}You receive this e-mail because you manage licences for {{if .Partner}}your customer {{end}}{{.Company}}.{{end}}` +
			` Times are given in the {{.Zone}} time zone.`,
		"today":    `today`,
		"in.days":  `in {{.Count}} {{plural .N "day" "days"}}`,
		"in.hours": `in {{.Count}} {{plural .N "hour" "hours"}}`,

		"label.product": `Product`,
		"label.company": `Company`,
		"label.seats":   `Licences`,
		"label.free":    `Free to allocate`,
		"label.inuse":   `Allocated`,
		"label.ends":    `Ends`,
		"label.ended":   `Ended`,

		"assigned.subject": `{{.Seats}} {{.Product}} {{plural .SeatsN "licence is" "licences are"}} ready for {{.Company}}`,
		"assigned.lead":    `{{.Company}} has received {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}}, valid until {{.Ends}}.`,
		"assigned.detail": `{{if eq .FreeN .SeatsN}}{{plural .SeatsN "It is" "They are"}} ready to be allocated to {{if .Partner}}your customer's learners{{else}}your learners{{end}}.` +
			`{{else if eq .FreeN 0}}{{plural .SeatsN "It has" "All of them have"}} already gone to learners who were waiting for a licence.` +
			`{{else}}{{.InUse}} already went to learners who were waiting for a licence; {{.Free}} {{plural .FreeN "is" "are"}} left to allocate.{{end}}`,
		"assigned.action": `Allocate the licences`,

		"reminder.subject": `Your {{.Product}} {{plural .SeatsN "licence" "licences"}} for {{.Company}} {{plural .SeatsN "expires" "expire"}} {{.When}}`,
		"reminder.lead": `{{if eq .SeatsN 1}}The {{.Product}} licence of {{.Company}} ends on {{.Ends}}.` +
			`{{else}}The {{.Seats}} {{.Product}} licences of {{.Company}} end on {{.Ends}}.{{end}}`,
		"reminder.detail": `{{if eq .InUseN 0}}{{plural .SeatsN "It is not" "None of them is"}} allocated at the moment.` +
			`{{else}}{{.InUse}} {{plural .InUseN "learner loses" "learners lose"}} access then, unless you renew.{{end}}`,
		"reminder.action": `Renew the licences`,

		"expired.subject": `Your {{.Product}} {{plural .SeatsN "licence" "licences"}} for {{.Company}} {{plural .SeatsN "has" "have"}} expired`,
		"expired.lead": `{{if eq .SeatsN 1}}The {{.Product}} licence of {{.Company}} ended on {{.Ends}}.` +
			`{{else}}The {{.Seats}} {{.Product}} licences of {{.Company}} ended on {{.Ends}}.{{end}}`,
		"expired.detail": `{{if eq .InUseN 0}}No learner was using {{plural .SeatsN "it" "them"}}.` +
			`{{else}}{{.InUse}} {{plural .InUseN "learner has" "learners have"}} lost access. Renew the licences to restore it.{{end}}`,
		"expired.action": `Renew the licences`,
		"label.email":    `Your e-mail`,
		"label.valid":    `The link works until`,

		"welcome.subject": `{{if .Company}}Your account for {{.Company}} is ready{{else}}Your account is ready{{end}}`,
		"welcome.lead":    `An account was made for you{{with .Company}} at {{.}}{{end}}. Choose your password to sign in.`,
		"welcome.detail":  `The link below works once. When it has expired, ask whoever added you to send a new one, or use "Forgot your password?" on the sign-in page.`,
		"welcome.action":  `Choose your password`,
		"welcome.footer":  `You receive this e-mail because someone added {{.Email}} to allot. Times are given in the {{.Zone}} time zone.`,

		"welcome.sso.lead":   `An account was made for you{{with .Company}} at {{.}}{{end}}. You sign in with your {{.SignOn}} account: there is no password to choose.`,
		"welcome.sso.detail": `On the sign-in page, give your e-mail: allot sends you on to the sign-in of {{.SignOn}}, and back.`,
		"welcome.sso.action": `Sign in`,

		"reset.subject": `Choose a new password`,
		"reset.lead":    `Someone asked to reset the password of {{.Email}}. If it was you, choose a new password with the link below.`,
		"reset.detail":  `The link works once, for one hour. If you did not ask, ignore this e-mail: your password stays as it is.`,
		"reset.action":  `Choose a new password`,
		"reset.footer":  `You receive this e-mail because a password reset was asked for {{.Email}}. Times are given in the {{.Zone}} time zone.`,
		"label.by":      `Requested by`,
		"label.until":   `Access until`,

		"requested.subject": `{{.Company}} asks for {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}}`,
		"requested.lead":    `{{.By}} requested {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}} for {{.Company}}.`,
		"requested.detail":  `Assign the order to start its term, or reject it saying why.`,
		"requested.action":  `Review the order`,

		"rejected.subject": `Your order of {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}} for {{.Company}} was rejected`,
		"rejected.lead":    `{{.By}} rejected the order of {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}} for {{.Company}} that you requested.`,
		"rejected.detail":  `The reason given: {{.Reason}}`,
		"rejected.action":  `See the orders`,

		"cancelled.subject": `Your order of {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}} for {{.Company}} was cancelled`,
		"cancelled.lead":    `{{.By}} cancelled the order of {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}} for {{.Company}} that you requested.`,
		"cancelled.detail":  `No licences will come of it. Request them again if they are still needed.`,
		"cancelled.action":  `See the orders`,

		"seat_given.subject": `You have access to {{.Product}}`,
		"seat_given.lead":    `{{.Company}} gave you a {{.Product}} licence: you may use {{.Product}} until {{.Ends}}.`,
		"seat_given.detail":  `Your access page shows how long it lasts and where to use the product.`,
		"seat_given.action":  `See my access`,

		"seat_renewed.subject": `Your access to {{.Product}} is renewed`,
		"seat_renewed.lead":    `{{.Company}} renewed your {{.Product}} licence: you may use {{.Product}} until {{.Ends}}.`,
		"seat_renewed.detail":  `Your access page shows how long it lasts and where to use the product.`,
		"seat_renewed.action":  `See my access`,

		"seat_released.subject": `Your access to {{.Product}} has ended`,
		"seat_released.lead":    `{{.Company}} released your {{.Product}} licence on {{.Ends}}: you no longer have access to {{.Product}}.`,
		"seat_released.detail":  `If you still need it, ask a manager of {{.Company}}.`,
		"seat_released.action":  `See my access`,

		"reclaim_warning.subject": `Use {{.Product}} to keep your licence`,
		"reclaim_warning.lead":    `You have not used {{.Product}} for a while. {{.Company}} takes unused licences back to give them to others: yours goes back on {{.Ends}}.`,
		"reclaim_warning.detail":  `To keep it, log in to {{.Product}} before then. If you no longer need it, there is nothing to do.`,
		"reclaim_warning.action":  `See my access`,

		"reclaimed.subject": `{{.Company}}: {{.Seats}} unused {{plural .SeatsN "licence" "licences"}} taken back`,
		"reclaimed.lead":    `{{.Company}}'s reclaim rule released {{.Seats}} {{.Product}} {{plural .SeatsN "licence" "licences"}} of learners who had not logged in for too long, on {{.Ends}}.`,
		"reclaimed.detail":  `{{plural .SeatsN "It is" "They are"}} free to give again; learners waiting for a seat come first. The reclaim page lists who lost a seat.`,
		"reclaimed.action":  `See the reclaim rules`,

		"webhook_disabled.subject": `Webhook endpoint disabled: {{.Endpoint}}`,
		"webhook_disabled.lead":    `allot disabled the webhook endpoint {{.Endpoint}} on {{.Ends}}: it receives no more deliveries.`,
		"webhook_disabled.detail":  `{{.Reason}} Deliveries not yet made wait; once the receiver works again, enable the endpoint to resume them, or replay a delivery from its page.`,
		"webhook_disabled.action":  `See the webhook endpoints`,
		"label.endpoint":           `Endpoint`,
		"label.programme":          `Programme`,
		"label.from":               `Access from`,

		"invitation.subject":       `{{.Company}} invites you to {{.Programme}}`,
		"invitation.lead":          `{{.Company}} invites you to {{.Programme}}, with access to {{.Product}} from {{.Starts}} until {{.Ends}}.`,
		"invitation.detail":        `Choose your password with the link below to accept. The link works once; when it has expired, use "Forgot your password?" on the sign-in page.`,
		"invitation.signin.detail": `Sign in with {{.Email}} and your password to accept.`,
		"invitation.sso.detail":    `Sign in with your {{.SignOn}} account to accept: give your e-mail on the sign-in page and allot sends you on.`,
		"invitation.action":        `Accept the invitation`,
		"invitation.footer":        `You receive this e-mail because {{.Company}} invited {{.Email}}. Times are given in the {{.Zone}} time zone.`,
		"ref":                      `#{{.RequestID}}`,
		"label.request":            `Request`,
		"label.priority":           `Priority`,
		"label.answer":             `First answer by`,
		"label.due":                `Due`,
		"priority.low":             `Low`,
		"priority.normal":          `Normal`,
		"priority.high":            `High`,
		"priority.urgent":          `Urgent`,

		"target.first_response": `first response`,
		"target.next_response":  `next response`,
		"target.resolution":     `resolution`,

		"support.footer": `You receive this e-mail about request {{.Ref}} to the support desk.{{with .Due}} Times are given in the {{$.Zone}} time zone.{{end}}`,
		"desk.footer":    `You receive this e-mail because you work on the support desk.{{with .Due}} Times are given in the {{$.Zone}} time zone.{{end}}`,

		"support_received.subject": `We received your request: {{.Request}} ({{.Ref}})`,
		"support_received.lead":    `Your request “{{.Request}}” ({{.Ref}}) has reached the support desk.`,
		"support_received.detail": `The first answer is due by {{.Due}} and will come by e-mail.` +
			` {{if .ByMail}}To add something, reply to this e-mail.{{else}}To add something, write on the request's page.{{end}}`,
		"support_received.action": `See the request`,

		"support_reply.subject": `New answer on request {{.Ref}}: {{.Request}}`,
		"support_reply.lead":    `The support desk answered request “{{.Request}}” ({{.Ref}}):`,
		"support_reply.detail": `{{if .ByMail}}To answer, reply to this e-mail, writing above the quoted text: your answer joins the request.` +
			`{{else}}To answer, write on the request's page.{{end}}`,
		"support_reply.action": `Open the request`,

		"support_update.subject": `New message on request {{.Ref}}: {{.Request}}`,
		"support_update.lead":    `The customer wrote on request “{{.Request}}” ({{.Ref}}):`,
		"support_update.detail":  `Answer from the desk, where your answer is timed against the request's targets.`,
		"support_update.action":  `Open it in the desk`,

		"support_copied.subject": `You were copied on request {{.Ref}}: {{.Request}}`,
		"support_copied.lead":    `As the customer success contact{{with .Company}} of {{.}}{{end}}, you were copied on request “{{.Request}}” ({{.Ref}}).`,
		"support_copied.detail":  `The desk's answers to it will reach you by e-mail.`,
		"support_copied.action":  `Open it in the desk`,

		"support_escalated.subject": `Request {{.Ref}} escalated to you: {{.Request}}`,
		"support_escalated.lead":    `Support handed request “{{.Request}}” ({{.Ref}}) to Customer Success: it is now assigned to you. The note says why:`,
		"support_escalated.detail":  `The request's targets keep running.`,
		"support_escalated.action":  `Open it in the desk`,

		"support_warning.subject": `Request {{.Ref}}: {{.Target}} due soon ({{.Request}})`,
		"support_warning.lead":    `Request “{{.Request}}” ({{.Ref}}) has used most of its {{.Target}} time: it is due by {{.Due}}.`,
		"support_warning.detail":  `Deal with it, or hand it to someone who can, before the target is missed.`,
		"support_warning.action":  `Open it in the desk`,

		"support_breach.subject": `Request {{.Ref}}: {{.Target}} target missed ({{.Request}})`,
		"support_breach.lead":    `Request “{{.Request}}” ({{.Ref}}) missed its {{.Target}} target: it was due by {{.Due}}.`,
		"support_breach.detail":  `The breach is recorded on the request. Deal with it as soon as you can.`,
		"support_breach.action":  `Open it in the desk`,
	},
}
