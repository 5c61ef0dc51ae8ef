package mail_test

import (
	"strings"
	"testing"

	"allot/mail"
)

// TestRenderReclaim checks the reclaim rules' mails in every language: the
// learner's warning names the product and the day the seat goes back, and
// speaks to the learner; the managers' summary counts the seats.
func TestRenderReclaim(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang                 string
		warning, ends, count string
	}{
		{"en", "Use Premium to keep your licence", "1 February 2027 at 00:30", "3 unused licences taken back"},
		{"fr", "Utilisez Premium pour garder votre licence", "1er février 2027 à 00:30", "3 licences inutilisées reprises"},
		{"de", "Nutzen Sie Premium, um Ihre Lizenz zu behalten", "1. Februar 2027 um 00:30 Uhr", "3 ungenutzte Lizenzen zurückgenommen"},
		{"es", "Use Premium para conservar su licencia", "1 de febrero de 2027 a las 00:30", "3 licencias sin uso recuperadas"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			w := message(mail.KindReclaimWarning, tt.lang, "Europe/Paris")
			w.Reader = mail.ReaderLearner
			r := render(t, w)
			if r.Subject != tt.warning || !strings.Contains(r.Text, tt.ends) || !strings.Contains(r.HTML, "Premium") {
				t.Errorf("the warning reads %q:\n%s", r.Subject, r.Text)
			}
			s := message(mail.KindReclaimed, tt.lang, "Europe/Paris")
			s.Seats, s.Free = 3, 0
			r = render(t, s)
			if !strings.Contains(r.Subject, tt.count) || !strings.Contains(r.Text, "Acme Ltd") {
				t.Errorf("the summary reads %q:\n%s", r.Subject, r.Text)
			}
		})
	}
}
