-- Making a token took an Idempotency-Key, and its response, secret and
-- all, was kept for a replay. It takes none now; the responses kept are
-- forgotten.
DELETE FROM idempotency_keys WHERE position('"secret":"allot_'::bytea IN body) > 0;

-- A product may say where its learners use it: an https address, or nothing.
ALTER TABLE products ADD COLUMN url TEXT NOT NULL DEFAULT '';
