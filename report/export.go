package report

import (
	"encoding/csv"
	"fmt"
	"io"

	"allot/csvio"

	"github.com/xuri/excelize/v2"
)

// WriteCSV writes table t to w as CSV safe to open in a spreadsheet, its
// header row first: UTF-8 with a byte-order mark, CRLF line ends, and a
// text that would start a formula prefixed with a single quote, as
// csvio.Neutralise says.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.WriteAll(t.texts()); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// texts returns the table's records as its files hold them: the header
// first, each text neutralised.
func (t Table) texts() [][]string {
	recs := t.Records()
	for i, rec := range recs {
		for j := range rec {
			if i == 0 || !t.Rows[i-1][j].Numeric {
				rec[j] = csvio.Neutralise(rec[j])
			}
		}
	}
	return recs
}

// WriteXLSX writes table t to w as an XLSX workbook of one sheet named
// sheet: its header row first, numbers as numbers and texts as texts,
// neutralised as in the CSV file, so that the sheet holds what it holds.
func WriteXLSX(w io.Writer, sheet string, t Table) error {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(sheet)
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for r, rec := range t.texts() {
		vals := make([]any, len(rec))
		for i, text := range rec {
			vals[i] = text
			if r > 0 && t.Rows[r-1][i].Numeric {
				vals[i] = t.Rows[r-1][i].Number
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// sheetName returns name as a sheet may be named: at most 31 characters,
// none of those a sheet's name may not hold.
func sheetName(name string) string {
	out := []rune{}
	for _, r := range name {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = ' '
		}
		out = append(out, r)
	}
	if len(out) > 31 {
		out = out[:31]
	}
	if len(out) == 0 {
		return "Report"
	}
	return string(out)
}

// Filename returns the name of report r's file with extension ext, as
// seats-2026-05-04.csv.
func (r Report) Filename(ext string) string {
	return fmt.Sprintf("%s-%s.%s", r.Kind.Name, r.At.UTC().Format("2006-01-02"), ext)
}
