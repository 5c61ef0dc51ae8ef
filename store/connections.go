package store

import (
	"time"

	"allot"

	"allot/directory"
)

const directoryConnectionColumns = `id, company_id, kind, config, secret, every, full_every, mark, last_run, last_full, created_at`

func scanDirectoryConnection(c *directory.Connection) func(scanner) error {
	return func(s scanner) error {
		var every, fullEvery, lastRun, lastFull, created int64
		err := s.Scan(&c.ID, &c.CompanyID, &c.Kind, &c.Config, &c.Secret, &every, &fullEvery, &c.Mark, &lastRun, &lastFull, &created)
		c.Every, c.FullEvery = time.Duration(every)*time.Second, time.Duration(fullEvery)*time.Second
		c.LastRun, c.LastFull, c.CreatedAt = fromMicros(lastRun), fromMicros(lastFull), fromMicros(created)
		return err
	}
}

func (t *tx) SaveDirectoryConnection(c *directory.Connection) error {
	every, fullEvery := int64(c.Every/time.Second), int64(c.FullEvery/time.Second)
	if c.ID == 0 {
		return t.insert(&c.ID, `INSERT INTO directory_connections (company_id, kind, config, secret, every, full_every, mark,
				last_run, last_full, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			c.CompanyID, c.Kind, c.Config, c.Secret, every, fullEvery, c.Mark, micros(c.LastRun), micros(c.LastFull), micros(c.CreatedAt))
	}
	return t.execOne(allot.NotFound("connection"), `UPDATE directory_connections SET config = $2,
			secret = CASE WHEN $3 = '' THEN secret ELSE $3 END, every = $4, full_every = $5, mark = $6, last_full = $7
		WHERE id = $1`, c.ID, c.Config, c.Secret, every, fullEvery, c.Mark, micros(c.LastFull))
}

func (t *tx) DirectoryConnection(id int64) (directory.Connection, error) {
	var c directory.Connection
	err := t.get("connection", scanDirectoryConnection(&c), `SELECT `+directoryConnectionColumns+` FROM directory_connections
		WHERE id = $1`, id)
	return c, err
}

func (t *tx) DirectoryConnections(companyID int64) ([]directory.Connection, error) {
	var w where
	if companyID != 0 {
		w.add("company_id = ?", companyID)
	}
	var out []directory.Connection
	err := t.list(func(s scanner) error {
		var c directory.Connection
		err := scanDirectoryConnection(&c)(s)
		out = append(out, c)
		return err
	}, `SELECT `+directoryConnectionColumns+` FROM directory_connections`+w.sql()+` ORDER BY id`, w.args...)
	return out, err
}

func (t *tx) MarkDirectoryRead(c directory.Connection) error {
	return t.execOne(allot.NotFound("connection"), `UPDATE directory_connections SET mark = $2, last_run = $3, last_full = $4
		WHERE id = $1`, c.ID, c.Mark, micros(c.LastRun), micros(c.LastFull))
}

func (t *tx) DeleteDirectoryConnection(id int64) error {
	return t.execOne(allot.NotFound("connection"), `DELETE FROM directory_connections WHERE id = $1`, id)
}
