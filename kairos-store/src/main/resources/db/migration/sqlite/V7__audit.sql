-- Every mutating API call: who (the token's name; NULL when no valid token was given), what
-- (method, route template, the path with its ids, a subject the handler names, e.g. the job
-- applied), when, from where, and how it ended (the HTTP status). Listed newest first by id.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         BIGINT NOT NULL,
  token_name TEXT,
  method     TEXT   NOT NULL,
  route      TEXT   NOT NULL,
  path       TEXT   NOT NULL,
  subject    TEXT,
  status     INT    NOT NULL,
  remote     TEXT   NOT NULL
);
CREATE INDEX audit_by_token ON audit_log (token_name, id);
