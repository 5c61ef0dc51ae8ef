-- The person fields a company's directory owns, comma-separated; a company
-- without a row has its directory own them all.
CREATE TABLE directory_owned (
	company_id BIGINT NOT NULL PRIMARY KEY REFERENCES companies (id),
	fields     TEXT   NOT NULL
);
