package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"allot"
)

// jobs lists the jobs that wait to run or have failed, newest first,
// reading the store directly: it is the operator's view, and works while
// the server is down.
func (m *Main) jobs(ctx context.Context, args []string) error {
	if len(args) > 0 {
		fmt.Fprintf(m.Stderr, "allot jobs: unexpected argument %q\n", args[0])
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	var jobs []allot.Job
	err := m.Store.Read(ctx, func(tx allot.Tx) error {
		var err error
		jobs, err = tx.Jobs(allot.JobFilter{Statuses: []allot.JobStatus{allot.JobPending, allot.JobFailed}, Limit: allot.MaxLimit})
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if len(jobs) == 0 {
		fmt.Fprintln(m.Stdout, "no job is pending or failed")
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tKEY\tSTATUS\tATTEMPTS\tRUN AT\tLAST ERROR")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d/%d\t%s\t%s\n", j.ID, j.Kind, j.Key, j.Status, j.Attempts, j.MaxAttempts,
			j.RunAt.UTC().Format(time.RFC3339), oneLine(j.LastError))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(jobs) == allot.MaxLimit {
		fmt.Fprintf(m.Stdout, "(the newest %d; there may be more)\n", allot.MaxLimit)
	}
	return nil
}

// oneLine makes s fit on one line of a table; "-" for nothing.
func oneLine(s string) string {
	if s = strings.Join(strings.Fields(s), " "); s == "" {
		return "-"
	}
	return s
}
