package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"allot"
	"allot/scim"
	"allot/store"
)

// TestSCIMToken makes a company's SCIM token, the company with it, then a
// new token by the company's ID, which replaces the first.
func TestSCIMToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "allot.db")
	token := func(args ...string) string {
		t.Helper()
		code, out, errout := run(t, append([]string{"scim-token", "-database", db}, args...)...)
		if code != 0 || !strings.HasPrefix(out, scim.TokenPrefix) || strings.Count(out, "\n") != 1 {
			t.Fatalf("exit %d, printed %q, %q; want a token on a line", code, out, errout)
		}
		return strings.TrimSpace(out)
	}
	first := token("-company", "Initech")

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := &scim.Service{Ledger: allot.NewService(st, allot.SystemClock{}, nil), Store: st.SCIM()}
	p, err := svc.Authenticate(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Ledger.Company(allot.WithPrincipal(context.Background(), allot.System), p.CompanyID)
	if err != nil || c.Name != "Initech" {
		t.Fatalf("the token is company %d's (%+v, %v), want Initech's", p.CompanyID, c, err)
	}

	second := token("-company", strconv.FormatInt(c.ID, 10))
	if _, err := svc.Authenticate(context.Background(), first); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
		t.Errorf("the first token after a second: %v, want it refused", err)
	}
	if q, err := svc.Authenticate(context.Background(), second); err != nil || q.CompanyID != c.ID {
		t.Errorf("the second token: company %d, %v; want %d", q.CompanyID, err, c.ID)
	}
	cs, err := svc.Ledger.Companies(allot.WithPrincipal(context.Background(), allot.System), allot.CompanyFilter{Search: "Initech"})
	if err != nil || len(cs) != 1 {
		t.Errorf("companies named Initech: %v, %v; want one", cs, err)
	}

	for _, bad := range []struct {
		args []string
		want string
	}{
		{nil, "give -company COMPANY"},
		{[]string{"-company", "Initech", "now"}, "give -company COMPANY"},
		{[]string{"-company", "999"}, "company not found"},
	} {
		code, out, errout := run(t, append([]string{"scim-token", "-database", db}, bad.args...)...)
		if code != 2 || out != "" || !strings.Contains(errout, bad.want) {
			t.Errorf("scim-token %v: exit %d, printed %q, %q; want 2 and %q", bad.args, code, out, errout, bad.want)
		}
	}
}
