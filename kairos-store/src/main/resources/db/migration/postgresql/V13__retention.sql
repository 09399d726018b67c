-- Retention: ended runs older than the server's --retention are deleted, with their attempts and
-- logs, and so are alert deliveries and audit entries (events already have events_received).
-- A run ends after it is created, so old ended runs are found by their creation time: created_at
-- never changes, so an index on it keeps the hot path's updates of runs HOT (an index on state or
-- finished_at would not: see V2). A job's runs past its spec.history are found through runs_by_job.
--
-- CONCURRENTLY: a store that has grown for months is what this is for, and a plain CREATE INDEX
-- would block every claim and completion while it reads the whole table. Flyway runs these
-- statements outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS runs_created ON runs (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS alerts_created ON alerts (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_at ON audit_log (at);
