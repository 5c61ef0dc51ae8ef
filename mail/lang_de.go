package mail

import (
	"fmt"
	"time"
)

var germanMonths = [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni",
	"Juli", "August", "September", "Oktober", "November", "Dezember"}

var german = language{
	code: "de",
	at: func(t time.Time) string {
		return fmt.Sprintf("%d. %s %d um %s Uhr", t.Day(), germanMonths[t.Month()-1], t.Year(), t.Format("15:04"))
	},
	thousands: ".",
	groupFrom: 4,
	colon:     ": ",
	singular:  func(n int) bool { return n == 1 },
	words: map[string]string{
		"greeting": `{{if .Name}}Hallo {{.Name}},{{else}}Hallo,{{end}}`,
		"footer": `{{if .Learner}}Sie erhalten diese E-Mail, weil Sie {{.Product}} bei {{.Company}} nutzen.` +
			`{{else}}Sie erhalten diese E-Mail, weil Sie die Lizenzen {{if .Partner}}Ihres Kunden {{.Company}}{{else}}von {{.Company}}{{end}} verwalten.{{end}}` +
			` Alle Zeiten gelten in der Zeitzone {{.Zone}}.`,
		"today":    `heute`,
		"in.days":  `in {{.Count}} {{plural .N "Tag" "Tagen"}}`,
		"in.hours": `in {{.Count}} {{plural .N "Stunde" "Stunden"}}`,

		"label.product": `Produkt`,
		"label.company": `Unternehmen`,
		"label.seats":   `Lizenzen`,
		"label.free":    `Noch zu vergeben`,
		"label.inuse":   `Vergeben`,
		"label.ends":    `Endet am`,
		"label.ended":   `Endete am`,

		"assigned.subject": `{{.Company}}: {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} bereit`,
		"assigned.lead":    `{{.Company}} hat {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} erhalten, gültig bis zum {{.Ends}}.`,
		"assigned.detail": `{{if eq .FreeN .SeatsN}}{{plural .SeatsN "Sie kann" "Sie können"}} jetzt an {{if .Partner}}die Lernenden Ihres Kunden{{else}}Ihre Lernenden{{end}} vergeben werden.` +
			`{{else if eq .FreeN 0}}{{plural .SeatsN "Sie ging" "Alle gingen"}} bereits an Lernende, die auf eine Lizenz gewartet haben.` +
			`{{else}}{{.InUse}} {{plural .InUseN "ging" "gingen"}} bereits an Lernende, die auf eine Lizenz gewartet haben; {{.Free}} {{plural .FreeN "ist" "sind"}} noch zu vergeben.{{end}}`,
		"assigned.action": `Lizenzen vergeben`,

		"reminder.subject": `{{plural .SeatsN "Ihre Lizenz" "Ihre Lizenzen"}} für {{.Product}} ({{.Company}}) {{plural .SeatsN "läuft" "laufen"}} {{.When}} ab`,
		"reminder.lead": `{{if eq .SeatsN 1}}Die Lizenz für {{.Product}} von {{.Company}} endet am {{.Ends}}.` +
			`{{else}}Die {{.Seats}} Lizenzen für {{.Product}} von {{.Company}} enden am {{.Ends}}.{{end}}`,
		"reminder.detail": `{{if eq .InUseN 0}}{{plural .SeatsN "Sie ist derzeit nicht vergeben." "Derzeit ist keine davon vergeben."}}` +
			`{{else}}{{.InUse}} {{plural .InUseN "Person verliert" "Personen verlieren"}} dann den Zugang, sofern Sie nicht verlängern.{{end}}`,
		"reminder.action": `Lizenzen verlängern`,

		"expired.subject": `{{plural .SeatsN "Ihre Lizenz" "Ihre Lizenzen"}} für {{.Product}} ({{.Company}}) {{plural .SeatsN "ist" "sind"}} abgelaufen`,
		"expired.lead": `{{if eq .SeatsN 1}}Die Lizenz für {{.Product}} von {{.Company}} endete am {{.Ends}}.` +
			`{{else}}Die {{.Seats}} Lizenzen für {{.Product}} von {{.Company}} endeten am {{.Ends}}.{{end}}`,
		"expired.detail": `{{if eq .InUseN 0}}Niemand hat sie genutzt.` +
			`{{else}}{{.InUse}} {{plural .InUseN "Person hat" "Personen haben"}} den Zugang verloren. Verlängern Sie die Lizenzen, um ihn wiederherzustellen.{{end}}`,
		"expired.action": `Lizenzen verlängern`,
		"label.email":    `Ihre E-Mail`,
		"label.valid":    `Der Link gilt bis`,

		"welcome.subject": `{{if .Company}}Ihr Konto für {{.Company}} ist bereit{{else}}Ihr Konto ist bereit{{end}}`,
		"welcome.lead":    `Für Sie wurde ein Konto angelegt{{with .Company}} bei {{.}}{{end}}. Wählen Sie Ihr Passwort, um sich anzumelden.`,
		"welcome.detail":  `Der Link unten funktioniert einmal. Ist er abgelaufen, bitten Sie die Person, die Sie hinzugefügt hat, um einen neuen, oder nutzen Sie „Passwort vergessen?“ auf der Anmeldeseite.`,
		"welcome.action":  `Passwort wählen`,
		"welcome.footer":  `Sie erhalten diese E-Mail, weil jemand {{.Email}} zu allot hinzugefügt hat. Alle Zeiten gelten in der Zeitzone {{.Zone}}.`,

		"welcome.sso.lead":   `Für Sie wurde ein Konto angelegt{{with .Company}} bei {{.}}{{end}}. Sie melden sich mit Ihrem Konto von {{.SignOn}} an: Sie müssen kein Passwort wählen.`,
		"welcome.sso.detail": `Geben Sie auf der Anmeldeseite Ihre E-Mail ein: allot leitet Sie zur Anmeldung von {{.SignOn}} weiter und wieder zurück.`,
		"welcome.sso.action": `Anmelden`,

		"reset.subject": `Wählen Sie ein neues Passwort`,
		"reset.lead":    `Jemand hat das Zurücksetzen des Passworts von {{.Email}} angefordert. Wenn Sie es waren, wählen Sie mit dem Link unten ein neues Passwort.`,
		"reset.detail":  `Der Link funktioniert einmal, eine Stunde lang. Wenn Sie nichts angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.`,
		"reset.action":  `Neues Passwort wählen`,
		"reset.footer":  `Sie erhalten diese E-Mail, weil für {{.Email}} ein neues Passwort angefordert wurde. Alle Zeiten gelten in der Zeitzone {{.Zone}}.`,
		"label.by":      `Angefordert von`,
		"label.until":   `Zugang bis`,

		"requested.subject": `{{.Company}} fordert {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} an`,
		"requested.lead":    `{{.By}} hat {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} für {{.Company}} angefordert.`,
		"requested.detail":  `Weisen Sie die Bestellung zu, damit ihre Laufzeit beginnt, oder lehnen Sie sie mit Begründung ab.`,
		"requested.action":  `Bestellung ansehen`,

		"rejected.subject": `Ihre Bestellung von {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} ({{.Company}}) wurde abgelehnt`,
		"rejected.lead":    `{{.By}} hat die von Ihnen angeforderte Bestellung von {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} für {{.Company}} abgelehnt.`,
		"rejected.detail":  `Die angegebene Begründung: {{.Reason}}`,
		"rejected.action":  `Bestellungen ansehen`,

		"cancelled.subject": `Ihre Bestellung von {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} ({{.Company}}) wurde storniert`,
		"cancelled.lead":    `{{.By}} hat die von Ihnen angeforderte Bestellung von {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} für {{.Company}} storniert.`,
		"cancelled.detail":  `Daraus werden keine Lizenzen. Fordern Sie sie erneut an, wenn sie noch gebraucht werden.`,
		"cancelled.action":  `Bestellungen ansehen`,

		"seat_given.subject": `Sie haben Zugang zu {{.Product}}`,
		"seat_given.lead":    `{{.Company}} hat Ihnen eine Lizenz für {{.Product}} gegeben: Sie können {{.Product}} bis zum {{.Ends}} nutzen.`,
		"seat_given.detail":  `Ihre Zugangsseite zeigt, wie lange er gilt und wo Sie das Produkt nutzen.`,
		"seat_given.action":  `Meinen Zugang ansehen`,

		"seat_renewed.subject": `Ihr Zugang zu {{.Product}} wurde verlängert`,
		"seat_renewed.lead":    `{{.Company}} hat Ihre Lizenz für {{.Product}} verlängert: Sie können {{.Product}} bis zum {{.Ends}} nutzen.`,
		"seat_renewed.detail":  `Ihre Zugangsseite zeigt, wie lange er gilt und wo Sie das Produkt nutzen.`,
		"seat_renewed.action":  `Meinen Zugang ansehen`,

		"seat_released.subject": `Ihr Zugang zu {{.Product}} ist beendet`,
		"seat_released.lead":    `{{.Company}} hat Ihre Lizenz für {{.Product}} am {{.Ends}} freigegeben: Sie haben keinen Zugang mehr zu {{.Product}}.`,
		"seat_released.detail":  `Wenn Sie ihn noch brauchen, wenden Sie sich an eine verantwortliche Person von {{.Company}}.`,
		"seat_released.action":  `Meinen Zugang ansehen`,

		"reclaim_warning.subject": `Nutzen Sie {{.Product}}, um Ihre Lizenz zu behalten`,
		"reclaim_warning.lead":    `Sie haben {{.Product}} eine Weile nicht genutzt. {{.Company}} nimmt ungenutzte Lizenzen zurück, um sie anderen zu geben: Ihre wird am {{.Ends}} zurückgenommen.`,
		"reclaim_warning.detail":  `Um sie zu behalten, melden Sie sich vorher bei {{.Product}} an. Wenn Sie sie nicht mehr brauchen, ist nichts zu tun.`,
		"reclaim_warning.action":  `Meinen Zugang ansehen`,

		"reclaimed.subject": `{{.Company}}: {{.Seats}} {{plural .SeatsN "ungenutzte Lizenz" "ungenutzte Lizenzen"}} zurückgenommen`,
		"reclaimed.lead":    `Die Rücknahmeregel von {{.Company}} hat am {{.Ends}} {{.Seats}} {{plural .SeatsN "Lizenz" "Lizenzen"}} für {{.Product}} von Lernenden freigegeben, die sich zu lange nicht angemeldet hatten.`,
		"reclaimed.detail":  `{{plural .SeatsN "Sie kann" "Sie können"}} wieder vergeben werden; Lernende, die auf einen Platz warten, kommen zuerst. Die Seite der Rücknahmeregeln zeigt, wer einen Platz verloren hat.`,
		"reclaimed.action":  `Rücknahmeregeln ansehen`,

		"webhook_disabled.subject": `Webhook-Endpunkt deaktiviert: {{.Endpoint}}`,
		"webhook_disabled.lead":    `allot hat den Webhook-Endpunkt {{.Endpoint}} am {{.Ends}} deaktiviert: Er erhält keine Zustellungen mehr.`,
		"webhook_disabled.detail":  `{{.Reason}} Noch nicht erfolgte Zustellungen warten; sobald der Empfänger wieder funktioniert, aktivieren Sie den Endpunkt, um sie fortzusetzen, oder senden Sie eine Zustellung von ihrer Seite aus erneut.`,
		"webhook_disabled.action":  `Webhooks ansehen`,
		"label.endpoint":           `Endpunkt`,
		"label.programme":          `Programm`,
		"label.from":               `Zugang ab`,

		"invitation.subject":       `{{.Company}} lädt Sie zu {{.Programme}} ein`,
		"invitation.lead":          `{{.Company}} lädt Sie zu {{.Programme}} ein, mit Zugang zu {{.Product}} vom {{.Starts}} bis {{.Ends}}.`,
		"invitation.detail":        `Wählen Sie über den Link unten Ihr Passwort, um die Einladung anzunehmen. Der Link gilt einmal; ist er abgelaufen, nutzen Sie „Passwort vergessen?“ auf der Anmeldeseite.`,
		"invitation.signin.detail": `Melden Sie sich mit {{.Email}} und Ihrem Passwort an, um die Einladung anzunehmen.`,
		"invitation.sso.detail":    `Melden Sie sich mit Ihrem {{.SignOn}}-Konto an, um die Einladung anzunehmen: Geben Sie auf der Anmeldeseite Ihre E-Mail an, allot leitet Sie weiter.`,
		"invitation.action":        `Einladung annehmen`,
		"invitation.footer":        `Sie erhalten diese E-Mail, weil {{.Company}} {{.Email}} eingeladen hat. Alle Zeiten gelten in der Zeitzone {{.Zone}}.`,
		"ref":                      `#{{.RequestID}}`,
		"label.request":            `Anfrage`,
		"label.priority":           `Priorität`,
		"label.answer":             `Erste Antwort bis`,
		"label.due":                `Fällig am`,
		"priority.low":             `Niedrig`,
		"priority.normal":          `Normal`,
		"priority.high":            `Hoch`,
		"priority.urgent":          `Dringend`,

		"target.first_response": `Erstantwort`,
		"target.next_response":  `nächste Antwort`,
		"target.resolution":     `Lösung`,

		"support.footer": `Sie erhalten diese E-Mail zur Anfrage {{.Ref}} an den Support.{{with .Due}} Alle Zeiten gelten in der Zeitzone {{$.Zone}}.{{end}}`,
		"desk.footer":    `Sie erhalten diese E-Mail, weil Sie im Support arbeiten.{{with .Due}} Alle Zeiten gelten in der Zeitzone {{$.Zone}}.{{end}}`,

		"support_received.subject": `Ihre Anfrage ist eingegangen: {{.Request}} ({{.Ref}})`,
		"support_received.lead":    `Ihre Anfrage „{{.Request}}“ ({{.Ref}}) ist beim Support eingegangen.`,
		"support_received.detail": `Die erste Antwort ist bis zum {{.Due}} fällig und kommt per E-Mail.` +
			` {{if .ByMail}}Wenn Sie etwas ergänzen möchten, antworten Sie auf diese E-Mail.{{else}}Wenn Sie etwas ergänzen möchten, schreiben Sie auf der Seite der Anfrage.{{end}}`,
		"support_received.action": `Anfrage ansehen`,

		"support_reply.subject": `Neue Antwort zur Anfrage {{.Ref}}: {{.Request}}`,
		"support_reply.lead":    `Der Support hat auf die Anfrage „{{.Request}}“ ({{.Ref}}) geantwortet:`,
		"support_reply.detail": `{{if .ByMail}}Um zu antworten, antworten Sie auf diese E-Mail und schreiben über dem zitierten Text: Ihre Antwort wird der Anfrage hinzugefügt.` +
			`{{else}}Um zu antworten, schreiben Sie auf der Seite der Anfrage.{{end}}`,
		"support_reply.action": `Anfrage öffnen`,

		"support_update.subject": `Neue Nachricht zur Anfrage {{.Ref}}: {{.Request}}`,
		"support_update.lead":    `Der Kunde hat zur Anfrage „{{.Request}}“ ({{.Ref}}) geschrieben:`,
		"support_update.detail":  `Antworten Sie im Support-Bereich, wo Ihre Antwort an den Fristen der Anfrage gemessen wird.`,
		"support_update.action":  `Im Support öffnen`,

		"support_copied.subject": `Anfrage {{.Ref}} in Kopie an Sie: {{.Request}}`,
		"support_copied.lead":    `Als Ansprechpartner für Customer Success{{with .Company}} von {{.}}{{end}} wurden Sie bei der Anfrage „{{.Request}}“ ({{.Ref}}) in Kopie gesetzt.`,
		"support_copied.detail":  `Die Antworten des Supports darauf erhalten Sie per E-Mail.`,
		"support_copied.action":  `Im Support öffnen`,

		"support_escalated.subject": `Anfrage {{.Ref}} an Sie eskaliert: {{.Request}}`,
		"support_escalated.lead":    `Der Support hat die Anfrage „{{.Request}}“ ({{.Ref}}) an Customer Success übergeben; sie ist jetzt Ihnen zugewiesen. Die Notiz nennt den Grund:`,
		"support_escalated.detail":  `Die Fristen der Anfrage laufen weiter.`,
		"support_escalated.action":  `Im Support öffnen`,

		"support_warning.subject": `Anfrage {{.Ref}}: Frist für die {{.Target}} läuft bald ab ({{.Request}})`,
		"support_warning.lead":    `Die Frist für die {{.Target}} zur Anfrage „{{.Request}}“ ({{.Ref}}) ist größtenteils verstrichen: Sie endet am {{.Due}}.`,
		"support_warning.detail":  `Bearbeiten Sie die Anfrage, oder geben Sie sie an jemanden weiter, der es kann, bevor die Frist überschritten ist.`,
		"support_warning.action":  `Im Support öffnen`,

		"support_breach.subject": `Anfrage {{.Ref}}: Frist für die {{.Target}} überschritten ({{.Request}})`,
		"support_breach.lead":    `Die Frist für die {{.Target}} zur Anfrage „{{.Request}}“ ({{.Ref}}) ist überschritten: Sie endete am {{.Due}}.`,
		"support_breach.detail":  `Die Überschreitung ist an der Anfrage vermerkt. Bearbeiten Sie sie so bald wie möglich.`,
		"support_breach.action":  `Im Support öffnen`,
	},
}
