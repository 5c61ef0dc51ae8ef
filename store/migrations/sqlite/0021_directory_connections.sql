-- A company's directory that allot reads on its own (LDAP, Active
-- Directory): the adapter's config, the secret it binds with, how often it
-- is read, and where the next incremental read starts.
CREATE TABLE directory_connections (
	id         INTEGER PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies (id),
	kind       TEXT   NOT NULL,
	config     TEXT   NOT NULL,
	secret     TEXT   NOT NULL,
	every      BIGINT NOT NULL,
	full_every BIGINT NOT NULL,
	mark       TEXT   NOT NULL DEFAULT '',
	last_run   BIGINT NOT NULL DEFAULT 0,
	last_full  BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	UNIQUE (company_id, kind)
);
