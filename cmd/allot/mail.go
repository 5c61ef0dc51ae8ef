package main

import (
	"allot/mail"
	"context"
	"fmt"
	"net"
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

// listenSupport starts the SMTP listener that adds the replies to the
// support desk's mail to their requests, when it is configured, and
// returns where it listens ("" when off) and a function that stops it.
func (m *Main) listenSupport() (string, func(), error) {
	if m.Config.SupportListen == "" {
		return "", func() {}, nil
	}
	reply, err := mail.ParseReplyAddress(m.Config.SupportReplyTo)
	if err != nil {
		return "", nil, err
	}
	in, err := mail.NewInbound(m.Support, reply, m.Log)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", m.Config.SupportListen)
	if err != nil {
		return "", nil, fmt.Errorf("support mail: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- in.Serve(ln) }()
	stop := func() {
		in.Close()
		if err := <-done; err != nil {
			m.Log.Error("support mail listener", "err", err)
		}
	}
	return ln.Addr().String(), stop, nil
}
