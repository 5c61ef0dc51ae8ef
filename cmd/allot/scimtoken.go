package main

import (
	"context"
	"fmt"
	"strconv"

	"allot"
)

// scimToken makes the SCIM token of the company -company names, making
// it a direct customer of that name first when there is none (an ID
// names one that exists), and prints
// the token's secret alone on its line: what a directory is given, with
// BASE/scim/v2. A new token replaces the one the company had.
func (m *Main) scimToken(ctx context.Context, args []string) error {
	name := m.Config.SCIMCompany
	if len(args) > 0 || name == "" {
		fmt.Fprintln(m.Stderr, "allot scim-token: give -company COMPANY, e.g. allot scim-token -company Acme")
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	c, err := m.findCompany(ctx, name)
	if _, isID := strconv.ParseInt(name, 10, 64); allot.ErrorCode(err) == allot.ENOTFOUND && isID != nil {
		c, _, err = m.Service.CreateCompany(allot.WithPrincipal(ctx, allot.System), allot.NewCompany{Name: name})
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "allot scim-token: -company: %s\n", allot.ErrorMessage(err))
		return exitCode(2)
	}
	_, secret, err := m.SCIM.NewToken(allot.WithPrincipal(ctx, allot.System), c.ID)
	if err != nil {
		return fmt.Errorf("scim-token: %w", err)
	}
	fmt.Fprintln(m.Stdout, secret)
	return nil
}
