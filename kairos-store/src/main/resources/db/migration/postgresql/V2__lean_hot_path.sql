-- The hot path writes each run twice (started, finished) and each attempt twice (claimed, ended).
-- Every index whose columns (or predicate) such a write changes costs an index insertion per
-- write, and on PostgreSQL turns a cheap in-page (HOT) update into a full one. Keep only the
-- indexes that reads need, and make them partial where most rows do not need an entry.

-- Lookups by run use the unique (run_id, task_name, attempt) index.
DROP INDEX attempts_by_run;

-- Run listings filter by state on top of runs_by_job / the primary key; the active runs of a job
-- (concurrency policies) have their own partial index below.
DROP INDEX runs_by_state;
DROP INDEX runs_by_job_state;

-- Manual runs without an idempotency key need no entry in either unique index.
ALTER TABLE runs DROP CONSTRAINT runs_namespace_job_name_fire_time_key;
ALTER TABLE runs DROP CONSTRAINT runs_namespace_job_name_idempotency_key_key;
CREATE UNIQUE INDEX runs_fire_time ON runs (namespace, job_name, fire_time)
  WHERE fire_time IS NOT NULL;
CREATE UNIQUE INDEX runs_idempotency_key ON runs (namespace, job_name, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- No index on runs mentions state, started_at or finished_at, so both writes of a run on the hot
-- path are HOT updates (no index writes); fillfactor leaves room on the page for them. The active
-- runs of a job are found through their attempts instead: a run is active exactly while it has a
-- QUEUED or RUNNING attempt (roots are queued with the run, and every attempt's end queues the
-- next ones or finishes the run in the same transaction), and attempts are rewritten on every
-- state change anyway.
ALTER TABLE runs ADD CONSTRAINT runs_finished_when_terminal
  CHECK ((finished_at IS NULL) = (state IN ('PENDING', 'RUNNING')));
ALTER TABLE runs SET (fillfactor = 70);
CREATE INDEX attempts_active ON attempts (namespace, job_name) WHERE state IN ('QUEUED', 'RUNNING');

-- Jobs whose fires do not depend on what is active (concurrencyPolicy Allow) are fired ahead: their
-- runs are created a few seconds before the fire time and cannot start before it, so thousands of
-- jobs sharing a second still start on time. The ticker finds them by (fire_ahead, next_fire_at).
ALTER TABLE jobs ADD COLUMN fire_ahead BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE jobs SET fire_ahead = (CAST(manifest_json AS jsonb) -> 'spec' ->> 'concurrencyPolicy' = 'Allow');
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs (fire_ahead, next_fire_at) WHERE next_fire_at IS NOT NULL AND NOT suspended;
