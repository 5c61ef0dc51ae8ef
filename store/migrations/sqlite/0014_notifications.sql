-- The kinds of mail a company's people do not get, comma-separated, such as
-- "seat_given,seat_released": none when empty, the default.
ALTER TABLE companies ADD COLUMN mails_off TEXT NOT NULL DEFAULT '';
