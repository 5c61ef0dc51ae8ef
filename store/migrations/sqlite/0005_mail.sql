-- The language and time zone a person's mail is written in; the company a
-- job concerns; and every mail allot sent, or kept when no SMTP server is
-- configured.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE jobs ADD COLUMN company_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX jobs_company ON jobs (company_id, id);

CREATE TABLE mails (
	id         INTEGER PRIMARY KEY,
	job_key    TEXT   NOT NULL UNIQUE,
	company_id BIGINT NOT NULL DEFAULT 0,
	kind       TEXT   NOT NULL,
	recipient  TEXT   NOT NULL,
	subject    TEXT   NOT NULL,
	text_body  TEXT   NOT NULL,
	html_body  TEXT   NOT NULL,
	status     TEXT   NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX mails_company ON mails (company_id, id);
