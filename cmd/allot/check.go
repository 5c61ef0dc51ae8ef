package main

import (
	"context"
	"fmt"
	"time"

	"allot"
)

// check prints the entitlement decision for EMAIL and PRODUCT and exits 0
// when access is allowed, 1 when it is refused.
func (m *Main) check(ctx context.Context, args []string) error {
	if len(args) != 2 {
		fmt.Fprintln(m.Stderr, "allot check: give EMAIL and PRODUCT, e.g. allot check ada@acme.example premium")
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	d, err := m.Service.Check(allot.WithPrincipal(ctx, allot.System), allot.EntitlementQuery{Email: args[0], ProductCode: args[1]})
	if err != nil {
		fmt.Fprintf(m.Stderr, "allot check: %s\n", allot.ErrorMessage(err))
		if allot.ErrorCode(err) == allot.EINTERNAL {
			m.Log.Error("check", "err", err)
		}
		return exitCode(2)
	}
	fmt.Fprint(m.Stdout, FormatDecision(d))
	if !d.Allowed {
		return exitCode(1)
	}
	return nil
}

// FormatDecision renders a decision for people, one fact a line.
func FormatDecision(d allot.Decision) string {
	if d.Allowed {
		return fmt.Sprintf("yes: %s may use %s until %s (%s)\n", d.Email, d.ProductCode, d.Until.Format(time.RFC3339), d.Status)
	}
	s := fmt.Sprintf("no: %s may not use %s: %s (%s)\n", d.Email, d.ProductCode, d.Message, d.Reason)
	if d.Contact != nil {
		s += fmt.Sprintf("contact: %s <%s>\n", d.Contact.Name, d.Contact.Email)
	}
	return s
}
