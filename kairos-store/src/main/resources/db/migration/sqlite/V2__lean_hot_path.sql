-- The hot path writes each run twice (started, finished) and each attempt twice (claimed, ended);
-- every index on a column such a write changes costs an index write per write. Keep only the
-- indexes that reads need (see the PostgreSQL migration of the same version).

-- Lookups by run use the unique (run_id, task_name, attempt) index.
DROP INDEX attempts_by_run;

-- Run listings filter by state on top of runs_by_job / the primary key. The active runs of a job
-- (concurrency policies) are found through their QUEUED or RUNNING attempts.
DROP INDEX runs_by_state;
DROP INDEX runs_by_job_state;
CREATE INDEX attempts_active ON attempts (namespace, job_name) WHERE state IN ('QUEUED', 'RUNNING');

-- Jobs whose fires do not depend on what is active (concurrencyPolicy Allow) are fired ahead: their
-- runs are created a few seconds before the fire time and cannot start before it, so thousands of
-- jobs sharing a second still start on time. The ticker finds them by (fire_ahead, next_fire_at).
ALTER TABLE jobs ADD COLUMN fire_ahead BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE jobs SET fire_ahead = (json_extract(manifest_json, '$.spec.concurrencyPolicy') = 'Allow');
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs (fire_ahead, next_fire_at) WHERE next_fire_at IS NOT NULL AND NOT suspended;
