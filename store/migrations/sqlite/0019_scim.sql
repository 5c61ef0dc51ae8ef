-- A company's SCIM token, which its directory provisions its people with.
-- A company has one at most; only its hash is kept.
CREATE TABLE scim_tokens (
	company_id BIGINT NOT NULL PRIMARY KEY REFERENCES companies (id),
	hash       TEXT   NOT NULL UNIQUE,
	prefix     TEXT   NOT NULL,
	created_at BIGINT NOT NULL
);

-- The SCIM resources a company's directory wrote (type User or Group), each
-- document as normalised, so that reads give back what was written. The id
-- is allot's, and a User's person's anchor in the directory; user_name and
-- display_name are folded to lower case for lookups, and user_name is
-- unique among a company's Users. user_id is the person a User provisions,
-- 0 until then and for a Group. version counts the changes, which are
-- saved only over the version they read. seq numbers the resources in the
-- order they were made, which lists follow.
CREATE TABLE scim_resources (
	seq          INTEGER PRIMARY KEY,
	company_id   BIGINT NOT NULL REFERENCES companies (id),
	type         TEXT   NOT NULL CHECK (type IN ('User', 'Group')),
	id           TEXT   NOT NULL,
	external_id  TEXT   NOT NULL DEFAULT '',
	user_name    TEXT   NOT NULL DEFAULT '',
	display_name TEXT   NOT NULL DEFAULT '',
	document     TEXT   NOT NULL,
	user_id      BIGINT NOT NULL DEFAULT 0,
	created_at   BIGINT NOT NULL,
	modified_at  BIGINT NOT NULL,
	version      BIGINT NOT NULL,
	UNIQUE (company_id, type, id)
);
CREATE UNIQUE INDEX scim_resources_user_name ON scim_resources (company_id, user_name) WHERE type = 'User';
CREATE INDEX scim_resources_order ON scim_resources (company_id, type, seq);
CREATE INDEX scim_resources_external_id ON scim_resources (company_id, type, external_id);
CREATE INDEX scim_resources_display_name ON scim_resources (company_id, type, display_name);
CREATE INDEX scim_resources_user ON scim_resources (company_id, user_id) WHERE user_id <> 0;
