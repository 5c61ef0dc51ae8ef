package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"allot"
)

// checkConns are the SQLite connections the entitlement check reads
// through: its own few, each with the check's two statements prepared,
// used through the driver directly. database/sql's pool and conversions
// added a fifth to the query's time; these connections spare it, and they
// never go bad as a network connection can.
type checkConns chan *checkConn

// checkConnections is how many connections the check has on SQLite: its
// query keeps a CPU busy from start to end, so a few more than a machine's
// CPUs are enough.
const checkConnections = 4

// checkConn is one connection of checkConns.
type checkConn struct {
	conn          driver.Conn
	byID, byEmail driver.Stmt
	row           []driver.Value
}

// openChecks opens n connections with open and prepares the entitlement
// query on each, by ID and by e-mail.
func openChecks(n int, open func() (driver.Conn, error), byID, byEmail string) (checkConns, error) {
	checks := make(checkConns, n)
	for range n {
		c, err := openCheck(open, byID, byEmail)
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

func openCheck(open func() (driver.Conn, error), byID, byEmail string) (*checkConn, error) {
	conn, err := open()
	if err != nil {
		return nil, err
	}
	c := &checkConn{conn: conn, row: make([]driver.Value, entitlementColumns)}
	for _, st := range []struct {
		stmt  *driver.Stmt
		query string
	}{{&c.byID, byID}, {&c.byEmail, byEmail}} {
		if *st.stmt, err = conn.(driver.ConnPrepareContext).PrepareContext(context.Background(), st.query); err != nil {
			c.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	return c, nil
}

func (c *checkConn) close() error {
	var errs []error
	for _, closer := range []io.Closer{c.byID, c.byEmail, c.conn} {
		if closer != nil {
			errs = append(errs, closer.Close())
		}
	}
	return errors.Join(errs...)
}

// entitlement runs the entitlement query on a free connection, waiting for
// one when all are busy.
func (checks checkConns) entitlement(byID bool, args []driver.NamedValue) (allot.EntitlementFacts, error) {
	c, ok := <-checks
	if !ok {
		return allot.EntitlementFacts{}, errors.New("the database is closed")
	}
	defer func() { checks <- c }()
	stmt := c.byEmail
	if byID {
		stmt = c.byID
	}
	rows, err := stmt.(driver.StmtQueryContext).QueryContext(context.Background(), args)
	if err != nil {
		return allot.EntitlementFacts{}, err
	}
	defer rows.Close()
	switch err := rows.Next(c.row); {
	case errors.Is(err, io.EOF):
		return allot.EntitlementFacts{}, nil
	case err != nil:
		return allot.EntitlementFacts{}, err
	}
	return entitlementFacts(c.row), nil
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
