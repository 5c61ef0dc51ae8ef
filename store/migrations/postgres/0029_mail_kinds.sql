-- The outbox filters recorded mail by kind and counts what a filter
-- selects: newest first within a kind, and counted without reading the
-- bodies. The HTML of a mail is recorded already, as it went out.
CREATE INDEX mails_kind ON mails (kind, id);
