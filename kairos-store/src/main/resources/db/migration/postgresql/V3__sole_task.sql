-- Whether the attempt's run has this one task only. Most jobs do; when such an attempt succeeds,
-- its run has succeeded, and the completion finishes the run in the same statement (PostgreSQL) or
-- transaction without loading the run and its manifest. Attempts queued before this column existed
-- say FALSE and take the general path, which reaches the same result.
ALTER TABLE attempts ADD COLUMN sole_task BOOLEAN NOT NULL DEFAULT FALSE;
