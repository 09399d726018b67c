-- Worker identity and fencing (issue 19).
-- Each claim of an attempt draws a random fencing token; heartbeats, logs, release and completion
-- of the attempt are accepted only with it. NULL while the attempt is not claimed.
ALTER TABLE attempts ADD COLUMN fence BIGINT;
-- A token may be limited: to namespaces, to pools and clusters (worker tokens), in time. A worker
-- credential is a WORKER token bound to one worker id, made by enrolment with a WORKER token that is
-- not; it carries its enrolment token's name, so revoking that name revokes the credentials too.
-- Lists are comma-separated; NULL means no limit.
ALTER TABLE tokens ADD COLUMN namespaces TEXT;
ALTER TABLE tokens ADD COLUMN pools TEXT;
ALTER TABLE tokens ADD COLUMN clusters TEXT;
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN worker_id TEXT;
CREATE INDEX tokens_worker ON tokens (worker_id) WHERE worker_id IS NOT NULL;
