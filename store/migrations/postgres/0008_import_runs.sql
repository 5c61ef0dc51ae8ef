-- A preview run is numbered: the run that starts last clears the rows the
-- ones before staged, and only the run whose number the import holds may
-- stage rows or finish the preview.
ALTER TABLE imports ADD COLUMN run INTEGER NOT NULL DEFAULT 0;
