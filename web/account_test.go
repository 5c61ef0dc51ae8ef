package web_test

import (
	"testing"
)

// TestAccountPageByRole: a learner's account page offers neither making
// API tokens nor a second factor; a manager's offers both.
func TestAccountPageByRole(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		_, body := s.signIn(t, "learner@acme.test").get("/account")
		expect(t, "a learner's account", body, []string{"Change password"},
			[]string{"Make a token", "Two-step sign-in", "<h2>API tokens</h2>"})
		_, body = s.signIn(t, "cm@acme.test").get("/account")
		expect(t, "a manager's account", body, []string{"Change password", "Make a token", "Set up two-step sign-in"}, nil)
	})
}
