-- A person invited to a programme: the seats reserved for them at
-- confirmation, and when their invitation mail goes out. The local date,
-- time and zone it was asked for are kept beside the instant they resolve
-- to, and how (shift: '' none, 'gap' or 'overlap' of the clocks).
CREATE TABLE invitations (
	id           INTEGER PRIMARY KEY,
	programme_id BIGINT  NOT NULL REFERENCES programmes (id),
	company_id   BIGINT  NOT NULL REFERENCES companies (id),
	user_id      BIGINT  NOT NULL REFERENCES users (id),
	lang         TEXT    NOT NULL,
	zone         TEXT    NOT NULL,
	local_at     TEXT    NOT NULL,
	shift        TEXT    NOT NULL DEFAULT '',
	send_at      BIGINT  NOT NULL,
	remind_days  INTEGER NOT NULL DEFAULT 0,
	invited_by   BIGINT  NOT NULL,
	created_at   BIGINT  NOT NULL,
	sent_at      BIGINT  NOT NULL DEFAULT 0,
	cancelled_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX invitations_programme ON invitations (programme_id, id);
CREATE INDEX invitations_company ON invitations (company_id, sent_at, cancelled_at);
CREATE INDEX invitations_user ON invitations (user_id);

-- The seats reserved for an invitation: one per experience, or the one of
-- its subscription.
CREATE TABLE invitation_seats (
	invitation_id BIGINT NOT NULL REFERENCES invitations (id),
	seat_id       BIGINT NOT NULL REFERENCES seats (id),
	PRIMARY KEY (invitation_id, seat_id)
);

-- A person made for an invitation not sent yet: not listed among the
-- company's members until it is.
ALTER TABLE users ADD COLUMN pending BOOLEAN NOT NULL DEFAULT false;

-- When the person last signed in to allot itself (last_login_at is their
-- last login to the product): an invitation is accepted by either.
ALTER TABLE users ADD COLUMN signed_in_at BIGINT NOT NULL DEFAULT 0;
