-- A schedule set aside: its fire failed alone, for a reason that will not pass (a bug, or a stored
-- spec that cannot be planned). Its next fire is cleared and this says why, until the job is
-- applied or resumed again; the fire is recorded as a FAILED run with the same reason.
ALTER TABLE jobs ADD COLUMN schedule_error TEXT;

-- How many attempts of the task in its run were LOST before this one without using its retries
-- (retryPolicy.maxLost): a worker that died, or a claim that never reached its worker, is not the
-- task's failure.
ALTER TABLE attempts ADD COLUMN lost_before INT NOT NULL DEFAULT 0 CHECK (lost_before >= 0);

-- INTERNAL_ERROR: an attempt, a schedule or a held run was set aside after failing alone
ALTER TABLE run_events DROP CONSTRAINT run_events_kind_check;
ALTER TABLE run_events ADD CONSTRAINT run_events_kind_check
  CHECK (kind IN ('RUN_FAILED', 'RETRIES_EXHAUSTED', 'SLA_EXCEEDED', 'FIRE_MISSED', 'SLA_AT_RISK',
    'INTERNAL_ERROR'));
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
  CHECK (kind IN ('RUN_FAILED', 'RETRIES_EXHAUSTED', 'SLA_EXCEEDED', 'FIRE_MISSED', 'SLA_AT_RISK',
    'INTERNAL_ERROR'));
