package report

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteCSV writes table t to w as CSV in UTF-8, its header row first.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(t.Records()); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteXLSX writes table t to w as an XLSX workbook of one sheet named
// sheet: its header row first, numbers as numbers and texts as texts, so
// that the sheet holds what the CSV file holds.
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
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Label
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for r, row := range t.Rows {
		vals := make([]any, len(row))
		for i, c := range row {
			vals[i] = c.Value()
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
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
