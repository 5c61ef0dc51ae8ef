-- Whether a seat freed in a company stays free rather than going at once to
-- the learner who has waited longest for its product: false, the default,
-- gives it.
ALTER TABLE companies ADD COLUMN fill_waiting_off BOOLEAN NOT NULL DEFAULT false;
