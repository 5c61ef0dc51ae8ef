-- Each reading of a company's directory: its counts, the people it could
-- not take in and why, and, while the safety limit holds it, what the
-- directory held, to apply once a manager confirms it.
CREATE TABLE sync_runs (
	id          INTEGER PRIMARY KEY,
	company_id  BIGINT  NOT NULL REFERENCES companies (id),
	source      TEXT    NOT NULL,
	full_run    BOOLEAN NOT NULL,
	status      TEXT    NOT NULL,
	adds        INTEGER NOT NULL,
	updates     INTEGER NOT NULL,
	removals    INTEGER NOT NULL,
	unchanged   INTEGER NOT NULL,
	counted     INTEGER NOT NULL DEFAULT 0,
	problems    TEXT    NOT NULL,
	people      TEXT    NOT NULL,
	error       TEXT    NOT NULL DEFAULT '',
	created_at  BIGINT  NOT NULL,
	finished_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX sync_runs_company ON sync_runs (company_id, id);
