package store

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"allot"
)

// pgChecks are the PostgreSQL connections the entitlement check reads
// through: a pool of its own, through pgx without database/sql, each
// connection with the check's two statements prepared as it connects. A
// check is one round trip (bind, execute, sync) of parameters and results
// in text, the one row read directly into the facts.
type pgChecks struct {
	pool          *pgxpool.Pool
	byID, byEmail string // the query's texts
}

// pgCheckConnectionsPerCPU is how many connections the check has on
// PostgreSQL for each CPU of this process. A connection is busy for a
// whole round trip, of which this process's own work is a part only, the
// rest the database working and the network. A few per CPU keep this
// process's CPUs busy; more would only queue in PostgreSQL, each
// connection a backend process of its own. They are at most
// pgCheckMaxConnections, as many as the rest of the store's pool: a
// server's max_connections, 100 by default, is shared by every process of
// every machine.
const (
	pgCheckConnectionsPerCPU = 4
	pgCheckMaxConnections    = 32
)

// The names of the check's prepared statements on each connection.
const (
	pgCheckByID    = "allot_check_by_id"
	pgCheckByEmail = "allot_check_by_email"
)

// openPgChecks makes the check's pool on the database at url; it connects
// when a check first needs a connection. The connections use generic
// plans: every look-up of the check is an equality on an index, whose plan
// does not depend on the values, and planning it again for each of a
// connection's first five checks, as PostgreSQL does by default, takes
// five to ten times as long as running it.
func openPgChecks(url, byID, byEmail string) (*pgChecks, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(min(pgCheckConnectionsPerCPU*runtime.GOMAXPROCS(0), pgCheckMaxConnections))
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	// A database that stalls fails the checks waiting on it within
	// seconds, rather than holding every connection, and every check
	// queued behind them, for as long as it stalls.
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "5s"
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if _, err := c.Prepare(ctx, pgCheckByID, byID); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err := c.Prepare(ctx, pgCheckByEmail, byEmail)
		return err
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	return &pgChecks{pool, byID, byEmail}, nil
}

// entitlement runs the entitlement query on a free connection, waiting for
// one when all are busy. args are int64 or string values.
func (checks *pgChecks) entitlement(byID bool, args []any) (allot.EntitlementFacts, error) {
	ctx := context.Background() // the check runs to its end, as on SQLite
	conn, err := checks.pool.Acquire(ctx)
	if err != nil {
		return allot.EntitlementFacts{}, err
	}
	defer conn.Release()
	name, query := pgCheckByEmail, checks.byEmail
	if byID {
		name, query = pgCheckByID, checks.byID
	}
	// Prepared as the connection connected: this finds the statement's
	// description without asking the database.
	sd, err := conn.Conn().Prepare(ctx, name, query)
	if err != nil {
		return allot.EntitlementFacts{}, err
	}
	params := make([][]byte, len(args))
	for i, v := range args {
		params[i] = pgText(v)
	}
	rr := conn.Conn().PgConn().ExecStatement(ctx, sd, params, nil, nil)
	var f allot.EntitlementFacts
	if rr.NextRow() {
		if row := pgRow(rr.Values()); len(row) != entitlementColumns {
			err = fmt.Errorf("the entitlement query returned %d columns, not %d", len(row), entitlementColumns)
		} else {
			f = entitlementFacts(row)
		}
	}
	if _, cerr := rr.Close(); cerr != nil {
		return allot.EntitlementFacts{}, cerr
	}
	return f, err
}

// pgText is an int64 or a string in PostgreSQL's text format.
func pgText(v any) []byte {
	switch v := v.(type) {
	case int64:
		return strconv.AppendInt(nil, v, 10)
	case string:
		return []byte(v)
	}
	panic(fmt.Sprintf("pgText %T", v))
}

// pgRow is a row as PostgreSQL sends it in text format: NULL reads as 0
// and "", a boolean as 1 or 0.
type pgRow [][]byte

func (r pgRow) integer(i int) int64 {
	switch v := r[i]; string(v) {
	case "", "f":
		return 0
	case "t":
		return 1
	default:
		n, _ := strconv.ParseInt(string(v), 10, 64) // a column of integers
		return n
	}
}

func (r pgRow) text(i int) string { return string(r[i]) }

// Close waits for the connections in use and closes them all.
func (checks *pgChecks) Close() error {
	checks.pool.Close()
	return nil
}
