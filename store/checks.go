package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"allot"
)

// checkConns are the SQLite connections the entitlement check reads
// through: its own few, each with the check's two statements prepared,
// used through SQLite's C interface. The driver's rows, made for any
// query, read every column's name and declared type and take the
// connection's mutex for every value: a third of the query's time. These
// connections are used by one goroutine at a time, so they are opened
// without a mutex, and they read the one row they expect directly into the
// facts.
type checkConns chan *checkConn

// checkConnections is how many connections the check has on SQLite: its
// query keeps a CPU busy from start to end, so a few more than a machine's
// CPUs are enough.
const checkConnections = 4

// checkConn is one connection of checkConns.
type checkConn struct {
	tls           *libc.TLS
	db            uintptr
	byID, byEmail statement
	out           uintptr // where SQLite writes a handle it makes; on the heap, which does not move
}

// statement is a prepared statement and where each of its $N parameters
// is: SQLite numbers parameters in the order they first appear.
type statement struct {
	stmt   uintptr
	params []int32 // params[N-1] is the index of $N
}

// openChecks opens n connections to the SQLite file name, which must exist,
// sets pragmas and prepares the entitlement query on each, by ID and by
// e-mail.
func openChecks(n int, name string, pragmas []string, byID, byEmail string) (checkConns, error) {
	checks := make(checkConns, n)
	for range n {
		c, err := openCheck(name, pragmas, byID, byEmail)
		if err != nil {
			for range len(checks) {
				(<-checks).close()
			}
			return nil, err
		}
		checks <- c
	}
	return checks, nil
}

func openCheck(name string, pragmas []string, byID, byEmail string) (*checkConn, error) {
	c := &checkConn{tls: libc.NewTLS()}
	if err := c.open(name, pragmas, byID, byEmail); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *checkConn) open(name string, pragmas []string, byID, byEmail string) (err error) {
	z, err := libc.CString(name)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, z)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, z, uintptr(unsafe.Pointer(&c.out)), sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	if c.db = c.out; rc != sqlite3.SQLITE_OK {
		return c.error("open", rc)
	}
	for _, p := range pragmas {
		if err := c.exec("PRAGMA " + p); err != nil {
			return err
		}
	}
	if c.byID, err = c.prepare(byID); err != nil {
		return err
	}
	c.byEmail, err = c.prepare(byEmail)
	return err
}

func (c *checkConn) exec(query string) error {
	z, err := libc.CString(query)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, z)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, z, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.error(query, rc)
	}
	return nil
}

func (c *checkConn) prepare(query string) (statement, error) {
	z, err := libc.CString(query)
	if err != nil {
		return statement{}, err
	}
	defer libc.Xfree(c.tls, z)
	c.out = 0
	if rc := sqlite3.Xsqlite3_prepare_v3(c.tls, c.db, z, -1, sqlite3.SQLITE_PREPARE_PERSISTENT, uintptr(unsafe.Pointer(&c.out)), 0); rc != sqlite3.SQLITE_OK {
		return statement{}, c.error("prepare", rc)
	}
	st := statement{stmt: c.out}
	n := sqlite3.Xsqlite3_bind_parameter_count(c.tls, st.stmt)
	st.params = make([]int32, n)
	for i := int32(1); i <= n; i++ {
		name := libc.GoString(sqlite3.Xsqlite3_bind_parameter_name(c.tls, st.stmt, i))
		ordinal, err := strconv.Atoi(strings.TrimPrefix(name, "$"))
		if err != nil || ordinal < 1 || ordinal > int(n) {
			sqlite3.Xsqlite3_finalize(c.tls, st.stmt)
			return statement{}, fmt.Errorf("prepare: parameter %q is not $1 to $%d", name, n)
		}
		st.params[ordinal-1] = i
	}
	return st, nil
}

// error is the connection's last error, for what was done.
func (c *checkConn) error(what string, rc int32) error {
	msg := "out of memory"
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	return fmt.Errorf("%s: %s (%d)", what, msg, rc)
}

func (c *checkConn) close() error {
	for _, st := range []statement{c.byID, c.byEmail} {
		if st.stmt != 0 {
			sqlite3.Xsqlite3_finalize(c.tls, st.stmt)
		}
	}
	var err error
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.error("close", rc)
		}
	}
	c.tls.Close()
	return err
}

// entitlement runs the entitlement query on a free connection, waiting for
// one when all are busy.
func (checks checkConns) entitlement(byID bool, args []any) (allot.EntitlementFacts, error) {
	c, ok := <-checks
	if !ok {
		return allot.EntitlementFacts{}, errors.New("the database is closed")
	}
	defer func() { checks <- c }()
	st := c.byEmail
	if byID {
		st = c.byID
	}
	defer c.reset(st)
	found, err := c.step(st, args)
	if err != nil || !found {
		return allot.EntitlementFacts{}, err
	}
	return entitlementFacts(sqliteRow{c.tls, st.stmt}), nil
}

// step binds args, the values of $1, $2…, to st and steps to its first
// row, if it has one; reset makes st ready for the next step.
func (c *checkConn) step(st statement, args []any) (found bool, err error) {
	for n, v := range args {
		if err := c.bind(st.stmt, st.params[n], v); err != nil {
			return false, err
		}
	}
	switch rc := sqlite3.Xsqlite3_step(c.tls, st.stmt); rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		return false, nil
	default:
		return false, c.error("step", rc)
	}
}

func (c *checkConn) reset(st statement) {
	sqlite3.Xsqlite3_reset(c.tls, st.stmt)
	sqlite3.Xsqlite3_clear_bindings(c.tls, st.stmt)
}

// sqliteRow reads the row a statement stepped to, column by column, as
// SQLite converts it: NULL reads as 0 and "".
type sqliteRow struct {
	tls  *libc.TLS
	stmt uintptr
}

func (r sqliteRow) integer(i int) int64 {
	return sqlite3.Xsqlite3_column_int64(r.tls, r.stmt, int32(i))
}

func (r sqliteRow) text(i int) string {
	p := sqlite3.Xsqlite3_column_text(r.tls, r.stmt, int32(i))
	return string(libc.GoBytes(p, int(sqlite3.Xsqlite3_column_bytes(r.tls, r.stmt, int32(i)))))
}

// bind binds an integer or a text, which SQLite copies, to parameter i.
func (c *checkConn) bind(stmt uintptr, i int32, v any) error {
	var rc int32
	switch v := v.(type) {
	case int64:
		rc = sqlite3.Xsqlite3_bind_int64(c.tls, stmt, i, v)
	case string:
		z, err := libc.CString(v)
		if err != nil {
			return err
		}
		rc = sqlite3.Xsqlite3_bind_text(c.tls, stmt, i, z, int32(len(v)), sqlite3.SQLITE_TRANSIENT)
		libc.Xfree(c.tls, z)
	default:
		return fmt.Errorf("bind %T", v)
	}
	if rc != sqlite3.SQLITE_OK {
		return c.error("bind", rc)
	}
	return nil
}

// Close waits for the connections in use and closes them all.
func (checks checkConns) Close() error {
	var errs []error
	for range cap(checks) {
		errs = append(errs, (<-checks).close())
	}
	close(checks)
	return errors.Join(errs...)
}
