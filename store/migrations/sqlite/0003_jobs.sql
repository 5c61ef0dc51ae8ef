-- Background jobs, claimed with a lease; the key makes a job exist once.
CREATE TABLE jobs (
	id           INTEGER PRIMARY KEY,
	kind         TEXT    NOT NULL,
	key          TEXT    NOT NULL UNIQUE,
	payload      TEXT    NOT NULL DEFAULT '',
	run_at       BIGINT  NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	max_attempts INTEGER NOT NULL,
	lease_until  BIGINT  NOT NULL DEFAULT 0,
	status       TEXT    NOT NULL DEFAULT 'pending',
	last_error   TEXT    NOT NULL DEFAULT '',
	created_at   BIGINT  NOT NULL,
	done_at      BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX jobs_due ON jobs (status, run_at);
