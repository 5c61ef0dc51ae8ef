-- The people a company's directory provisioned: their anchor in it (a SCIM
-- resource's id, objectGUID, entryUUID), unique in the company, and whether
-- it holds them active.
CREATE TABLE provisioned (
	user_id    BIGINT  NOT NULL PRIMARY KEY REFERENCES users (id),
	company_id BIGINT  NOT NULL REFERENCES companies (id),
	anchor     TEXT    NOT NULL,
	active     BOOLEAN NOT NULL,
	updated_at BIGINT  NOT NULL,
	UNIQUE (company_id, anchor)
);

-- The members of a company's directory groups, as the directory names them.
CREATE TABLE group_members (
	company_id BIGINT NOT NULL REFERENCES companies (id),
	group_name TEXT   NOT NULL,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (company_id, group_name, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- A company's directory group whose members hold a seat of a product.
CREATE TABLE group_mappings (
	id         INTEGER PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies (id),
	group_name TEXT   NOT NULL,
	product_id BIGINT NOT NULL REFERENCES products (id),
	created_at BIGINT NOT NULL,
	UNIQUE (company_id, group_name, product_id)
);
