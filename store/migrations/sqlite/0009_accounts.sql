-- One-time sign-in links, sent in a welcome or a password-reset mail. Only a
-- hash of a link's token is kept; a person has at most one link, and using
-- it deletes it.
CREATE TABLE sign_in_links (
	id         INTEGER PRIMARY KEY,
	user_id    BIGINT NOT NULL UNIQUE REFERENCES users (id),
	purpose    TEXT   NOT NULL,
	hash       TEXT   NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

-- A change of password moves a person's session epoch on: the sessions they
-- began before it end.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;

-- Whether an import's new people get a welcome mail, as chosen when it is
-- confirmed.
ALTER TABLE imports ADD COLUMN welcome BOOLEAN NOT NULL DEFAULT false;
