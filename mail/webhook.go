package mail

// KindWebhookDisabled tells the managers of a webhook endpoint's owner (a
// partner's managers, or the vendor admins) that it was disabled (at
// EndsAt), its address (Endpoint) and why (Reason).
const KindWebhookDisabled Kind = "webhook_disabled"

// checkWebhook checks what a mail about a webhook endpoint reports: its
// address and why it was disabled.
func (m Message) checkWebhook() error {
	if err := checkText("endpoint", m.Endpoint, true); err != nil {
		return err
	}
	if len(m.Endpoint) > maxLink {
		return invalid("the endpoint's address has at most %d bytes", maxLink)
	}
	if err := checkText("reason", m.Reason, true); err != nil {
		return err
	}
	return nil
}
