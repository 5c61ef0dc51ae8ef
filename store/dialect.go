package store

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"allot"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds the little that differs between SQLite and PostgreSQL.
type dialect struct {
	name string
	// lockMigrations is run first in the migration transaction so that one
	// process migrates while the others wait.
	lockMigrations string
	migrations     string // the folder of migrations/ to apply
	// skipLocked ends a subquery choosing rows to claim: other claims
	// running at once skip the rows this one locked.
	skipLocked string
	// usersByEmail is the users table, as u, of the entitlement query by
	// e-mail. SQLite's planner would search the unique index on e-mail and
	// then read the user's row, where users_email_check covers every
	// column the query reads.
	usersByEmail string
	// idList reads a list of IDs given as one parameter back as a table of
	// (n, id), n being each ID's place: one statement takes any number of
	// IDs, where SQLite allows a few thousand parameters. Joined to a
	// table, it is read first: CROSS JOIN keeps SQLite from reading the
	// list anew for each row of the other.
	idList string
	// jsonRows reads rows given as one parameter, a JSON array of
	// objects, back as a table j of (key, value): key orders the rows as
	// the array does, and value ->> 'name' reads a member as text (an
	// integer or a boolean on SQLite, to be CAST on PostgreSQL). One
	// statement takes any number of rows of any columns.
	jsonRows string
}

var (
	sqliteDialect = dialect{name: "sqlite", migrations: "migrations/sqlite",
		// The write transaction began IMMEDIATE, which already holds the lock.
		lockMigrations: "SELECT 1", usersByEmail: "users u INDEXED BY users_email_check",
		idList:   "(SELECT key AS n, value AS id FROM json_each(%s))",
		jsonRows: "json_each(%s) AS j"}
	postgresDialect = dialect{name: "postgres", migrations: "migrations/postgres",
		lockMigrations: "SELECT pg_advisory_xact_lock(7216354501)", skipLocked: " FOR UPDATE SKIP LOCKED", usersByEmail: "users u",
		idList:   "(SELECT n, id FROM unnest(%s::bigint[]) WITH ORDINALITY AS l (id, n))",
		jsonRows: "jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS j (value, key)"}
)

// ids returns the table of (n, id) that reads back the list of IDs given as
// parameter param, and the value to give it: a JSON array for SQLite, an
// array for PostgreSQL.
func (d dialect) ids(param string, ids []int64) (string, any) {
	table := fmt.Sprintf(d.idList, param)
	if d.name == "postgres" {
		return table, ids
	}
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return table, string(append(b, ']'))
}

// translate turns a driver's constraint errors into allot errors, by code,
// and wraps any other error unchanged.
func (d dialect) translate(err error) error {
	if err == nil {
		return nil
	}
	var (
		ae *allot.Error
		se *sqlite.Error
		pe *pgconn.PgError
	)
	switch {
	case errors.As(err, &ae):
		return err // said already
	case errors.As(err, &se):
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return allot.Errorf(allot.ECONFLICT, "already exists")
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return allot.Errorf(allot.ECONFLICT, "a limit would be exceeded")
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return allot.Errorf(allot.EINVALID, "refers to something that does not exist")
		}
	case errors.As(err, &pe):
		switch pe.Code {
		case "23505":
			return allot.Errorf(allot.ECONFLICT, "already exists")
		case "23514":
			return allot.Errorf(allot.ECONFLICT, "a limit would be exceeded")
		case "23503":
			return allot.Errorf(allot.EINVALID, "refers to something that does not exist")
		case "22021", "22P05": // a NUL or bytes not UTF-8 in a text, which SQLite would store
			return allot.Errorf(allot.EINVALID, "holds a character that cannot be stored")
		}
	}
	return fmt.Errorf("%s: %w", d.name, err)
}

// retryable reports whether a failed transaction may simply be run again.
func (d dialect) retryable(err error) bool {
	var (
		se *sqlite.Error
		pe *pgconn.PgError
	)
	switch {
	case errors.As(err, &pe):
		return pe.Code == "40001" || pe.Code == "40P01"
	case errors.As(err, &se):
		return se.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	return false
}

// Times are stored as microseconds since 1970 in UTC, with 0 for none: the
// same integer on both databases, compared and indexed alike.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}
