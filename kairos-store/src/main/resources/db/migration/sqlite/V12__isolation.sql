-- A schedule set aside: its fire failed alone, for a reason that will not pass (a bug, or a stored
-- spec that cannot be planned). Its next fire is cleared and this says why, until the job is
-- applied or resumed again; the fire is recorded as a FAILED run with the same reason.
ALTER TABLE jobs ADD COLUMN schedule_error TEXT;

-- How many attempts of the task in its run were LOST before this one without using its retries
-- (retryPolicy.maxLost): a worker that died, or a claim that never reached its worker, is not the
-- task's failure.
ALTER TABLE attempts ADD COLUMN lost_before INT NOT NULL DEFAULT 0 CHECK (lost_before >= 0);

-- INTERNAL_ERROR: an attempt, a schedule or a held run was set aside after failing alone
-- (widening a CHECK: see V6, V9 and V10)
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''SLA_AT_RISK'')', '''SLA_AT_RISK'', ''INTERNAL_ERROR'')')
  WHERE type = 'table' AND name IN ('run_events', 'alerts');
PRAGMA writable_schema = RESET;
