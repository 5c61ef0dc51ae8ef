-- Signing in: personal API tokens, browser sessions and idempotency keys.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	name         TEXT   NOT NULL,
	prefix       TEXT   NOT NULL,
	hash         TEXT   NOT NULL UNIQUE,
	created_at   BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL DEFAULT 0,
	last_used_at BIGINT NOT NULL DEFAULT 0,
	revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE sessions (
	token  TEXT   PRIMARY KEY,
	data   BLOB   NOT NULL,
	expiry BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- An idempotency key is claimed by the first request that brings it and
-- holds that request's response once it is done.
CREATE TABLE idempotency_keys (
	owner        TEXT    NOT NULL,
	key          TEXT    NOT NULL,
	request_hash TEXT    NOT NULL,
	done         BOOLEAN NOT NULL DEFAULT false,
	status       INTEGER NOT NULL DEFAULT 0,
	content_type TEXT    NOT NULL DEFAULT '',
	body         BLOB,
	created_at   BIGINT  NOT NULL,
	PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
