-- Placement: see the PostgreSQL migration of the same version for the reasons.
ALTER TABLE attempts ADD COLUMN cpu_millis BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN memory_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN cluster TEXT;
ALTER TABLE attempts ADD COLUMN strict_cluster BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE attempts ADD COLUMN selector_json TEXT;
ALTER TABLE attempts ADD COLUMN rank BIGINT;
UPDATE attempts SET rank = CAST(priority AS BIGINT) * 1000 - not_before WHERE state = 'QUEUED';
-- cpu_class: the request's size class (0: none, 1: up to 100m, 2: up to 200m, 3: up to 400m, ...
-- doubling): a worker reads the best of each class it can hold, one index scan each, instead of
-- reading past every attempt too big for it that outranks what it can take.
ALTER TABLE attempts ADD COLUMN cpu_class INT NOT NULL DEFAULT 0;
DROP INDEX attempts_queue;
CREATE INDEX attempts_queue ON attempts (pool, cpu_class, rank DESC, id) WHERE state = 'QUEUED';

-- OOM_KILLED joins the attempt states. SQLite cannot alter a CHECK constraint; widening one (no
-- stored row can break it) is done by rewriting the table's schema text, the procedure SQLite
-- documents for such changes (https://sqlite.org/lang_altertable.html, section 7).
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''LOST'')', '''LOST'', ''OOM_KILLED'')')
  WHERE type = 'table' AND name = 'attempts';
PRAGMA writable_schema = OFF;

CREATE TABLE workers (
  worker_id    TEXT   PRIMARY KEY,
  pool         TEXT   NOT NULL,
  cluster      TEXT   NOT NULL,
  labels_json  TEXT   NOT NULL,
  cpu_millis   BIGINT NOT NULL,
  memory_bytes BIGINT NOT NULL,
  slots        INT    NOT NULL,
  started_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX workers_by_pool ON workers (pool, last_seen_at);

CREATE TABLE pools (
  name                  TEXT   PRIMARY KEY,
  max_running           INT    CHECK (max_running > 0),
  priority_aging_millis BIGINT CHECK (priority_aging_millis >= 0),
  updated_at            BIGINT NOT NULL
);

ALTER TABLE runs ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX runs_held ON runs (namespace, job_name, id) WHERE held;
