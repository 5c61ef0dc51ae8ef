package mail

// MailFailed is the outcome of a mail the SMTP server did not take, for
// now (its job tries again) or for good.
const MailFailed = "failed"

// observe tells Observe, when set, how a mail went.
func (d *Deliverer) observe(outcome string) {
	if d.Observe != nil {
		d.Observe(outcome)
	}
}
