package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/csvio"
	"allot/directory"
)

// importFlags are the flags of allot import.
type importFlags struct {
	company string
	mapping mappingFlag
	dryRun  bool
	welcome bool
}

// mappingFlag collects -map field=Column flags.
type mappingFlag directory.Mapping

func (m mappingFlag) String() string { return fmt.Sprint(directory.Mapping(m)) }

func (m mappingFlag) Set(s string) error {
	field, col, ok := strings.Cut(s, "=")
	if !ok || field == "" {
		return errors.New("give field=Column, e.g. email=\"E-mail Address\"")
	}
	m[field] = col
	return nil
}

func (f *importFlags) bind(fs *flag.FlagSet) {
	f.mapping = mappingFlag{}
	fs.StringVar(&f.company, "company", "", "the company to import into: its ID or its exact name")
	fs.Var(f.mapping, "map", "a field's column, as field=Column (repeat; fields: "+strings.Join(directory.ImportFields, ", ")+"); the columns allot suggests otherwise")
	fs.BoolVar(&f.dryRun, "dry-run", false, "preview only: change nothing")
	fs.BoolVar(&f.welcome, "welcome", false, "send each person added a welcome mail with a link to choose their password")
}

// importCmd adds and updates a company's users from a CSV file: it reads
// the file, prints the preview and, unless -dry-run, applies it.
func (m *Main) importCmd(ctx context.Context, pos []string) error {
	f := m.Config.Import
	if len(pos) != 2 || pos[0] != "users" || f.company == "" {
		fmt.Fprintln(m.Stderr, "allot import: give users FILE -company COMPANY, e.g. allot import users people.csv -company Acme")
		return exitCode(2)
	}
	data, err := readFile(pos[1])
	if err != nil {
		fmt.Fprintf(m.Stderr, "allot import: %v\n", err)
		return exitCode(2)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	c, err := m.findCompany(ctx, f.company)
	if err != nil {
		fmt.Fprintf(m.Stderr, "allot import: -company: %s\n", allot.ErrorMessage(err))
		return exitCode(2)
	}
	p := allot.System
	p.ActingCompanyID = c.ID
	ctx = allot.WithPrincipal(ctx, p)
	imp, err := m.Directory.UploadImport(ctx, directory.NewImport{CompanyID: c.ID, Kind: directory.ImportUsers,
		FileName: filepath.Base(pos[1]), Data: data})
	if err != nil {
		return m.importFailed(err)
	}
	mapping := directory.Mapping{}
	for field, col := range imp.Suggested {
		mapping[field] = col
	}
	for field, col := range f.mapping {
		mapping[field] = col
	}
	fmt.Fprintf(m.Stdout, "%s: %s, %s-separated; columns: %s\n", imp.FileName, imp.Encoding, csvio.DelimiterName(imp.Delimiter),
		strings.Join(imp.Header, ", "))
	for _, field := range directory.ImportFields {
		if mapping[field] != "" {
			fmt.Fprintf(m.Stdout, "  %-11s ← %s\n", field, mapping[field])
		}
	}
	if imp, err = m.Directory.PreviewImport(ctx, imp.ID, mapping); err != nil {
		return m.importFailed(err)
	}
	if imp, err = m.runImportStep(ctx, imp.ID, "reading"); err != nil {
		return err
	}
	c0 := imp.Counts
	fmt.Fprintf(m.Stdout, "preview: %d rows: %d to create (%d with a seat, %d unlicensed), %d to update, %d unchanged, %d with errors\n",
		c0.Rows, c0.Create, c0.Licensed, c0.Unlicensed, c0.Update, c0.Unchanged, c0.Errors)
	if err := m.printImportErrors(ctx, imp.ID); err != nil {
		return err
	}
	if f.dryRun {
		fmt.Fprintln(m.Stdout, "dry run: nothing changed")
		return nil
	}
	if imp, err = m.Directory.ConfirmImport(ctx, imp.ID, f.welcome); err != nil {
		return m.importFailed(err)
	}
	if imp, err = m.runImportStep(ctx, imp.ID, "applying"); err != nil {
		return err
	}
	c0 = imp.Counts
	fmt.Fprintf(m.Stdout, "imported: %d created (%d with a seat, %d unlicensed), %d updated, %d unchanged, %d rows with errors left out\n",
		c0.Create, c0.Licensed, c0.Unlicensed, c0.Update, c0.Unchanged, c0.Errors)
	return nil
}

// importStalled is how long runImportStep waits for a run that took its
// step over, and then makes no progress, before running the step again.
var importStalled = time.Minute

// runImportStep runs the step import id is at, showing its progress on
// Stderr, and returns the import after it; a failed import is an error.
// When another run takes the step over, a server's worker say, it waits
// for that run, and runs the step again if that run stalls.
func (m *Main) runImportStep(ctx context.Context, id int64, doing string) (directory.Import, error) {
	var done chan error
	start := func() {
		ch := make(chan error, 1)
		go func() { ch <- m.Directory.RunImportStep(ctx, id) }()
		done = ch
	}
	start()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var (
		shown, finished bool
		last            directory.Import
		moved           = time.Now()
	)
	for {
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, allot.ErrTakenOver) {
				return directory.Import{}, err
			}
			finished, done = true, nil
		case <-tick.C:
		}
		imp, err := m.Directory.Import(ctx, id)
		switch {
		case err != nil:
			return imp, err
		case imp.Working():
			if imp.Run != last.Run || imp.Done != last.Done {
				last, moved = imp, time.Now()
			}
			if finished && time.Since(moved) > importStalled {
				finished, moved = false, time.Now()
				start()
			}
			fmt.Fprintf(m.Stderr, "\r%s: %d of ~%d rows (%d%%)", doing, imp.Done, imp.Total, imp.Percent())
			shown = true
			continue
		case !finished:
			continue
		}
		if shown {
			fmt.Fprintf(m.Stderr, "\r%s: done%30s\n", doing, "")
		}
		if imp.Status == directory.ImportFailed {
			fmt.Fprintf(m.Stderr, "allot import: %s\n", imp.Error)
			return imp, exitCode(1)
		}
		return imp, nil
	}
}

// printImportErrors prints the first rows with errors, each with its line.
func (m *Main) printImportErrors(ctx context.Context, id int64) error {
	const shown = 20
	rows, err := m.Directory.ImportRows(ctx, directory.ImportRowFilter{ImportID: id, Action: directory.RowError, Limit: shown + 1})
	if err != nil {
		return err
	}
	for i, r := range rows {
		if i == shown {
			fmt.Fprintln(m.Stdout, "  … and more: the dashboard's import page has the whole error report")
			break
		}
		fmt.Fprintf(m.Stdout, "  line %d: %s\n", r.Line, r.Reason)
	}
	return nil
}

// importFailed reports an error of the import's input and exits 2.
func (m *Main) importFailed(err error) error {
	if allot.ErrorCode(err) == allot.EINTERNAL {
		return err
	}
	var e *allot.Error
	if errors.As(err, &e) && e.Field != "" {
		fmt.Fprintf(m.Stderr, "allot import: %s: %s\n", e.Field, e.Message)
	} else {
		fmt.Fprintf(m.Stderr, "allot import: %s\n", allot.ErrorMessage(err))
	}
	return exitCode(2)
}

// findCompany returns the company with ID or exact name s.
func (m *Main) findCompany(ctx context.Context, s string) (allot.Company, error) {
	ctx = allot.WithPrincipal(ctx, allot.System)
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		return m.Service.Company(ctx, id)
	}
	cs, err := m.Service.Companies(ctx, allot.CompanyFilter{Search: s})
	if err != nil {
		return allot.Company{}, err
	}
	for _, c := range cs {
		if strings.EqualFold(c.Name, s) {
			return c, nil
		}
	}
	return allot.Company{}, allot.Errorf(allot.ENOTFOUND, "no company is named %q", s)
}

// readFile reads an import file, refusing one over the import limit before
// reading it all.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, directory.MaxImportBytes+1))
	if err == nil && len(data) > directory.MaxImportBytes {
		err = fmt.Errorf("%s is over the limit of %d MB", name, directory.MaxImportBytes>>20)
	}
	return data, err
}
