package directory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"allot"
)

// A Connection is a company's directory that allot reads on its own: an
// LDAP server or Active Directory. Its Config is the adapter's, as JSON,
// without its Secret (the bind password), which is never shown again.
// allot reads what changed every Every, and the whole directory every
// FullEvery: deletions are only seen that way.
type Connection struct {
	ID        int64
	CompanyID int64
	Kind      string // ldap
	Config    string
	Secret    string `json:"-"`
	Every     time.Duration
	FullEvery time.Duration
	Mark      string    // where the next incremental read starts, as the adapter keeps it
	LastRun   time.Time // when it was last read
	LastFull  time.Time // when it was last read whole
	CreatedAt time.Time
}

// Due reports whether connection c is to be read at now, and whether whole.
func (c Connection) Due(now time.Time) (due, full bool) {
	full = c.LastFull.IsZero() || !now.Before(c.LastFull.Add(c.FullEvery))
	return full || !now.Before(c.LastRun.Add(c.Every)), full
}

// Default and least intervals of a connection's reads.
const (
	DefaultEvery     = 15 * time.Minute
	DefaultFullEvery = 24 * time.Hour
	LeastEvery       = 5 * time.Minute
)

// A Reader reads the people of one directory: all of them (an empty mark),
// or those changed since mark, with the mark to read from next time. An
// error leaves nothing read: a run applies a whole reading or nothing.
type Reader interface {
	Read(ctx context.Context, mark string) (people []Person, next string, err error)
}

// Source is a kind of connection: it checks a connection's config and opens
// a reader on it. The composition root gives the Service its sources, so
// that directory needs none of the adapters.
type Source struct {
	Check func(config string) error
	Open  func(config, secret string) (Reader, error)
}

// connectionTx keeps the connections.
type connectionTx interface {
	// SaveDirectoryConnection stores c, a new one when its ID is 0; its secret is
	// kept when c.Secret is empty.
	SaveDirectoryConnection(c *Connection) error
	// DirectoryConnection returns connection id with its secret.
	DirectoryConnection(id int64) (Connection, error)
	// DirectoryConnections returns company companyID's connections, by ID, or every
	// company's when it is 0.
	DirectoryConnections(companyID int64) ([]Connection, error)
	// DeleteDirectoryConnection deletes connection id.
	DeleteDirectoryConnection(id int64) error
	// MarkDirectoryRead records that c was read at c.LastRun (and whole at
	// c.LastFull) up to c.Mark.
	MarkDirectoryRead(c Connection) error
}

// NewConnection is what connecting a directory takes.
type NewConnection struct {
	CompanyID int64
	Kind      string
	Config    string
	Secret    string // empty keeps the one kept
	Every     time.Duration
}

// Connect connects company in.CompanyID's directory of in.Kind, or changes
// its connection of that kind (ActConnectDirectory). The config is checked by
// its source; the secret, once given, is kept and never shown.
func (s *Service) Connect(ctx context.Context, in NewConnection) (Connection, error) {
	var c Connection
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		co, err := allot.CompanyFor(tx, p, in.CompanyID, allot.ActConnectDirectory)
		if err != nil {
			return err
		}
		src, ok := s.Sources[in.Kind]
		if !ok {
			return allot.Invalid("kind", "no kind of directory is called %q", in.Kind)
		}
		if err := src.Check(in.Config); err != nil {
			return allot.Invalid("config", "%s", err.Error())
		}
		if in.Every == 0 {
			in.Every = DefaultEvery
		}
		if in.Every < LeastEvery {
			return allot.Invalid("every", "a directory is read every %d minutes at the most often", int(LeastEvery/time.Minute))
		}
		existing, err := tx.DirectoryConnections(co.ID)
		if err != nil {
			return err
		}
		c = Connection{CompanyID: co.ID, Kind: in.Kind, FullEvery: DefaultFullEvery, CreatedAt: s.Ledger.Clock.Now()}
		for _, e := range existing {
			if e.Kind == in.Kind {
				c = e // a new config reads the whole directory again
				c.Mark, c.LastFull = "", time.Time{}
			}
		}
		if c.ID == 0 && strings.TrimSpace(in.Secret) == "" {
			return allot.Invalid("secret", "give the password allot binds with")
		}
		c.Config, c.Secret, c.Every = in.Config, in.Secret, in.Every
		if err := tx.SaveDirectoryConnection(&c); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, co, "directory.connect", "connection", c.ID, nil, c)
	})
	c.Secret = ""
	return c, err
}

// Connections returns company companyID's connections, without secrets.
func (s *Service) Connections(ctx context.Context, companyID int64) ([]Connection, error) {
	var out []Connection
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.DirectoryConnections(c.ID)
		for i := range out {
			out[i].Secret = ""
		}
		return err
	})
	return out, err
}

// ConnectionOf returns company companyID's connection of kind, without
// its secret: ENOTFOUND when it has none.
func (s *Service) ConnectionOf(ctx context.Context, companyID int64, kind string) (Connection, error) {
	conns, err := s.Connections(ctx, companyID)
	if err != nil {
		return Connection{}, err
	}
	for _, c := range conns {
		if c.Kind == kind {
			return c, nil
		}
	}
	return Connection{}, allot.NotFound(strings.ToUpper(kind) + " connection")
}

// Disconnect deletes company companyID's connection of kind
// (ActConnectDirectory): allot reads that directory no more and forgets
// its secret; the people it provisioned stay, and its runs stay listed.
func (s *Service) Disconnect(ctx context.Context, companyID int64, kind string) error {
	return s.write(ctx, func(tx Tx, p allot.Principal) error {
		co, err := allot.CompanyFor(tx, p, companyID, allot.ActConnectDirectory)
		if err != nil {
			return err
		}
		conns, err := tx.DirectoryConnections(co.ID)
		if err != nil {
			return err
		}
		for _, c := range conns {
			if c.Kind == kind {
				if err := tx.DeleteDirectoryConnection(c.ID); err != nil {
					return err
				}
				c.Secret = ""
				return s.Ledger.Record(tx, p, co, "directory.disconnect", "connection", c.ID, c, nil)
			}
		}
		return allot.NotFound(strings.ToUpper(kind) + " connection")
	})
}

// SyncNow reads connection id, whole or what changed since the last read,
// and syncs the company with it (ActManageUsers): previewed only when
// preview, held when the safety limit stops it. A reading that fails is a
// failed run, recorded, and changes nothing.
func (s *Service) SyncNow(ctx context.Context, id int64, full, preview bool) (SyncRun, error) {
	r, err := s.syncNow(ctx, id, full, preview)
	s.observeSync(r, err)
	return r, err
}

// syncNow is SyncNow before its run is observed.
func (s *Service) syncNow(ctx context.Context, id int64, full, preview bool) (SyncRun, error) {
	var c Connection
	if err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		var err error
		if c, err = tx.DirectoryConnection(id); err != nil {
			return err
		}
		if _, err := allot.CompanyFor(tx, p, c.CompanyID, allot.ActManageUsers); allot.ErrorCode(err) == allot.ENOTFOUND {
			return allot.NotFound("connection")
		} else if err != nil {
			return err
		}
		return nil
	}); err != nil {
		return SyncRun{}, err
	}
	started := s.Ledger.Clock.Now()
	full = full || c.Mark == ""
	mark := c.Mark
	if full {
		mark = ""
	}
	people, next, err := s.readDirectory(ctx, c, mark)
	if err != nil {
		return s.failed(ctx, c, full, err)
	}
	r, err := s.Sync(ctx, c.CompanyID, people, SyncOptions{Source: c.Kind, Full: full, Preview: preview})
	if err != nil || r.Status != SyncApplied {
		return r, err
	}
	c.Mark, c.LastRun = next, started
	if full {
		c.LastFull = started
	}
	return r, s.Store.Write(ctx, func(tx Tx) error { return tx.MarkDirectoryRead(c) })
}

// readDirectory opens connection c's source and reads it from mark.
func (s *Service) readDirectory(ctx context.Context, c Connection, mark string) ([]Person, string, error) {
	src, ok := s.Sources[c.Kind]
	if !ok {
		return nil, "", fmt.Errorf("no source of kind %q", c.Kind)
	}
	rd, err := src.Open(c.Config, c.Secret)
	if err != nil {
		return nil, "", err
	}
	return rd.Read(ctx, mark)
}

// failed records a run whose reading failed, and returns it with the error.
func (s *Service) failed(ctx context.Context, c Connection, full bool, cause error) (SyncRun, error) {
	r := SyncRun{CompanyID: c.CompanyID, Source: c.Kind, Full: full, Status: SyncFailed, Error: cause.Error(),
		CreatedAt: s.Ledger.Clock.Now(), FinishedAt: s.Ledger.Clock.Now()}
	err := s.write(ctx, func(tx Tx, p allot.Principal) error {
		co, err := tx.Company(c.CompanyID)
		if err != nil {
			return err
		}
		if err := tx.CreateSyncRun(&r); err != nil {
			return err
		}
		c.LastRun = r.CreatedAt // not read again before the next one is due
		if err := tx.MarkDirectoryRead(c); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, co, "directory.sync", "sync_run", r.ID, nil, r.counts())
	})
	if err != nil {
		return r, err
	}
	return r, allot.Errorf(allot.ECONFLICT, "reading the directory failed: %v", cause)
}

// Kinds of job of directory connections: the periodic look for those due,
// and one connection's run.
const (
	JobSyncDue = "directory.sync_due"
	JobSync    = "directory.sync"
)

// QueueDue queues a run of each connection due at now, under a key naming
// the connection and the minute, so that several processes queue one.
// It is the handler of the periodic JobSyncDue.
func (s *Service) QueueDue(ctx context.Context, _ allot.Job) error {
	now := s.Ledger.Clock.Now()
	return s.Store.Write(ctx, func(tx Tx) error {
		conns, err := tx.DirectoryConnections(0)
		if err != nil {
			return err
		}
		for _, c := range conns {
			if due, _ := c.Due(now); due {
				j := allot.Job{Kind: JobSync, Key: fmt.Sprintf("%s/%d/%s", JobSync, c.ID, now.Truncate(time.Minute).UTC().Format(time.RFC3339)),
					Payload: fmt.Sprint(c.ID), CompanyID: c.CompanyID, RunAt: now, CreatedAt: now}
				if _, err := tx.Enqueue(&j); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// RunSync is the handler of a JobSync: it reads the connection as its
// company's directory, whole when a full read is due. A run the safety
// limit holds waits for a manager; a failed reading is recorded and not
// tried again before the next one is due.
func (s *Service) RunSync(ctx context.Context, j allot.Job) error {
	var id int64
	if _, err := fmt.Sscan(j.Payload, &id); err != nil {
		return fmt.Errorf("sync job %s: %w", j.Key, err)
	}
	ctx = allot.WithPrincipal(ctx, Principal(j.CompanyID, "ldap"))
	var c Connection
	if err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		c, err = tx.DirectoryConnection(id)
		return err
	}); allot.ErrorCode(err) == allot.ENOTFOUND {
		return nil // disconnected meanwhile
	} else if err != nil {
		return err
	}
	due, full := c.Due(s.Ledger.Clock.Now())
	if !due {
		return nil
	}
	_, err := s.SyncNow(ctx, id, full, false)
	if allot.ErrorCode(err) == allot.ECONFLICT {
		return nil // recorded as a failed run
	}
	return err
}
