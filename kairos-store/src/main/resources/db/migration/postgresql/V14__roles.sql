-- Tokens with roles (issue 19): besides ADMIN and WORKER, OPERATOR (apply, trigger, cancel,
-- repair), VIEWER (read only) and EVENTS (send events only). Tokens are listed and revoked by name.
ALTER TABLE tokens DROP CONSTRAINT tokens_role_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_role_check
  CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER', 'EVENTS', 'WORKER'));
CREATE INDEX tokens_name ON tokens (name);
