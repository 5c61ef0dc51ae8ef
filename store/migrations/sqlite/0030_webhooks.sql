-- Webhook endpoints: partner_id 0 is the vendor's, which receives every
-- tenant's events. types are the event types it receives, comma-separated.
-- secrets are what signs its deliveries, as a JSON array, newest first:
-- kept as they are, since signing (HMAC) needs the secret itself, not a
-- hash of it. failing_since is the first failed attempt since the last
-- success, 0 when none.
CREATE TABLE webhook_endpoints (
	id              INTEGER PRIMARY KEY,
	partner_id      BIGINT  NOT NULL DEFAULT 0,
	url             TEXT    NOT NULL,
	description     TEXT    NOT NULL DEFAULT '',
	types           TEXT    NOT NULL,
	secrets         TEXT    NOT NULL,
	disabled        BOOLEAN NOT NULL DEFAULT false,
	disabled_at     BIGINT  NOT NULL DEFAULT 0,
	disabled_reason TEXT    NOT NULL DEFAULT '',
	failing_since   BIGINT  NOT NULL DEFAULT 0,
	created_at      BIGINT  NOT NULL,
	created_by      BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX webhook_endpoints_partner ON webhook_endpoints (partner_id, id);

-- Where the fan-out stands in the audit log: one row, locked by the
-- transaction that enqueues the deliveries of the events after it and moves
-- it on. SQLite commits one transaction at a time, in the order of the
-- events' IDs, so event_id alone orders the log; txid stays 0. The events
-- before this table are not delivered.
CREATE TABLE webhook_cursor (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	txid     BIGINT NOT NULL DEFAULT 0,
	event_id BIGINT NOT NULL DEFAULT 0
);
INSERT INTO webhook_cursor (id, txid, event_id) SELECT 1, 0, COALESCE(MAX(id), 0) FROM events;

-- A delivery of one event to one endpoint, enqueued once (the unique key),
-- with the same message_id (webhook-id) and payload on every attempt.
-- attempts counts the claims; round_base is attempts when the current round
-- began (a replay begins one). A claim holds it until lease_until. Deleting
-- an endpoint deletes its deliveries and their attempts (ON DELETE CASCADE),
-- those a transaction adds meanwhile among them.
CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY,
	endpoint_id     BIGINT  NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
	event_id        BIGINT  NOT NULL,
	message_id      TEXT    NOT NULL,
	type            TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	round_base      INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT  NOT NULL,
	lease_until     BIGINT  NOT NULL DEFAULT 0,
	last_status     INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT '',
	payload         TEXT    NOT NULL,
	created_at      BIGINT  NOT NULL,
	delivered_at    BIGINT  NOT NULL DEFAULT 0,
	UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- The attempts of a delivery, numbered from 1.
CREATE TABLE webhook_attempts (
	delivery_id BIGINT  NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
	n           INTEGER NOT NULL,
	at          BIGINT  NOT NULL,
	status      INTEGER NOT NULL DEFAULT 0,
	duration    BIGINT  NOT NULL DEFAULT 0,
	error       TEXT    NOT NULL DEFAULT '',
	response    TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (delivery_id, n)
);
