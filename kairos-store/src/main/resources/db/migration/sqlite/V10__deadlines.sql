-- spec.deadline: the alert duty looks for the active runs of jobs that have one, and raises
-- slaAtRisk when a run's predicted finish passes its deadline.
ALTER TABLE jobs ADD COLUMN deadline TEXT;

-- SLA_AT_RISK joins the alert kinds (widening a CHECK: see V6 and V9)
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''FIRE_MISSED'')', '''FIRE_MISSED'', ''SLA_AT_RISK'')')
  WHERE type = 'table' AND name IN ('run_events', 'alerts');
PRAGMA writable_schema = RESET;

-- the alert duty asks every second for jobs with a deadline, and every 5 s for jobs with an SLA:
-- both find the few such jobs through a partial index, not by reading every job
CREATE INDEX jobs_with_deadline ON jobs (namespace, name) WHERE deadline IS NOT NULL;
CREATE INDEX jobs_with_sla ON jobs (namespace, name) WHERE sla_millis IS NOT NULL;
