-- Kairos schema, SQLite. Times are epoch milliseconds (BIGINT) in both dialects.
-- States are the enum names of RunState / AttemptState (kairos-core), enforced here too.

CREATE TABLE jobs (
  namespace     TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  version       BIGINT  NOT NULL,
  manifest_json TEXT    NOT NULL,
  suspended     BOOLEAN NOT NULL,
  schedule_key  TEXT,             -- schedule|zone: a change re-plans the next fire
  next_fire_at  BIGINT,           -- first fire not yet handled; NULL = none
  missed_fires  BIGINT  NOT NULL DEFAULT 0,
  created_at    BIGINT  NOT NULL,
  updated_at    BIGINT  NOT NULL,
  PRIMARY KEY (namespace, name)
);
CREATE INDEX jobs_due ON jobs (next_fire_at) WHERE next_fire_at IS NOT NULL AND NOT suspended;

CREATE TABLE job_versions (
  namespace     TEXT   NOT NULL,
  name          TEXT   NOT NULL,
  version       BIGINT NOT NULL,
  manifest_json TEXT   NOT NULL,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (namespace, name, version),
  FOREIGN KEY (namespace, name) REFERENCES jobs (namespace, name) ON DELETE CASCADE
);

CREATE TABLE runs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace       TEXT   NOT NULL,
  job_name        TEXT   NOT NULL,
  job_version     BIGINT NOT NULL,
  trigger_kind    TEXT   NOT NULL CHECK (trigger_kind IN ('SCHEDULE', 'MANUAL')),
  fire_time       BIGINT,
  idempotency_key TEXT,
  state           TEXT   NOT NULL
    CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED', 'MISSED')),
  reason          TEXT,
  created_at      BIGINT NOT NULL,
  started_at      BIGINT,
  finished_at     BIGINT,
  FOREIGN KEY (namespace, job_name) REFERENCES jobs (namespace, name) ON DELETE CASCADE,
  -- exactly one run per schedule fire, and per client idempotency key
  UNIQUE (namespace, job_name, fire_time),
  UNIQUE (namespace, job_name, idempotency_key)
);
CREATE INDEX runs_by_job ON runs (namespace, job_name, id);
CREATE INDEX runs_by_job_state ON runs (namespace, job_name, state);
CREATE INDEX runs_by_state ON runs (state, id);

CREATE TABLE attempts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id           BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  namespace        TEXT    NOT NULL,   -- copied from the run so a claim needs no join
  job_name         TEXT    NOT NULL,
  run_key          TEXT    NOT NULL,   -- the task's idempotency key prefix
  task_name        TEXT    NOT NULL,
  attempt          INT     NOT NULL,
  state            TEXT    NOT NULL
    CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'LOST')),
  pool             TEXT    NOT NULL,
  priority         INT     NOT NULL,
  not_before       BIGINT  NOT NULL,
  worker_id        TEXT,
  lease_expires_at BIGINT,
  cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
  task_json        TEXT    NOT NULL,
  created_at       BIGINT  NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  exit_code        INT,
  error            TEXT,
  UNIQUE (run_id, task_name, attempt)
);
CREATE INDEX attempts_queue ON attempts (pool, priority DESC, not_before, id) WHERE state = 'QUEUED';
CREATE INDEX attempts_leases ON attempts (lease_expires_at) WHERE state = 'RUNNING';
CREATE INDEX attempts_by_run ON attempts (run_id);

CREATE TABLE attempt_logs (
  attempt_id BIGINT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
  seq        INT    NOT NULL,
  stream     TEXT   NOT NULL CHECK (stream IN ('stdout', 'stderr')),
  ts         BIGINT NOT NULL,
  text       TEXT   NOT NULL,
  PRIMARY KEY (attempt_id, seq)
);

CREATE TABLE tokens (
  sha256     TEXT   PRIMARY KEY,
  name       TEXT   NOT NULL,
  role       TEXT   NOT NULL CHECK (role IN ('ADMIN', 'WORKER')),
  created_at BIGINT NOT NULL
);
