package allot_test

import (
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestLearnersMakeNoTokens checks that a learner may not make an API token
// (403: they need none, and the product's integration checks them), while
// managers and the vendor's staff may, each for themself.
func TestLearnersMakeNoTokens(t *testing.T) {
	w := world.New(t, storetest.Backends[0])
	for who, want := range map[string]string{"acme learner": allot.EFORBIDDEN, "globex learner": allot.EFORBIDDEN,
		"acme cm": "", "pm": "", "pm@acme": "", "agent": "", "admin": ""} {
		t.Run(who, func(t *testing.T) {
			tk, _, err := w.Svc.CreateToken(w.Ctx(t, who), "script", time.Time{})
			world.WantError(t, err, want, "")
			if err == nil && tk.UserID != w.Who[who].UserID {
				t.Errorf("the token is %d's, want %d's", tk.UserID, w.Who[who].UserID)
			}
		})
	}
}
