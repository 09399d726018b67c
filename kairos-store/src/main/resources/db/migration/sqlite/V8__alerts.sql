-- Alerts. The store records what happened (run_events) in the same transaction as the change
-- itself: a run ending FAILED, a task failing its last allowed attempt, a fire recorded as missed.
-- A server duty turns each event into deliveries to the job's webhooks (alerts) and deletes it, so
-- nothing is lost between the two. A run past its SLA is found by that duty directly.
CREATE TABLE run_events (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id BIGINT NOT NULL,
  kind   TEXT   NOT NULL CHECK (kind IN ('RUN_FAILED', 'RETRIES_EXHAUSTED', 'SLA_EXCEEDED', 'FIRE_MISSED')),
  task   TEXT,
  detail TEXT,
  at     BIGINT NOT NULL
);

-- One delivery of one alert to one webhook: at most one per run, kind and URL (deduplicated per
-- run). PENDING until delivered, or FAILED when its retries ran out.
CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id          BIGINT NOT NULL,
  namespace       TEXT   NOT NULL,
  job_name        TEXT   NOT NULL,
  kind            TEXT   NOT NULL CHECK (kind IN ('RUN_FAILED', 'RETRIES_EXHAUSTED', 'SLA_EXCEEDED', 'FIRE_MISSED')),
  task            TEXT,
  detail          TEXT,
  url             TEXT   NOT NULL,
  format          TEXT   NOT NULL CHECK (format IN ('JSON', 'SLACK')),
  state           TEXT   NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts        INT    NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  delivered_at    BIGINT,
  UNIQUE (run_id, kind, url)
);
CREATE INDEX alerts_due ON alerts (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX alerts_by_job ON alerts (namespace, job_name, id);

-- A job's alerts.sla in milliseconds (NULL: none), written with the job, so that the duty finds the
-- runs past their SLA through the active attempts of those jobs only.
ALTER TABLE jobs ADD COLUMN sla_millis BIGINT;
