package csvio

import (
	"context"
	"io"
	"strconv"
	"time"

	"allot/directory"

	"allot"
)

// MemberHeader is the header row of ExportMembers.
var MemberHeader = []string{"email", "first_name", "last_name", "department", "manager", "external_id", "role",
	"status", "seat_id", "pool_id", "seat_starts", "seat_ends", "released", "release_reason", "last_login", "added"}

// ExportMembers writes a company's members with their licence of a product
// (f narrows them), read page by page, as spreadsheet-safe CSV to w. Times
// are RFC 3339 in UTC; empty when there is none.
func ExportMembers(ctx context.Context, svc *allot.Service, companyID int64, f allot.MemberFilter, w io.Writer) error {
	cw := NewWriter(w)
	if err := cw.Write(MemberHeader...); err != nil {
		return err
	}
	f.Limit = allot.MaxLimit
	for {
		ms, err := svc.Members(ctx, companyID, f)
		if err != nil {
			return err
		}
		for _, m := range ms {
			row := []string{m.Email, m.FirstName, m.LastName, m.Department, m.Manager, m.ExternalID, string(m.Role),
				string(m.Status), "", "", "", "", "", "", stamp(m.LastLoginAt), stamp(m.CreatedAt)}
			if s := m.Seat; s != nil {
				row[8], row[9] = strconv.FormatInt(s.ID, 10), strconv.FormatInt(s.PoolID, 10)
				row[10], row[11], row[12], row[13] = stamp(s.StartsAt), stamp(s.EndsAt), stamp(s.ReleasedAt), s.ReleaseReason
			}
			if err := cw.Write(row...); err != nil {
				return err
			}
		}
		if len(ms) < f.Limit {
			return cw.Flush()
		}
		f.AfterID = ms[len(ms)-1].ID
	}
}

// ImportErrors writes the rows of an import in error, read page by
// page, as spreadsheet-safe CSV to w: each row's line, e-mail and reason,
// then the other fields the import maps.
func ImportErrors(ctx context.Context, svc *directory.Service, imp directory.Import, w io.Writer) error {
	var mapped []string
	for _, field := range directory.ImportFields[1:] {
		if imp.Mapping[field] != "" {
			mapped = append(mapped, field)
		}
	}
	cw := NewWriter(w)
	if err := cw.Write(append([]string{"line", directory.FieldEmail, "reason"}, mapped...)...); err != nil {
		return err
	}
	f := directory.ImportRowFilter{ImportID: imp.ID, Action: directory.RowError, Limit: allot.MaxLimit}
	for {
		rows, err := svc.ImportRows(ctx, f)
		if err != nil {
			return err
		}
		for _, r := range rows {
			cells := []string{strconv.Itoa(r.Line), r.Email, r.Reason}
			for _, field := range mapped {
				cells = append(cells, r.Field(field))
			}
			if err := cw.Write(cells...); err != nil {
				return err
			}
		}
		if len(rows) < f.Limit {
			return cw.Flush()
		}
		f.AfterLine = rows[len(rows)-1].Line
	}
}

// stamp writes t in RFC 3339 in UTC, or nothing for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
