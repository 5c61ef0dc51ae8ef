-- Bulk imports: a person's manager and an identifier from their directory;
-- the files uploaded to a company, and their rows as previewed. A preview
-- stages every row with what applying it will do, so that confirming
-- applies exactly that, with set-based statements.
ALTER TABLE users ADD COLUMN manager TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN external_id TEXT NOT NULL DEFAULT '';

CREATE TABLE imports (
	id         INTEGER PRIMARY KEY,
	company_id BIGINT  NOT NULL REFERENCES companies (id),
	kind       TEXT    NOT NULL,
	product_id BIGINT  NOT NULL DEFAULT 0,
	pool_id    BIGINT  NOT NULL DEFAULT 0,
	file_name  TEXT    NOT NULL DEFAULT '',
	file       BLOB    NOT NULL,
	encoding   TEXT    NOT NULL DEFAULT '',
	delimiter  TEXT    NOT NULL DEFAULT '',
	header     TEXT    NOT NULL DEFAULT '[]', -- JSON
	suggested  TEXT    NOT NULL DEFAULT '{}', -- JSON
	mapping    TEXT    NOT NULL DEFAULT '{}', -- JSON
	status     TEXT    NOT NULL,
	total      INTEGER NOT NULL DEFAULT 0,
	done       INTEGER NOT NULL DEFAULT 0,
	counts     TEXT    NOT NULL DEFAULT '{}', -- JSON
	error      TEXT    NOT NULL DEFAULT '',
	actor      TEXT    NOT NULL DEFAULT '{}', -- JSON: who uploaded, then who confirmed
	created_at BIGINT  NOT NULL,
	updated_at BIGINT  NOT NULL
);
CREATE INDEX imports_company ON imports (company_id, id);

CREATE TABLE import_rows (
	import_id   BIGINT  NOT NULL, -- no foreign key: checking one per staged row costs more than it guards
	line        INTEGER NOT NULL,
	seq         INTEGER NOT NULL DEFAULT 0, -- the row's place among those to create or renew, from 1
	email       TEXT    NOT NULL DEFAULT '',
	first_name  TEXT    NOT NULL DEFAULT '',
	last_name   TEXT    NOT NULL DEFAULT '',
	department  TEXT    NOT NULL DEFAULT '',
	manager     TEXT    NOT NULL DEFAULT '',
	external_id TEXT    NOT NULL DEFAULT '',
	search      TEXT    NOT NULL DEFAULT '',
	user_id     BIGINT  NOT NULL DEFAULT 0,
	action      TEXT    NOT NULL,
	reason      TEXT    NOT NULL DEFAULT '',
	kept        INTEGER NOT NULL DEFAULT 0, -- update: a bit per field whose value was kept
	before_json TEXT    NOT NULL DEFAULT '', -- for the audit log
	after_json  TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (import_id, line)
);
CREATE INDEX import_rows_action ON import_rows (import_id, action, seq);
