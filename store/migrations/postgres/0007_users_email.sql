-- One index on e-mail, unique and covering the entitlement check's look-up,
-- in place of the unique constraint's index and users_email_check: a bulk
-- insert of users maintains one index fewer. SQLite cannot add columns to a
-- unique index, so it keeps both.
CREATE UNIQUE INDEX users_email ON users (email) INCLUDE (id, role, company_id, removed_at);
ALTER TABLE users DROP CONSTRAINT users_email_key;
DROP INDEX users_email_check;
