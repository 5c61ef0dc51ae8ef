package mail

import (
	"fmt"
	"time"
)

var spanishMonths = [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio",
	"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

var spanish = language{
	code: "es",
	at: func(t time.Time) string {
		article := "las"
		if t.Hour() == 1 {
			article = "la"
		}
		return fmt.Sprintf("%d de %s de %d a %s %s", t.Day(), spanishMonths[t.Month()-1], t.Year(), article, t.Format("15:04"))
	},
	thousands: ".",
	groupFrom: 5, // four-digit numbers are written without a separator
	colon:     ": ",
	singular:  func(n int) bool { return n == 1 },
	words: map[string]string{
		"greeting": `{{if .Name}}Hola, {{.Name}}:{{else}}Hola:{{end}}`,
		"footer": `{{if .Learner}}Recibe este correo porque usa {{.Product}} en {{.Company}}.` +
			`{{else}}Recibe este correo porque gestiona las licencias de {{if .Partner}}su cliente {{end}}{{.Company}}.{{end}}` +
			` Las horas se indican en la zona horaria {{.Zone}}.`,
		"today":    `hoy`,
		"in.days":  `en {{.Count}} {{plural .N "día" "días"}}`,
		"in.hours": `en {{.Count}} {{plural .N "hora" "horas"}}`,

		"label.product": `Producto`,
		"label.company": `Empresa`,
		"label.seats":   `Licencias`,
		"label.free":    `Por asignar`,
		"label.inuse":   `Asignadas`,
		"label.ends":    `Vencimiento`,
		"label.ended":   `Vencimiento`,

		"assigned.subject": `{{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}} {{plural .SeatsN "lista" "listas"}} para {{.Company}}`,
		"assigned.lead":    `{{.Company}} ha recibido {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}}, {{plural .SeatsN "válida" "válidas"}} hasta el {{.Ends}}.`,
		"assigned.detail": `{{if eq .FreeN .SeatsN}}{{plural .SeatsN "Ya puede asignarla" "Ya puede asignarlas"}} a {{if .Partner}}los participantes de su cliente{{else}}sus participantes{{end}}.` +
			`{{else if eq .FreeN 0}}{{plural .SeatsN "Ya se asignó a un participante" "Todas se asignaron ya a participantes"}} que esperaban una licencia.` +
			`{{else}}{{.InUse}} {{plural .InUseN "se asignó" "se asignaron"}} ya a participantes que esperaban una licencia; {{plural .FreeN "queda" "quedan"}} {{.Free}} por asignar.{{end}}`,
		"assigned.action": `Asignar las licencias`,

		"reminder.subject": `{{plural .SeatsN "Su licencia" "Sus licencias"}} de {{.Product}} para {{.Company}} {{plural .SeatsN "vence" "vencen"}} {{.When}}`,
		"reminder.lead": `{{if eq .SeatsN 1}}La licencia de {{.Product}} para {{.Company}} vence el {{.Ends}}.` +
			`{{else}}Las {{.Seats}} licencias de {{.Product}} para {{.Company}} vencen el {{.Ends}}.{{end}}`,
		"reminder.detail": `{{if eq .InUseN 0}}{{plural .SeatsN "No está asignada" "Ninguna está asignada"}} en este momento.` +
			`{{else}}{{.InUse}} {{plural .InUseN "participante perderá" "participantes perderán"}} entonces el acceso, salvo que las renueve.{{end}}`,
		"reminder.action": `Renovar las licencias`,

		"expired.subject": `{{plural .SeatsN "Su licencia" "Sus licencias"}} de {{.Product}} para {{.Company}} {{plural .SeatsN "ha vencido" "han vencido"}}`,
		"expired.lead": `{{if eq .SeatsN 1}}La licencia de {{.Product}} para {{.Company}} venció el {{.Ends}}.` +
			`{{else}}Las {{.Seats}} licencias de {{.Product}} para {{.Company}} vencieron el {{.Ends}}.{{end}}`,
		"expired.detail": `{{if eq .InUseN 0}}Ningún participante {{plural .SeatsN "la" "las"}} estaba usando.` +
			`{{else}}{{.InUse}} {{plural .InUseN "participante ha" "participantes han"}} perdido el acceso. Renueve las licencias para restablecerlo.{{end}}`,
		"expired.action": `Renovar las licencias`,
		"label.email":    `Su correo`,
		"label.valid":    `El enlace vale hasta el`,

		"welcome.subject": `{{if .Company}}Su cuenta para {{.Company}} está lista{{else}}Su cuenta está lista{{end}}`,
		"welcome.lead":    `Se ha creado una cuenta para usted{{with .Company}} en {{.}}{{end}}. Elija su contraseña para iniciar sesión.`,
		"welcome.detail":  `El enlace de abajo solo funciona una vez. Si ha caducado, pida uno nuevo a quien le añadió, o use «¿Olvidó su contraseña?» en la página de inicio de sesión.`,
		"welcome.action":  `Elegir mi contraseña`,
		"welcome.footer":  `Recibe este correo porque alguien añadió {{.Email}} a allot. Las horas se indican en la zona horaria {{.Zone}}.`,

		"welcome.sso.lead":   `Se ha creado una cuenta para usted{{with .Company}} en {{.}}{{end}}. Inicie sesión con su cuenta de {{.SignOn}}: no hay contraseña que elegir.`,
		"welcome.sso.detail": `En la página de inicio de sesión, escriba su correo: allot le lleva al inicio de sesión de {{.SignOn}} y de vuelta.`,
		"welcome.sso.action": `Iniciar sesión`,

		"reset.subject": `Elija una nueva contraseña`,
		"reset.lead":    `Alguien pidió restablecer la contraseña de {{.Email}}. Si fue usted, elija una nueva contraseña con el enlace de abajo.`,
		"reset.detail":  `El enlace solo funciona una vez, durante una hora. Si no lo pidió, ignore este correo: su contraseña no cambia.`,
		"reset.action":  `Elegir una nueva contraseña`,
		"reset.footer":  `Recibe este correo porque se pidió restablecer la contraseña de {{.Email}}. Las horas se indican en la zona horaria {{.Zone}}.`,
		"label.by":      `Solicitado por`,
		"label.until":   `Acceso hasta`,

		"requested.subject": `{{.Company}} solicita {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}}`,
		"requested.lead":    `{{.By}} ha solicitado {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}} para {{.Company}}.`,
		"requested.detail":  `Asigne el pedido para que empiece su plazo, o rechácelo indicando el motivo.`,
		"requested.action":  `Ver el pedido`,

		"rejected.subject": `Su pedido de {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}} para {{.Company}} fue rechazado`,
		"rejected.lead":    `{{.By}} ha rechazado el pedido de {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}} para {{.Company}} que usted solicitó.`,
		"rejected.detail":  `El motivo indicado: {{.Reason}}`,
		"rejected.action":  `Ver los pedidos`,

		"cancelled.subject": `Su pedido de {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}} para {{.Company}} fue cancelado`,
		"cancelled.lead":    `{{.By}} ha cancelado el pedido de {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}} para {{.Company}} que usted solicitó.`,
		"cancelled.detail":  `No dará lugar a licencias. Vuelva a solicitarlas si aún las necesita.`,
		"cancelled.action":  `Ver los pedidos`,

		"seat_given.subject": `Tiene acceso a {{.Product}}`,
		"seat_given.lead":    `{{.Company}} le ha asignado una licencia de {{.Product}}: puede usar {{.Product}} hasta el {{.Ends}}.`,
		"seat_given.detail":  `Su página de acceso indica cuánto dura y dónde usar el producto.`,
		"seat_given.action":  `Ver mi acceso`,

		"seat_renewed.subject": `Su acceso a {{.Product}} se ha renovado`,
		"seat_renewed.lead":    `{{.Company}} ha renovado su licencia de {{.Product}}: puede usar {{.Product}} hasta el {{.Ends}}.`,
		"seat_renewed.detail":  `Su página de acceso indica cuánto dura y dónde usar el producto.`,
		"seat_renewed.action":  `Ver mi acceso`,

		"seat_released.subject": `Su acceso a {{.Product}} ha terminado`,
		"seat_released.lead":    `{{.Company}} liberó su licencia de {{.Product}} el {{.Ends}}: ya no tiene acceso a {{.Product}}.`,
		"seat_released.detail":  `Si aún la necesita, consulte a un responsable de {{.Company}}.`,
		"seat_released.action":  `Ver mi acceso`,

		"reclaim_warning.subject": `Use {{.Product}} para conservar su licencia`,
		"reclaim_warning.lead":    `No ha usado {{.Product}} desde hace tiempo. {{.Company}} recupera las licencias sin uso para dárselas a otras personas: la suya se recuperará el {{.Ends}}.`,
		"reclaim_warning.detail":  `Para conservarla, inicie sesión en {{.Product}} antes de esa fecha. Si ya no la necesita, no tiene que hacer nada.`,
		"reclaim_warning.action":  `Ver mi acceso`,

		"reclaimed.subject": `{{.Company}}: {{.Seats}} {{plural .SeatsN "licencia sin uso recuperada" "licencias sin uso recuperadas"}}`,
		"reclaimed.lead":    `La regla de recuperación de {{.Company}} liberó {{.Seats}} {{plural .SeatsN "licencia" "licencias"}} de {{.Product}} de alumnos que llevaban demasiado tiempo sin iniciar sesión, el {{.Ends}}.`,
		"reclaimed.detail":  `{{plural .SeatsN "Puede volver a asignarse" "Pueden volver a asignarse"}}; los alumnos que esperan una plaza tienen prioridad. La página de recuperación muestra quién perdió su plaza.`,
		"reclaimed.action":  `Ver las reglas de recuperación`,

		"webhook_disabled.subject": `Punto de conexión de webhook desactivado: {{.Endpoint}}`,
		"webhook_disabled.lead":    `allot desactivó el punto de conexión de webhook {{.Endpoint}} el {{.Ends}}: ya no recibe envíos.`,
		"webhook_disabled.detail":  `{{.Reason}} Los envíos aún no hechos esperan; cuando el receptor vuelva a funcionar, active el punto de conexión para reanudarlos, o reenvíe un envío desde su página.`,
		"webhook_disabled.action":  `Ver los webhooks`,
		"label.endpoint":           `Punto de conexión`,
		"label.programme":          `Programa`,
		"label.from":               `Acceso desde el`,

		"invitation.subject":       `{{.Company}} le invita a {{.Programme}}`,
		"invitation.lead":          `{{.Company}} le invita a {{.Programme}}, con acceso a {{.Product}} del {{.Starts}} al {{.Ends}}.`,
		"invitation.detail":        `Elija su contraseña con el enlace de abajo para aceptar. El enlace sirve una sola vez; si ha caducado, use «¿Olvidó su contraseña?» en la página de inicio de sesión.`,
		"invitation.signin.detail": `Inicie sesión con {{.Email}} y su contraseña para aceptar.`,
		"invitation.sso.detail":    `Inicie sesión con su cuenta de {{.SignOn}} para aceptar: indique su correo en la página de inicio de sesión y allot le redirige.`,
		"invitation.action":        `Aceptar la invitación`,
		"invitation.footer":        `Recibe este correo porque {{.Company}} invitó a {{.Email}}. Las horas se indican en la zona horaria {{.Zone}}.`,
		"ref":                      `n.º {{.RequestID}}`,
		"label.request":            `Solicitud`,
		"label.priority":           `Prioridad`,
		"label.answer":             `Primera respuesta antes del`,
		"label.due":                `Vence el`,
		"priority.low":             `Baja`,
		"priority.normal":          `Normal`,
		"priority.high":            `Alta`,
		"priority.urgent":          `Urgente`,

		"target.first_response": `primera respuesta`,
		"target.next_response":  `siguiente respuesta`,
		"target.resolution":     `resolución`,

		"support.footer": `Recibe este correo por la solicitud {{.Ref}} enviada al soporte.{{with .Due}} Las horas se indican en la zona horaria {{$.Zone}}.{{end}}`,
		"desk.footer":    `Recibe este correo porque trabaja en el soporte.{{with .Due}} Las horas se indican en la zona horaria {{$.Zone}}.{{end}}`,

		"support_received.subject": `Hemos recibido su solicitud: {{.Request}} ({{.Ref}})`,
		"support_received.lead":    `Su solicitud «{{.Request}}» ({{.Ref}}) ha llegado al equipo de soporte.`,
		"support_received.detail": `La primera respuesta llegará por correo antes del {{.Due}}.` +
			` {{if .ByMail}}Para añadir algo, responda a este correo.{{else}}Para añadir algo, escriba en la página de la solicitud.{{end}}`,
		"support_received.action": `Ver la solicitud`,

		"support_reply.subject": `Nueva respuesta a la solicitud {{.Ref}}: {{.Request}}`,
		"support_reply.lead":    `El equipo de soporte ha respondido a la solicitud «{{.Request}}» ({{.Ref}}):`,
		"support_reply.detail": `{{if .ByMail}}Para contestar, responda a este correo escribiendo encima del texto citado: su respuesta se añadirá a la solicitud.` +
			`{{else}}Para contestar, escriba en la página de la solicitud.{{end}}`,
		"support_reply.action": `Abrir la solicitud`,

		"support_update.subject": `Nuevo mensaje en la solicitud {{.Ref}}: {{.Request}}`,
		"support_update.lead":    `El cliente ha escrito en la solicitud «{{.Request}}» ({{.Ref}}):`,
		"support_update.detail":  `Responda desde el soporte, donde su respuesta se mide con los plazos de la solicitud.`,
		"support_update.action":  `Abrir en el soporte`,

		"support_copied.subject": `Está en copia de la solicitud {{.Ref}}: {{.Request}}`,
		"support_copied.lead":    `Como contacto de Customer Success{{with .Company}} de {{.}}{{end}}, le han puesto en copia de la solicitud «{{.Request}}» ({{.Ref}}).`,
		"support_copied.detail":  `Recibirá por correo las respuestas del soporte a esta solicitud.`,
		"support_copied.action":  `Abrir en el soporte`,

		"support_escalated.subject": `Solicitud {{.Ref}} escalada a usted: {{.Request}}`,
		"support_escalated.lead":    `Soporte ha pasado la solicitud «{{.Request}}» ({{.Ref}}) a Customer Success: ahora está asignada a usted. La nota explica por qué:`,
		"support_escalated.detail":  `Los plazos de la solicitud siguen corriendo.`,
		"support_escalated.action":  `Abrir en el soporte`,

		"support_warning.subject": `Solicitud {{.Ref}}: el plazo de la {{.Target}} vence pronto ({{.Request}})`,
		"support_warning.lead":    `Ha pasado la mayor parte del plazo de la {{.Target}} de la solicitud «{{.Request}}» ({{.Ref}}): vence el {{.Due}}.`,
		"support_warning.detail":  `Atiéndala, o pásela a quien pueda hacerlo, antes de que venza el plazo.`,
		"support_warning.action":  `Abrir en el soporte`,

		"support_breach.subject": `Solicitud {{.Ref}}: plazo de la {{.Target}} incumplido ({{.Request}})`,
		"support_breach.lead":    `El plazo de la {{.Target}} de la solicitud «{{.Request}}» ({{.Ref}}) se ha incumplido: vencía el {{.Due}}.`,
		"support_breach.detail":  `El incumplimiento queda registrado en la solicitud. Atiéndala lo antes posible.`,
		"support_breach.action":  `Abrir en el soporte`,
	},
}
