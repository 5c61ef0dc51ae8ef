-- An import keeps the line its file's header is on, below any title or
-- version line; a staged row, whether its file marks the person's account
-- disabled, so that applying the import gives that person no seat.
ALTER TABLE imports ADD COLUMN header_line INTEGER NOT NULL DEFAULT 1;
ALTER TABLE import_rows ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT false;
