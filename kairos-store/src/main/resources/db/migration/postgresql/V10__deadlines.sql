-- spec.deadline: the alert duty looks for the active runs of jobs that have one, and raises
-- slaAtRisk when a run's predicted finish passes its deadline.
ALTER TABLE jobs ADD COLUMN deadline TEXT;

ALTER TABLE run_events DROP CONSTRAINT run_events_kind_check;
ALTER TABLE run_events ADD CONSTRAINT run_events_kind_check
  CHECK (kind IN ('RUN_FAILED', 'RETRIES_EXHAUSTED', 'SLA_EXCEEDED', 'FIRE_MISSED', 'SLA_AT_RISK'));
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
  CHECK (kind IN ('RUN_FAILED', 'RETRIES_EXHAUSTED', 'SLA_EXCEEDED', 'FIRE_MISSED', 'SLA_AT_RISK'));

-- the alert duty asks every second for jobs with a deadline, and every 5 s for jobs with an SLA:
-- both find the few such jobs through a partial index, not by reading every job
CREATE INDEX jobs_with_deadline ON jobs (namespace, name) WHERE deadline IS NOT NULL;
CREATE INDEX jobs_with_sla ON jobs (namespace, name) WHERE sla_millis IS NOT NULL;
