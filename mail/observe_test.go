package mail_test

import (
	"net/http/httptest"
	"testing"

	"allot"
	"allot/jobs"
	"allot/mail"
	"allot/metrics"
	"allot/metrics/metricstest"
	"allot/storetest"

	"github.com/emersion/go-smtp"
)

// observed makes w's worker deliver mail through sender (kept when nil),
// counted in metrics m.
func observed(w *world, sender mail.Sender, m *metrics.Metrics) {
	d := &mail.Deliverer{Store: w.svc.Store, Clock: w.clock, Sender: sender, BaseURL: "https://allot.example/", Observe: m.Mail}
	w.worker.Handlers = map[string]jobs.Handler{allot.JobMail: d.Handle}
}

// mails scrapes m and returns its count of mails of outcome.
func mails(t *testing.T, m *metrics.Metrics, outcome string) float64 {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	return metricstest.Scrape(t, srv.URL, "").Counter("allot_mails_total", "outcome", outcome)
}

// TestObserveMail counts a mail kept without an SMTP server, one the
// server refuses and the same one sent when it takes it.
func TestObserveMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		m := metrics.New()
		w := newWorld(t, b, nil)
		observed(w, nil, m)
		w.assign(t)
		w.tick(t)
		if kept := len(w.recorded(t)); kept != 1 || mails(t, m, allot.MailKept) != 1 || mails(t, m, allot.MailSent) != 0 {
			t.Errorf("%d kept: counted %v kept, %v sent; want 1 and 0", kept, mails(t, m, allot.MailKept), mails(t, m, allot.MailSent))
		}

		m = metrics.New()
		srv := startServer(t)
		w = newWorld(t, b, nil)
		observed(w, newSender(t, srv.config()), m)
		srv.refuseAt("mail", &smtp.SMTPError{Code: 451, Message: "try again later"})
		w.assign(t)
		w.tick(t)
		if got := mails(t, m, mail.MailFailed); got != 1 || mails(t, m, allot.MailSent) != 0 {
			t.Errorf("refused: %v failed, %v sent; want 1 and 0", got, mails(t, m, allot.MailSent))
		}
		srv.refuseAt("mail", nil)
		w.clock.Advance(allot.Backoff(1))
		w.tick(t)
		if got := mails(t, m, allot.MailSent); got != 1 || len(srv.received()) != 1 || mails(t, m, mail.MailFailed) != 1 {
			t.Errorf("taken: %v sent (%d received), %v failed; want 1, 1 and 1", got, len(srv.received()), mails(t, m, mail.MailFailed))
		}
	})
}
