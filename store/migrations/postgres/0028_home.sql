-- The home pages count the learners whose seat expired unreleased: the
-- seats of a company that ended, found without reading its other seats,
-- the index holding what the count reads of a seat.
CREATE INDEX seats_expired ON seats (company_id, ends_at, product_id, user_id) WHERE released_at = 0;
