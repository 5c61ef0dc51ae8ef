-- A second factor: a person's TOTP secret, confirmed once they have typed
-- a code from it, and the last time step a code was used at, so that a code
-- works once. Recovery codes are kept as hashes and used once each.
CREATE TABLE second_factors (
	user_id      BIGINT PRIMARY KEY REFERENCES users (id),
	secret       TEXT   NOT NULL,
	created_at   BIGINT NOT NULL,
	confirmed_at BIGINT NOT NULL DEFAULT 0,
	last_step    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
	user_id BIGINT NOT NULL REFERENCES users (id),
	hash    TEXT   NOT NULL,
	used_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, hash)
);

-- Whom a second factor is required of: the managers of each company listed
-- by its id, and, when 0 is listed, the vendor's staff and partner managers.
CREATE TABLE second_factor_required (
	company_id BIGINT PRIMARY KEY
);
