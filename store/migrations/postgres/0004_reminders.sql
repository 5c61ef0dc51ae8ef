-- Reminder offsets per company (a list of durations such as "30d, 72h, 0";
-- empty for the default), when the sweep saw a pool end, and the due time of
-- the last reminder queued for a pool.
ALTER TABLE companies ADD COLUMN reminder_offsets TEXT NOT NULL DEFAULT '';
ALTER TABLE pools ADD COLUMN expired_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pools ADD COLUMN reminded_due BIGINT NOT NULL DEFAULT 0;
CREATE INDEX pools_ends ON pools (ends_at);
