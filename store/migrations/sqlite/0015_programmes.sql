-- A company's programmes: a name unique in the company, the products each
-- offers, and the language of its invitations.
CREATE TABLE programmes (
	id         INTEGER PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies (id),
	name       TEXT   NOT NULL,
	lang       TEXT   NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (company_id, name)
);

CREATE TABLE programme_products (
	programme_id BIGINT NOT NULL REFERENCES programmes (id),
	product_code TEXT   NOT NULL,
	PRIMARY KEY (programme_id, product_code)
);
