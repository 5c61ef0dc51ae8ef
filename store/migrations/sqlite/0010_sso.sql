-- Single sign-on: a company's or a partner's OpenID Connect provider, with
-- the secret allot finishes each sign-in with. Exactly one of company_id and
-- partner_id is set; each has one connection at most.
CREATE TABLE sso_connections (
	id            INTEGER PRIMARY KEY,
	company_id    BIGINT  NOT NULL DEFAULT 0,
	partner_id    BIGINT  NOT NULL DEFAULT 0,
	issuer        TEXT    NOT NULL,
	client_id     TEXT    NOT NULL,
	client_secret TEXT    NOT NULL,
	required      BOOLEAN NOT NULL DEFAULT false,
	created_at    BIGINT  NOT NULL,
	updated_at    BIGINT  NOT NULL,
	CHECK ((company_id = 0) <> (partner_id = 0)),
	UNIQUE (company_id, partner_id)
);

-- The e-mail domains a connection covers: a domain is one connection's at
-- most, across the deployment.
CREATE TABLE sso_domains (
	domain        TEXT   PRIMARY KEY,
	connection_id BIGINT NOT NULL REFERENCES sso_connections (id)
);
CREATE INDEX sso_domains_connection ON sso_domains (connection_id, domain);
