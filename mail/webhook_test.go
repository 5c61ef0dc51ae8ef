package mail_test

import (
	"strings"
	"testing"

	"allot/mail"
)

// TestRenderWebhookDisabled checks the mail saying a webhook endpoint was
// disabled in every language: it names the endpoint and the day, and says
// why, in the words given.
func TestRenderWebhookDisabled(t *testing.T) {
	t.Parallel()
	tests := []struct{ lang, subject, ends string }{
		{"en", "Webhook endpoint disabled: https://hooks.acme.example/allot", "1 February 2027 at 00:30"},
		{"fr", "Point de terminaison de webhook désactivé : https://hooks.acme.example/allot", "1er février 2027 à 00:30"},
		{"de", "Webhook-Endpunkt deaktiviert: https://hooks.acme.example/allot", "1. Februar 2027 um 00:30 Uhr"},
		{"es", "Punto de conexión de webhook desactivado: https://hooks.acme.example/allot", "1 de febrero de 2027 a las 00:30"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			m := message(mail.KindWebhookDisabled, tt.lang, "Europe/Paris")
			m.Company, m.Reason = "", "It answered 410 Gone."
			r := render(t, m)
			if r.Subject != tt.subject || !strings.Contains(r.Text, tt.ends) || !strings.Contains(r.Text, "It answered 410 Gone.") {
				t.Errorf("the mail reads %q:\n%s", r.Subject, r.Text)
			}
			m.Endpoint = ""
			if _, err := mail.Render(m); err == nil {
				t.Error("a mail without its endpoint renders")
			}
		})
	}
}
