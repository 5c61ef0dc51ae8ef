-- The reports' reads: the learners who logged in since an instant and
-- their seats, found from the index alone; the seats closed when their
-- learner was given a new one (a renewal); the invitations made in a period.
CREATE INDEX users_last_login ON users (last_login_at, id);
CREATE INDEX seats_login ON seats (user_id, released_at, pool_id);
CREATE INDEX seats_closed ON seats (company_id, user_id, product_id, id) WHERE NOT held AND released_at = 0;
CREATE INDEX invitations_created ON invitations (created_at);
