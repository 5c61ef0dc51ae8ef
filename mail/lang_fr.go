package mail

import (
	"fmt"
	"strconv"
	"time"
)

var frenchMonths = [12]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

var french = language{
	code: "fr",
	at: func(t time.Time) string {
		day := strconv.Itoa(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return fmt.Sprintf("%s %s %d à %s", day, frenchMonths[t.Month()-1], t.Year(), t.Format("15:04"))
	},
	thousands: "\u202f", // narrow no-break space
	groupFrom: 4,
	colon:     "\u00a0: ", // French puts a no-break space before a colon
	singular:  func(n int) bool { return n < 2 },
	words: map[string]string{
		"greeting": `{{if .Name}}Bonjour {{.Name}},{{else}}Bonjour,{{end}}`,
		"footer": `{{if .Learner}}Vous recevez cet e-mail parce que vous utilisez {{.Product}} chez {{.Company}}.` +
			`{{else}}Vous recevez cet e-mail parce que vous gérez les licences de {{if .Partner}}votre client {{end}}{{.Company}}.{{end}}` +
			` Les heures sont données dans le fuseau horaire {{.Zone}}.`,
		"today":    `aujourd'hui`,
		"in.days":  `dans {{.Count}} {{plural .N "jour" "jours"}}`,
		"in.hours": `dans {{.Count}} {{plural .N "heure" "heures"}}`,

		"label.product": `Produit`,
		"label.company": `Entreprise`,
		"label.seats":   `Licences`,
		"label.free":    `À attribuer`,
		"label.inuse":   `Attribuées`,
		"label.ends":    `Fin`,
		"label.ended":   `Fin`,

		"assigned.subject": `{{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}} {{plural .SeatsN "prête" "prêtes"}} pour {{.Company}}`,
		"assigned.lead":    `{{.Company}} a reçu {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}}, {{plural .SeatsN "valable" "valables"}} jusqu'au {{.Ends}}.`,
		"assigned.detail": `{{if eq .FreeN .SeatsN}}{{plural .SeatsN "Elle est prête à être attribuée" "Elles sont prêtes à être attribuées"}} {{if .Partner}}aux apprenants de votre client{{else}}à vos apprenants{{end}}.` +
			`{{else if eq .FreeN 0}}{{plural .SeatsN "Elle a déjà été attribuée à un apprenant" "Toutes ont déjà été attribuées à des apprenants"}} qui attendaient une licence.` +
			`{{else}}{{.InUse}} {{plural .InUseN "a déjà été attribuée" "ont déjà été attribuées"}} à des apprenants qui attendaient une licence. Il en reste {{.Free}} à attribuer.{{end}}`,
		"assigned.action": `Attribuer les licences`,

		"reminder.subject": `{{plural .SeatsN "Votre licence" "Vos licences"}} {{.Product}} pour {{.Company}} {{plural .SeatsN "expire" "expirent"}} {{.When}}`,
		"reminder.lead": `{{if eq .SeatsN 1}}La licence {{.Product}} de {{.Company}} prend fin le {{.Ends}}.` +
			`{{else}}Les {{.Seats}} licences {{.Product}} de {{.Company}} prennent fin le {{.Ends}}.{{end}}`,
		"reminder.detail": `{{if eq .InUseN 0}}{{plural .SeatsN "Elle n'est" "Aucune n'est"}} attribuée pour le moment.` +
			`{{else}}{{.InUse}} {{plural .InUseN "apprenant perdra" "apprenants perdront"}} alors l'accès, à moins que vous ne renouveliez.{{end}}`,
		"reminder.action": `Renouveler les licences`,

		"expired.subject": `{{plural .SeatsN "Votre licence" "Vos licences"}} {{.Product}} pour {{.Company}} {{plural .SeatsN "a expiré" "ont expiré"}}`,
		"expired.lead": `{{if eq .SeatsN 1}}La licence {{.Product}} de {{.Company}} a pris fin le {{.Ends}}.` +
			`{{else}}Les {{.Seats}} licences {{.Product}} de {{.Company}} ont pris fin le {{.Ends}}.{{end}}`,
		"expired.detail": `{{if eq .InUseN 0}}Aucun apprenant ne {{plural .SeatsN "l'utilisait" "les utilisait"}}.` +
			`{{else}}{{.InUse}} {{plural .InUseN "apprenant a" "apprenants ont"}} perdu l'accès. Renouvelez les licences pour le rétablir.{{end}}`,
		"expired.action": `Renouveler les licences`,
		"label.email":    `Votre e-mail`,
		"label.valid":    `Le lien est valable jusqu'au`,

		"welcome.subject": `{{if .Company}}Votre compte pour {{.Company}} est prêt{{else}}Votre compte est prêt{{end}}`,
		"welcome.lead":    `Un compte a été créé pour vous{{with .Company}} chez {{.}}{{end}}. Choisissez votre mot de passe pour vous connecter.`,
		"welcome.detail":  `Le lien ci-dessous ne sert qu'une fois. S'il a expiré, demandez-en un nouveau à la personne qui vous a ajouté, ou utilisez « Mot de passe oublié ? » sur la page de connexion.`,
		"welcome.action":  `Choisir mon mot de passe`,
		"welcome.footer":  `Vous recevez cet e-mail parce que quelqu'un a ajouté {{.Email}} à allot. Les heures sont données dans le fuseau horaire {{.Zone}}.`,

		"welcome.sso.lead":   `Un compte a été créé pour vous{{with .Company}} chez {{.}}{{end}}. Vous vous connectez avec votre compte {{.SignOn}} : aucun mot de passe à choisir.`,
		"welcome.sso.detail": `Sur la page de connexion, donnez votre e-mail : allot vous envoie vers la connexion de {{.SignOn}}, puis vous ramène.`,
		"welcome.sso.action": `Se connecter`,

		"reset.subject": `Choisissez un nouveau mot de passe`,
		"reset.lead":    `Quelqu'un a demandé à réinitialiser le mot de passe de {{.Email}}. Si c'est vous, choisissez un nouveau mot de passe avec le lien ci-dessous.`,
		"reset.detail":  `Le lien ne sert qu'une fois, pendant une heure. Si vous n'avez rien demandé, ignorez cet e-mail : votre mot de passe ne change pas.`,
		"reset.action":  `Choisir un nouveau mot de passe`,
		"reset.footer":  `Vous recevez cet e-mail parce qu'une réinitialisation du mot de passe a été demandée pour {{.Email}}. Les heures sont données dans le fuseau horaire {{.Zone}}.`,
		"label.by":      `Demandée par`,
		"label.until":   `Accès jusqu'au`,

		"requested.subject": `{{.Company}} demande {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}}`,
		"requested.lead":    `{{.By}} a demandé {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}} pour {{.Company}}.`,
		"requested.detail":  `Attribuez la commande pour en lancer la durée, ou refusez-la en disant pourquoi.`,
		"requested.action":  `Voir la commande`,

		"rejected.subject": `Votre commande de {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}} pour {{.Company}} a été refusée`,
		"rejected.lead":    `{{.By}} a refusé la commande de {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}} pour {{.Company}} que vous aviez demandée.`,
		"rejected.detail":  `Motif donné : {{.Reason}}`,
		"rejected.action":  `Voir les commandes`,

		"cancelled.subject": `Votre commande de {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}} pour {{.Company}} a été annulée`,
		"cancelled.lead":    `{{.By}} a annulé la commande de {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}} pour {{.Company}} que vous aviez demandée.`,
		"cancelled.detail":  `Aucune licence n'en viendra. Demandez-les de nouveau si elles sont toujours nécessaires.`,
		"cancelled.action":  `Voir les commandes`,

		"seat_given.subject": `Vous avez accès à {{.Product}}`,
		"seat_given.lead":    `{{.Company}} vous a attribué une licence {{.Product}} : vous pouvez utiliser {{.Product}} jusqu'au {{.Ends}}.`,
		"seat_given.detail":  `Votre page d'accès indique combien de temps il dure et où utiliser le produit.`,
		"seat_given.action":  `Voir mon accès`,

		"seat_renewed.subject": `Votre accès à {{.Product}} est renouvelé`,
		"seat_renewed.lead":    `{{.Company}} a renouvelé votre licence {{.Product}} : vous pouvez utiliser {{.Product}} jusqu'au {{.Ends}}.`,
		"seat_renewed.detail":  `Votre page d'accès indique combien de temps il dure et où utiliser le produit.`,
		"seat_renewed.action":  `Voir mon accès`,

		"seat_released.subject": `Votre accès à {{.Product}} a pris fin`,
		"seat_released.lead":    `{{.Company}} a libéré votre licence {{.Product}} le {{.Ends}} : vous n'avez plus accès à {{.Product}}.`,
		"seat_released.detail":  `Si vous en avez encore besoin, adressez-vous à un responsable de {{.Company}}.`,
		"seat_released.action":  `Voir mon accès`,

		"reclaim_warning.subject": `Utilisez {{.Product}} pour garder votre licence`,
		"reclaim_warning.lead":    `Vous n'avez pas utilisé {{.Product}} depuis un moment. {{.Company}} reprend les licences inutilisées pour les attribuer à d'autres : la vôtre sera reprise le {{.Ends}}.`,
		"reclaim_warning.detail":  `Pour la garder, connectez-vous à {{.Product}} d'ici là. Si vous n'en avez plus besoin, vous n'avez rien à faire.`,
		"reclaim_warning.action":  `Voir mon accès`,

		"reclaimed.subject": `{{.Company}} : {{.Seats}} {{plural .SeatsN "licence inutilisée reprise" "licences inutilisées reprises"}}`,
		"reclaimed.lead":    `La règle de reprise de {{.Company}} a libéré {{.Seats}} {{plural .SeatsN "licence" "licences"}} {{.Product}} d'apprenants qui ne s'étaient pas connectés depuis trop longtemps, le {{.Ends}}.`,
		"reclaimed.detail":  `{{plural .SeatsN "Elle peut être attribuée" "Elles peuvent être attribuées"}} à nouveau ; les apprenants en attente d'une place passent en premier. La page de reprise indique qui a perdu sa place.`,
		"reclaimed.action":  `Voir les règles de reprise`,

		"webhook_disabled.subject": `Point de terminaison de webhook désactivé : {{.Endpoint}}`,
		"webhook_disabled.lead":    `allot a désactivé le point de terminaison de webhook {{.Endpoint}} le {{.Ends}} : il ne reçoit plus aucun envoi.`,
		"webhook_disabled.detail":  `{{.Reason}} Les envois pas encore faits attendent ; quand le récepteur fonctionne de nouveau, réactivez le point de terminaison pour les reprendre, ou renvoyez un envoi depuis sa page.`,
		"webhook_disabled.action":  `Voir les webhooks`,
		"label.endpoint":           `Point de terminaison`,
		"label.programme":          `Programme`,
		"label.from":               `Accès à partir du`,

		"invitation.subject":       `{{.Company}} vous invite à {{.Programme}}`,
		"invitation.lead":          `{{.Company}} vous invite à {{.Programme}}, avec un accès à {{.Product}} du {{.Starts}} au {{.Ends}}.`,
		"invitation.detail":        `Choisissez votre mot de passe avec le lien ci-dessous pour accepter. Le lien ne sert qu'une fois ; une fois expiré, utilisez « Mot de passe oublié ? » sur la page de connexion.`,
		"invitation.signin.detail": `Connectez-vous avec {{.Email}} et votre mot de passe pour accepter.`,
		"invitation.sso.detail":    `Connectez-vous avec votre compte {{.SignOn}} pour accepter : indiquez votre e-mail sur la page de connexion, allot vous redirige.`,
		"invitation.action":        `Accepter l'invitation`,
		"invitation.footer":        `Vous recevez cet e-mail parce que {{.Company}} a invité {{.Email}}. Les heures sont données dans le fuseau horaire {{.Zone}}.`,
		"ref":                      `n° {{.RequestID}}`,
		"label.request":            `Demande`,
		"label.priority":           `Priorité`,
		"label.answer":             `Première réponse d'ici le`,
		"label.due":                `Échéance`,
		"priority.low":             `Basse`,
		"priority.normal":          `Normale`,
		"priority.high":            `Haute`,
		"priority.urgent":          `Urgente`,

		"target.first_response": `première réponse`,
		"target.next_response":  `réponse suivante`,
		"target.resolution":     `résolution`,

		"support.footer": `Vous recevez cet e-mail au sujet de la demande {{.Ref}} adressée au support.{{with .Due}} Les heures sont données dans le fuseau horaire {{$.Zone}}.{{end}}`,
		"desk.footer":    `Vous recevez cet e-mail parce que vous travaillez au support.{{with .Due}} Les heures sont données dans le fuseau horaire {{$.Zone}}.{{end}}`,

		"support_received.subject": `Nous avons bien reçu votre demande : {{.Request}} ({{.Ref}})`,
		"support_received.lead":    `Votre demande « {{.Request}} » ({{.Ref}}) est bien parvenue au support.`,
		"support_received.detail": `La première réponse est attendue d'ici le {{.Due}} et vous parviendra par e-mail.` +
			` {{if .ByMail}}Pour ajouter quelque chose, répondez à cet e-mail.{{else}}Pour ajouter quelque chose, écrivez sur la page de la demande.{{end}}`,
		"support_received.action": `Voir la demande`,

		"support_reply.subject": `Nouvelle réponse à la demande {{.Ref}} : {{.Request}}`,
		"support_reply.lead":    `Le support a répondu à la demande « {{.Request}} » ({{.Ref}}) :`,
		"support_reply.detail": `{{if .ByMail}}Pour répondre, répondez à cet e-mail en écrivant au-dessus du texte cité : votre réponse rejoindra la demande.` +
			`{{else}}Pour répondre, écrivez sur la page de la demande.{{end}}`,
		"support_reply.action": `Ouvrir la demande`,

		"support_update.subject": `Nouveau message sur la demande {{.Ref}} : {{.Request}}`,
		"support_update.lead":    `Le client a écrit sur la demande « {{.Request}} » ({{.Ref}}) :`,
		"support_update.detail":  `Répondez depuis le support, où votre réponse est mesurée aux délais de la demande.`,
		"support_update.action":  `Ouvrir dans le support`,

		"support_copied.subject": `Vous êtes en copie de la demande {{.Ref}} : {{.Request}}`,
		"support_copied.lead":    `En tant qu'interlocuteur Customer Success{{with .Company}} de {{.}}{{end}}, vous avez été mis en copie de la demande « {{.Request}} » ({{.Ref}}).`,
		"support_copied.detail":  `Les réponses du support à cette demande vous parviendront par e-mail.`,
		"support_copied.action":  `Ouvrir dans le support`,

		"support_escalated.subject": `La demande {{.Ref}} vous est transmise : {{.Request}}`,
		"support_escalated.lead":    `Le support a transmis la demande « {{.Request}} » ({{.Ref}}) à Customer Success : elle vous est désormais attribuée. La note dit pourquoi :`,
		"support_escalated.detail":  `Les délais de la demande continuent de courir.`,
		"support_escalated.action":  `Ouvrir dans le support`,

		"support_warning.subject": `Demande {{.Ref}} : délai de {{.Target}} bientôt atteint ({{.Request}})`,
		"support_warning.lead":    `L'essentiel du délai de {{.Target}} de la demande « {{.Request}} » ({{.Ref}}) est écoulé : échéance le {{.Due}}.`,
		"support_warning.detail":  `Traitez-la, ou confiez-la à quelqu'un qui le peut, avant que le délai ne soit dépassé.`,
		"support_warning.action":  `Ouvrir dans le support`,

		"support_breach.subject": `Demande {{.Ref}} : délai de {{.Target}} dépassé ({{.Request}})`,
		"support_breach.lead":    `Le délai de {{.Target}} de la demande « {{.Request}} » ({{.Ref}}) est dépassé : l'échéance était le {{.Due}}.`,
		"support_breach.detail":  `Le dépassement est enregistré sur la demande. Traitez-la dès que possible.`,
		"support_breach.action":  `Ouvrir dans le support`,
	},
}
