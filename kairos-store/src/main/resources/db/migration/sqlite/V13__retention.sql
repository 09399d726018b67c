-- Retention: ended runs older than the server's --retention are deleted, with their attempts and
-- logs, and so are alert deliveries and audit entries (events already have events_received).
-- A run ends after it is created, so old ended runs are found by their creation time, which never
-- changes (the PostgreSQL migration says why that matters there). A job's runs past its
-- spec.history are found through runs_by_job.
CREATE INDEX runs_created ON runs (created_at);
CREATE INDEX alerts_created ON alerts (created_at);
CREATE INDEX audit_at ON audit_log (at);
