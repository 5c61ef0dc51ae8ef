-- The help centre's articles: Markdown written by the vendor's staff, a
-- draft until published, each for one or more audiences. An audience is a
-- column, so that the list of one audience's published articles reads a
-- partial index. body_text is the body as plain text, which search reads
-- and quotes.
CREATE TABLE articles (
	id                   INTEGER PRIMARY KEY,
	slug                 TEXT    NOT NULL UNIQUE,
	title                TEXT    NOT NULL,
	body                 TEXT    NOT NULL,
	body_text            TEXT    NOT NULL,
	for_company_managers BOOLEAN NOT NULL DEFAULT false,
	for_partner_managers BOOLEAN NOT NULL DEFAULT false,
	for_members          BOOLEAN NOT NULL DEFAULT false,
	published            BOOLEAN NOT NULL DEFAULT false,
	created_at           BIGINT  NOT NULL,
	updated_at           BIGINT  NOT NULL,
	updated_by           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX articles_company_managers ON articles (title) WHERE published AND for_company_managers;
CREATE INDEX articles_partner_managers ON articles (title) WHERE published AND for_partner_managers;
CREATE INDEX articles_members ON articles (title) WHERE published AND for_members;

-- Full-text search: an FTS5 index of the title and the text, its content
-- read from articles, kept by the triggers below. The porter tokenizer
-- finds "renewing" under "renew"; accents do not count.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body_text, content = 'articles', content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body_text ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
	INSERT INTO articles_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;
