-- The Ed25519 keys that sign offline entitlement tokens. kid names a key in
-- a token's header and in the published set; private_key is its 32-byte
-- seed. A key signs while retired_at is 0; once retired it stays published
-- until drops_at, when every token it signed has expired. One key signs at
-- a time: the partial unique index holds it when two processes make the
-- first key, or rotate, at once.
CREATE TABLE signing_keys (
	kid         TEXT   NOT NULL PRIMARY KEY,
	private_key BLOB   NOT NULL,
	created_at  BIGINT NOT NULL,
	retired_at  BIGINT NOT NULL DEFAULT 0,
	drops_at    BIGINT NOT NULL DEFAULT 0,
	CHECK ((retired_at = 0) = (drops_at = 0))
);
CREATE UNIQUE INDEX signing_keys_one_signs ON signing_keys (retired_at) WHERE retired_at = 0;
