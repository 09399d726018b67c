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
