-- The home pages count the learners whose seat expired unreleased: the
-- seats that ended, found by their end without reading every seat.
CREATE INDEX seats_expired ON seats (ends_at) WHERE released_at = 0;
