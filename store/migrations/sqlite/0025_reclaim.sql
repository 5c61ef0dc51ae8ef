-- Reclaim rules. A rule releases the seats of a company's learners who have
-- not logged in to the product for days days, counted from the later of
-- their last login and the seat's start, after a warning by mail warn_days
-- before when warn_days is not 0. product_id 0 is the company-wide rule,
-- for the products without a rule of their own; changed_by is who last
-- changed the rule, as their e-mail.
CREATE TABLE reclaim_rules (
	id         INTEGER PRIMARY KEY,
	company_id BIGINT  NOT NULL REFERENCES companies (id),
	product_id BIGINT  NOT NULL DEFAULT 0,
	days       INTEGER NOT NULL CHECK (days BETWEEN 1 AND 3650),
	warn_days  INTEGER NOT NULL DEFAULT 0,
	enabled    BOOLEAN NOT NULL DEFAULT false,
	changed_by TEXT    NOT NULL DEFAULT '',
	changed_at BIGINT  NOT NULL,
	created_at BIGINT  NOT NULL,
	CHECK (warn_days >= 0 AND warn_days < days),
	UNIQUE (company_id, product_id)
);
CREATE INDEX reclaim_rules_enabled ON reclaim_rules (id) WHERE enabled;

-- A warning sent: once per rule, seat and idle period. since is the start
-- of the period (the later of the last login and the seat's start), so a
-- learner who logs in after a warning starts a period the warning is not
-- of. reclaim_at is when the seat goes back, as the warning said.
CREATE TABLE reclaim_warnings (
	rule_id    BIGINT NOT NULL,
	seat_id    BIGINT NOT NULL REFERENCES seats (id),
	since      BIGINT NOT NULL,
	company_id BIGINT NOT NULL,
	user_id    BIGINT NOT NULL,
	warned_at  BIGINT NOT NULL,
	reclaim_at BIGINT NOT NULL,
	PRIMARY KEY (rule_id, seat_id, since)
);

-- The seats a rule released, for the company's page of its rules. A seat
-- is released once; the rule is named by its ID and kept as it was.
CREATE TABLE reclaim_history (
	seat_id      BIGINT NOT NULL PRIMARY KEY REFERENCES seats (id),
	rule_id      BIGINT NOT NULL,
	company_id   BIGINT NOT NULL,
	user_id      BIGINT NOT NULL,
	product_id   BIGINT NOT NULL,
	days         INTEGER NOT NULL,
	idle_since   BIGINT NOT NULL,
	reclaimed_at BIGINT NOT NULL
);
CREATE INDEX reclaim_history_company ON reclaim_history (company_id, reclaimed_at);
