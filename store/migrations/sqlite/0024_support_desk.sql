-- The support desk. A policy is the service levels a request is answered
-- within: its calendar and its targets per priority, as JSON.
CREATE TABLE support_policies (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE,
	calendar   TEXT    NOT NULL,
	targets    TEXT    NOT NULL,
	is_default BOOLEAN NOT NULL DEFAULT false,
	updated_at BIGINT  NOT NULL
);
-- At most one default policy.
CREATE UNIQUE INDEX support_policies_default ON support_policies (is_default) WHERE is_default;

-- The routing table, once the vendor admin edited it: each category to
-- its team, in the order requesters are offered them.
CREATE TABLE support_routes (
	category TEXT    PRIMARY KEY,
	label    TEXT    NOT NULL,
	team     TEXT    NOT NULL CHECK (team IN ('support', 'success')),
	position INTEGER NOT NULL
);

-- How the desk serves a company, or a partner's customers without an
-- account of their own: its success contact and its policy (0: none).
CREATE TABLE support_accounts (
	company_id BIGINT NOT NULL DEFAULT 0,
	partner_id BIGINT NOT NULL DEFAULT 0,
	success_id BIGINT NOT NULL DEFAULT 0,
	policy_id  BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (company_id, partner_id),
	CHECK ((company_id = 0) <> (partner_id = 0))
);

-- A request to the desk. company_id is 0 for a partner manager's own;
-- partner_id is the company's partner, or the requesting partner's.
-- urgent and due_at are the queue's order: urgent first, then the soonest
-- due of its running targets (0 when none runs); warn_at is the soonest of
-- their warnings.
CREATE TABLE support_requests (
	id           INTEGER PRIMARY KEY,
	company_id   BIGINT  NOT NULL DEFAULT 0,
	partner_id   BIGINT  NOT NULL DEFAULT 0,
	requester_id BIGINT  NOT NULL REFERENCES users (id),
	subject      TEXT    NOT NULL,
	category     TEXT    NOT NULL,
	team         TEXT    NOT NULL,
	priority     TEXT    NOT NULL,
	urgent       BOOLEAN NOT NULL,
	status       TEXT    NOT NULL,
	assignee_id  BIGINT  NOT NULL DEFAULT 0,
	policy_id    BIGINT  NOT NULL REFERENCES support_policies (id),
	due_at       BIGINT  NOT NULL DEFAULT 0,
	warn_at      BIGINT  NOT NULL DEFAULT 0,
	breached     BOOLEAN NOT NULL DEFAULT false,
	escalated_at BIGINT  NOT NULL DEFAULT 0,
	token        TEXT    NOT NULL UNIQUE,
	created_at   BIGINT  NOT NULL,
	updated_at   BIGINT  NOT NULL
);
-- The queue of a team's active requests, in its order: counted and paged
-- without reading the many solved and closed ones.
CREATE INDEX support_requests_active ON support_requests (team, urgent DESC, (due_at = 0), due_at, id)
	WHERE status NOT IN ('solved', 'closed');
CREATE INDEX support_requests_due ON support_requests (urgent DESC, due_at, id);
CREATE INDEX support_requests_company ON support_requests (company_id, id);
CREATE INDEX support_requests_partner ON support_requests (partner_id, id);
CREATE INDEX support_requests_requester ON support_requests (requester_id, id);
CREATE INDEX support_requests_assignee ON support_requests (assignee_id, due_at);

-- The people copied on a request besides its requester.
CREATE TABLE support_copies (
	request_id BIGINT NOT NULL REFERENCES support_requests (id),
	user_id    BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (request_id, user_id)
);

-- A request's targets. One of each kind runs at a time (met_at 0); a
-- paused one keeps the working time that was left (left_us, warn_left_us)
-- instead of its instants. warned_at and breached_at are set once each, by
-- a guarded update.
CREATE TABLE support_targets (
	id           INTEGER PRIMARY KEY,
	request_id   BIGINT  NOT NULL REFERENCES support_requests (id),
	kind         TEXT    NOT NULL,
	length_us    BIGINT  NOT NULL,
	started_at   BIGINT  NOT NULL,
	due_at       BIGINT  NOT NULL DEFAULT 0,
	warn_at      BIGINT  NOT NULL DEFAULT 0,
	paused       BOOLEAN NOT NULL DEFAULT false,
	left_us      BIGINT  NOT NULL DEFAULT 0,
	warn_left_us BIGINT  NOT NULL DEFAULT 0,
	met_at       BIGINT  NOT NULL DEFAULT 0,
	warned_at    BIGINT  NOT NULL DEFAULT 0,
	breached_at  BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX support_targets_request ON support_targets (request_id, id);
CREATE INDEX support_targets_breach ON support_targets (due_at) WHERE met_at = 0 AND breached_at = 0 AND NOT paused;
CREATE INDEX support_targets_warn ON support_targets (warn_at) WHERE met_at = 0 AND warned_at = 0 AND NOT paused;

-- A request's conversation: the customer's messages, the desk's replies
-- and its internal notes.
CREATE TABLE support_messages (
	id         INTEGER PRIMARY KEY,
	request_id BIGINT NOT NULL REFERENCES support_requests (id),
	kind       TEXT   NOT NULL,
	author_id  BIGINT NOT NULL,
	author     TEXT   NOT NULL,
	body       TEXT   NOT NULL,
	via        TEXT   NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX support_messages_request ON support_messages (request_id, id);

-- Files sent with a message: small, of a few types checked by their bytes.
CREATE TABLE support_attachments (
	id           INTEGER PRIMARY KEY,
	request_id   BIGINT  NOT NULL REFERENCES support_requests (id),
	message_id   BIGINT  NOT NULL REFERENCES support_messages (id),
	name         TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	size         INTEGER NOT NULL,
	data         BLOB   NOT NULL
);
CREATE INDEX support_attachments_message ON support_attachments (message_id);
