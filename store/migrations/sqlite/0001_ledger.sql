-- The licence ledger. Times are microseconds since 1970 UTC; 0 means none.
-- Search columns hold text lowered by allot (Unicode-aware, unlike SQLite's LOWER).
CREATE TABLE partners (
	id                 INTEGER PRIMARY KEY,
	name               TEXT    NOT NULL,
	account_manager_id BIGINT  NOT NULL DEFAULT 0,
	created_at         BIGINT  NOT NULL
);

CREATE TABLE products (
	id          INTEGER PRIMARY KEY,
	code        TEXT    NOT NULL UNIQUE,
	name        TEXT    NOT NULL,
	term_months INTEGER NOT NULL CHECK (term_months > 0),
	created_at  BIGINT  NOT NULL
);

CREATE TABLE companies (
	id                 INTEGER PRIMARY KEY,
	partner_id         BIGINT  NOT NULL DEFAULT 0,
	name               TEXT    NOT NULL,
	account_manager_id BIGINT  NOT NULL DEFAULT 0,
	default_product_id BIGINT  NOT NULL DEFAULT 0,
	suspended          BOOLEAN NOT NULL DEFAULT false,
	created_at         BIGINT  NOT NULL,
	search             TEXT    NOT NULL DEFAULT '' -- the name in lower case, made by allot
);
CREATE INDEX companies_partner ON companies (partner_id, id);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT   NOT NULL UNIQUE,
	first_name    TEXT   NOT NULL DEFAULT '',
	last_name     TEXT   NOT NULL DEFAULT '',
	department    TEXT   NOT NULL DEFAULT '',
	role          TEXT   NOT NULL,
	partner_id    BIGINT NOT NULL DEFAULT 0,
	company_id    BIGINT NOT NULL DEFAULT 0,
	password_hash TEXT   NOT NULL DEFAULT '',
	last_login_at BIGINT NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL,
	removed_at    BIGINT NOT NULL DEFAULT 0,
	search        TEXT   NOT NULL DEFAULT '' -- e-mail and names in lower case, made by allot
);
CREATE INDEX users_company ON users (company_id, role, id);
-- Covers the entitlement check's look-up by e-mail.
CREATE INDEX users_email_check ON users (email, id, role, company_id, removed_at);
CREATE INDEX users_partner ON users (partner_id, role, id);

CREATE TABLE orders (
	id           INTEGER PRIMARY KEY,
	company_id   BIGINT  NOT NULL REFERENCES companies (id),
	partner_id   BIGINT  NOT NULL DEFAULT 0,
	product_id   BIGINT  NOT NULL REFERENCES products (id),
	quantity     INTEGER NOT NULL CHECK (quantity > 0),
	po_ref       TEXT    NOT NULL DEFAULT '',
	note         TEXT    NOT NULL DEFAULT '',
	term_months  INTEGER NOT NULL DEFAULT 0,
	term_days    INTEGER NOT NULL DEFAULT 0,
	status       TEXT    NOT NULL,
	requested_by BIGINT  NOT NULL DEFAULT 0,
	requested_at BIGINT  NOT NULL,
	decided_by   BIGINT  NOT NULL DEFAULT 0,
	decided_at   BIGINT  NOT NULL DEFAULT 0,
	reason       TEXT    NOT NULL DEFAULT '',
	search       TEXT    NOT NULL DEFAULT '' -- PO reference and note in lower case, made by allot
);
CREATE INDEX orders_company ON orders (company_id, id);
CREATE INDEX orders_partner ON orders (partner_id, id);
CREATE INDEX orders_status ON orders (status, id);

CREATE TABLE pools (
	id         INTEGER PRIMARY KEY,
	order_id   BIGINT  NOT NULL UNIQUE REFERENCES orders (id),
	company_id BIGINT  NOT NULL REFERENCES companies (id),
	product_id BIGINT  NOT NULL REFERENCES products (id),
	quantity   INTEGER NOT NULL,
	used       INTEGER NOT NULL DEFAULT 0,
	starts_at  BIGINT  NOT NULL,
	ends_at    BIGINT  NOT NULL,
	CONSTRAINT pools_seats CHECK (used >= 0 AND used <= quantity)
);
CREATE INDEX pools_company ON pools (company_id, product_id, ends_at);

-- held is true until the seat is released, or closed after its end so that
-- the learner may be given a new one: a learner holds one seat per product.
CREATE TABLE seats (
	id             INTEGER PRIMARY KEY,
	pool_id        BIGINT  NOT NULL REFERENCES pools (id),
	company_id     BIGINT  NOT NULL,
	product_id     BIGINT  NOT NULL,
	user_id        BIGINT  NOT NULL REFERENCES users (id),
	starts_at      BIGINT  NOT NULL,
	ends_at        BIGINT  NOT NULL,
	created_at     BIGINT  NOT NULL,
	released_at    BIGINT  NOT NULL DEFAULT 0,
	release_reason TEXT    NOT NULL DEFAULT '',
	held           BOOLEAN NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX seats_one_held ON seats (user_id, product_id) WHERE held;
CREATE INDEX seats_user ON seats (user_id, product_id, id);
CREATE INDEX seats_pool ON seats (pool_id, id);
CREATE INDEX seats_company ON seats (company_id, id);

CREATE TABLE waiting (
	user_id    BIGINT NOT NULL REFERENCES users (id),
	product_id BIGINT NOT NULL,
	company_id BIGINT NOT NULL,
	reason     TEXT   NOT NULL DEFAULT '',
	since      BIGINT NOT NULL,
	PRIMARY KEY (user_id, product_id)
);
CREATE INDEX waiting_company ON waiting (company_id, product_id, since, user_id);

CREATE TABLE events (
	id           INTEGER PRIMARY KEY,
	at           BIGINT  NOT NULL,
	actor_id     BIGINT  NOT NULL DEFAULT 0,
	actor_email  TEXT    NOT NULL DEFAULT '',
	company_id   BIGINT  NOT NULL DEFAULT 0,
	partner_id   BIGINT  NOT NULL DEFAULT 0,
	manage_mode  BOOLEAN NOT NULL DEFAULT false,
	action       TEXT    NOT NULL,
	subject_type TEXT    NOT NULL,
	subject_id   BIGINT  NOT NULL,
	before_json  TEXT    NOT NULL DEFAULT '',
	after_json   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_company ON events (company_id, id);
CREATE INDEX events_partner ON events (partner_id, id);
