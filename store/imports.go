package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"allot/directory"

	"allot"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

func (t *tx) CreateImport(i *directory.Import, file []byte) error {
	return t.insert(&i.ID, `INSERT INTO imports (company_id, kind, product_id, pool_id, file_name, file, encoding, delimiter,
			header, suggested, mapping, status, total, done, counts, error, actor, created_at, updated_at, header_line)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		i.CompanyID, string(i.Kind), i.ProductID, i.PoolID, i.FileName, file, i.Encoding, i.Delimiter,
		jsonText(i.Header), jsonText(i.Suggested), jsonText(i.Mapping), string(i.Status), i.Total, i.Done,
		jsonText(i.Counts), i.Error, jsonText(i.Actor), micros(i.CreatedAt), micros(i.UpdatedAt), i.HeaderLine)
}

func (t *tx) UpdateImport(i directory.Import, from directory.ImportStatus) error {
	return t.importRun(i, from, `UPDATE imports SET mapping = $4, status = $5, total = $6, done = $7, counts = $8, error = $9,
			actor = $10, updated_at = $11, welcome = $12`+whereRun,
		jsonText(i.Mapping), string(i.Status), i.Total, i.Done, jsonText(i.Counts), i.Error, jsonText(i.Actor), micros(i.UpdatedAt),
		i.Welcome)
}

// whereRun is the condition that import $1 is still at status $2 and run $3.
const whereRun = ` WHERE id = $1 AND status = $2 AND run = $3`

// importRun runs update, whose $1, $2 and $3 are import i's ID, status from
// and run, while i is still at both.
func (t *tx) importRun(i directory.Import, from directory.ImportStatus, update string, args ...any) error {
	return t.execOne(runLost(i, from), update, append([]any{i.ID, string(from), i.Run}, args...)...)
}

// runLost is the error of an update of import i whose guard no longer
// holds: a conflict, and allot.ErrTakenOver.
func runLost(i directory.Import, from directory.ImportStatus) error {
	return fmt.Errorf("%w: %w", allot.ErrTakenOver,
		allot.Errorf(allot.ECONFLICT, "import %d is no longer %s, or another run of it started", i.ID, from))
}

// jsonText returns v as JSON text; the values stored so never fail to
// marshal.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

const importColumns = `id, company_id, kind, product_id, pool_id, file_name, encoding, delimiter, header, suggested, mapping,
	status, total, done, counts, error, actor, created_at, updated_at, run, welcome, header_line`

func scanImport(i *directory.Import) func(scanner) error {
	return func(s scanner) error {
		var (
			header, suggested, mapping, counts, actor string
			created, updated                          int64
		)
		if err := s.Scan(&i.ID, &i.CompanyID, &i.Kind, &i.ProductID, &i.PoolID, &i.FileName, &i.Encoding, &i.Delimiter,
			&header, &suggested, &mapping, &i.Status, &i.Total, &i.Done, &counts, &i.Error, &actor,
			&created, &updated, &i.Run, &i.Welcome, &i.HeaderLine); err != nil {
			return err
		}
		*i = directory.Import{ID: i.ID, CompanyID: i.CompanyID, Kind: i.Kind, ProductID: i.ProductID, PoolID: i.PoolID,
			FileName: i.FileName, Encoding: i.Encoding, Delimiter: i.Delimiter, Status: i.Status, Total: i.Total,
			Done: i.Done, Error: i.Error, CreatedAt: fromMicros(created), UpdatedAt: fromMicros(updated), Run: i.Run,
			Welcome: i.Welcome, HeaderLine: i.HeaderLine}
		for _, f := range []struct {
			text string
			v    any
		}{{header, &i.Header}, {suggested, &i.Suggested}, {mapping, &i.Mapping}, {counts, &i.Counts}, {actor, &i.Actor}} {
			if err := json.Unmarshal([]byte(f.text), f.v); err != nil {
				return fmt.Errorf("import %d: %w", i.ID, err)
			}
		}
		return nil
	}
}

func (t *tx) Import(id int64) (directory.Import, error) {
	var i directory.Import
	err := t.get("import", scanImport(&i), `SELECT `+importColumns+` FROM imports WHERE id = $1`, id)
	return i, err
}

func (t *tx) Imports(companyID int64, n int) ([]directory.Import, error) {
	var (
		out []directory.Import
		i   directory.Import
	)
	err := t.list(func(s scanner) error {
		err := scanImport(&i)(s)
		out = append(out, i)
		return err
	}, `SELECT `+importColumns+` FROM imports WHERE company_id = $1 ORDER BY id DESC LIMIT $2`, companyID, limit(n))
	return out, err
}

func (t *tx) ImportFile(id int64) ([]byte, error) {
	var file []byte
	err := t.get("import", func(s scanner) error { return s.Scan(&file) }, `SELECT file FROM imports WHERE id = $1`, id)
	return file, err
}

func (t *tx) ImportRows(f directory.ImportRowFilter) ([]directory.ImportRow, error) {
	var w where
	w.add("import_id = ?", f.ImportID)
	if f.Action != "" {
		w.add("action = ?", string(f.Action))
	}
	if f.Disabled {
		w.add("disabled")
	}
	if f.AfterLine != 0 {
		w.add("line > ?", f.AfterLine)
	}
	var (
		out []directory.ImportRow
		r   directory.ImportRow
	)
	err := t.list(func(s scanner) error {
		err := s.Scan(&r.Line, &r.Seq, &r.Email, &r.FirstName, &r.LastName, &r.Department, &r.Manager, &r.ExternalID,
			&r.Disabled, &r.UserID, &r.Action, &r.Reason, &r.Kept, &r.Before, &r.After)
		out = append(out, r)
		return err
	}, `SELECT line, seq, email, first_name, last_name, department, manager, external_id, disabled, user_id, action, reason,
			kept, before_json, after_json
		FROM import_rows`+w.sql()+` ORDER BY line LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

func (t *tx) StartImportRun(i *directory.Import) error {
	if err := t.importRun(*i, directory.ImportPreviewing, `UPDATE imports SET run = run + 1, done = 0`+whereRun); err != nil {
		return err
	}
	i.Run, i.Done = i.Run+1, 0
	_, err := t.exec(`DELETE FROM import_rows WHERE import_id = $1`, i.ID)
	return err
}

func (t *tx) CreateImportedUsers(importID int64, like allot.User) ([]int64, error) {
	if t.d.name == "postgres" {
		// The statements that follow sort the import's rows in file order:
		// in memory, not on disk, and planned on what was just staged.
		if _, err := t.exec(`SET LOCAL work_mem = '128MB'`); err != nil {
			return nil, err
		}
		if _, err := t.exec(`ANALYZE import_rows (import_id, action, email)`); err != nil {
			return nil, err
		}
	}
	const insert = `INSERT INTO users (email, first_name, last_name, department, manager, external_id, role,
			company_id, lang, zone, created_at, search)
		SELECT email, first_name, last_name, department, manager, external_id, $2, $3, $4, $5, $6, search
		FROM import_rows WHERE import_id = $1 AND action = 'create' ORDER BY seq`
	return t.insertAll("users", insert, importID, string(like.Role), like.CompanyID, like.Lang, like.Zone, micros(like.CreatedAt))
}

func (t *tx) UpdateImportedUsers(p directory.UpdateImportedUsersParams) (int, error) {
	res, err := t.exec(`UPDATE users SET first_name = r.first_name, last_name = r.last_name, department = r.department,
			manager = r.manager, external_id = r.external_id, search = r.search
		FROM import_rows r
		WHERE r.import_id = $1 AND r.action = 'update' AND users.id = r.user_id AND users.company_id = $2
			AND users.removed_at = 0`+keptUnchanged, p.ImportID, p.CompanyID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// keptUnchanged requires of each field whose value an update row kept (the
// fields are named as the columns) that the user still holds it.
var keptUnchanged = func() string {
	var b strings.Builder
	for _, f := range directory.PersonFields[1:] {
		fmt.Fprintf(&b, " AND (r.kept & %d = 0 OR users.%s = r.%[2]s)", directory.KeptBit(f), f)
	}
	return b.String()
}()

// importedUsers joins the users an import's rows name, as r and u.
const importedUsers = ` FROM import_rows r JOIN users u ON u.email = r.email WHERE r.import_id = $1 `

// eventColumns and eventValues insert the events like e: the statement's
// parameters $2 to $7 are eventArgs(e).
const (
	eventColumns = `INSERT INTO events (at, actor_id, actor_email, company_id, partner_id, manage_mode, action,
		subject_type, subject_id, before_json, after_json) `
	eventValues = `$2, $3, $4, $5, $6, $7`
)

func eventArgs(e allot.Event) []any {
	return []any{micros(e.At), e.ActorID, e.ActorEmail, e.CompanyID, e.PartnerID, e.ManageMode}
}

func (t *tx) RecordImportedUsers(importID int64, action directory.RowAction, e allot.Event) error {
	_, err := t.exec(eventColumns+`SELECT `+eventValues+`, $8, 'user', u.id, r.before_json, r.after_json`+
		importedUsers+`AND r.action = $9 AND u.company_id = $5 AND u.removed_at = 0 ORDER BY r.line`,
		append(append([]any{importID}, eventArgs(e)...), e.Action, string(action))...)
	return err
}

// moreMembers returns the rest of a JSON object after members written
// before it: `,"a":1}` for `{"a":1}`, and `}` for an empty object.
func moreMembers(object string) string {
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(object), "{"))
	if rest == "" || rest == "}" {
		return "}"
	}
	return "," + rest
}

// importRowColumns are the columns StageImport fills, in order.
var importRowColumns = []string{"import_id", "line", "seq", "email", "first_name", "last_name", "department", "manager",
	"external_id", "search", "user_id", "action", "reason", "kept", "before_json", "after_json", "disabled"}

func importRowValues(importID int64, r directory.ImportRow) []any {
	return []any{importID, r.Line, r.Seq, r.Email, r.FirstName, r.LastName, r.Department, r.Manager, r.ExternalID,
		userSearch(allot.User{Email: r.Email, FirstName: r.FirstName, LastName: r.LastName}), r.UserID, string(r.Action), r.Reason, r.Kept, r.Before, r.After, r.Disabled}
}

// StageImport copies the rows into PostgreSQL with COPY, and into SQLite
// with multi-row INSERTs of stageChunk rows, in the transaction that
// records the import's progress while its run holds.
func (s directoryStore) StageImport(ctx context.Context, imp directory.Import, rows []directory.ImportRow) error {
	db := s.db
	const progress = `UPDATE imports SET done = $4` + whereRun
	if db.dialect.name == "postgres" {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("stage import: %w", err)
		}
		defer conn.Close()
		err = conn.Raw(func(dc any) error {
			return pgx.BeginFunc(ctx, dc.(*stdlib.Conn).Conn(), func(tx pgx.Tx) error {
				if tag, err := tx.Exec(ctx, progress, imp.ID, string(directory.ImportPreviewing), imp.Run, imp.Done); err != nil {
					return err
				} else if tag.RowsAffected() == 0 {
					return runLost(imp, directory.ImportPreviewing)
				}
				_, err = tx.CopyFrom(ctx, pgx.Identifier{"import_rows"}, importRowColumns,
					pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) { return importRowValues(imp.ID, rows[i]), nil }))
				return err
			})
		})
		return db.dialect.translate(err)
	}
	return db.run(ctx, db.write, nil, func(t *tx) error {
		if err := t.importRun(imp, directory.ImportPreviewing, progress, imp.Done); err != nil {
			return err
		}
		full, err := t.tx.PrepareContext(ctx, stageQuery(stageChunk))
		if err != nil {
			return t.d.translate(err)
		}
		defer full.Close()
		args := make([]any, 0, stageChunk*len(importRowColumns))
		for len(rows) > 0 {
			n := min(len(rows), stageChunk)
			args = args[:0]
			for _, r := range rows[:n] {
				args = append(args, importRowValues(imp.ID, r)...)
			}
			if n == stageChunk {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = t.tx.ExecContext(ctx, stageQuery(n), args...)
			}
			if err != nil {
				return t.d.translate(err)
			}
			rows = rows[n:]
		}
		return nil
	})
}

// stageChunk is how many rows one INSERT stages in SQLite: a prepared
// statement of 16 × 256 parameters, written ? rather than $N: SQLite finds a
// numbered parameter's name by a scan, which made each row cost as much as
// the statement had parameters.
const stageChunk = 256

// stageQuery returns the INSERT of n import rows.
func stageQuery(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO import_rows (" + strings.Join(importRowColumns, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range importRowColumns {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('?')
		}
		b.WriteByte(')')
	}
	return b.String()
}
