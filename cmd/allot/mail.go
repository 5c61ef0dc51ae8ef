package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"allot"
)

// mail lists the mail allot recorded, newest first: what went out to an
// SMTP server, and what was kept because none is configured.
func (m *Main) mail(ctx context.Context, args []string) error {
	if len(args) > 0 {
		fmt.Fprintf(m.Stderr, "allot mail: unexpected argument %q\n", args[0])
		return exitCode(2)
	}
	if n := m.Config.MailLimit; n < 1 || n > allot.MaxLimit {
		fmt.Fprintf(m.Stderr, "allot mail: -limit: give 1 to %d, not %d\n", allot.MaxLimit, n)
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	mails, _, err := m.Service.Outbox(allot.WithPrincipal(ctx, allot.System), allot.MailFilter{Limit: m.Config.MailLimit})
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if len(mails) == 0 {
		fmt.Fprintln(m.Stdout, "no mail yet: mail is recorded once the server sends it")
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAT\tSTATUS\tKIND\tTO\tSUBJECT")
	for _, ml := range mails {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", ml.ID, ml.At.UTC().Format(time.RFC3339), ml.Status, ml.Kind, ml.To, oneLine(ml.Subject))
	}
	return tw.Flush()
}
