-- Placement. An attempt carries what it needs of its worker (the task's resource requests), where
-- it may run (the cluster its run was given by weight, whether that is strict, the worker labels
-- it selects) and its rank in the queue: priority plus how long it has waited. A waiting attempt's
-- effective priority grows by one for every `aging` it waits (the pool's priorityAging, 1 s unless
-- set); as that growth is the same for every attempt, ordering by
--   priority + (now - due) / aging  =  (priority * aging - due) / aging + now / aging
-- is ordering by rank = priority * aging - due, which does not change while the attempt waits and
-- so can be indexed.
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

-- An attempt killed for going over its memory limit ends OOM_KILLED, not FAILED.
ALTER TABLE attempts DROP CONSTRAINT attempts_state_check;
ALTER TABLE attempts ADD CONSTRAINT attempts_state_check CHECK (state IN
  ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'LOST', 'OOM_KILLED'));

-- The workers that polled: what they declared and when they were last heard from. A worker is live
-- while it was heard from within a lease; rows of workers gone for a day are pruned.
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

-- Settings of a pool (a pool exists without a row, with the defaults): at most max_running of its
-- attempts run at once (NULL = no limit), and its priority aging (NULL = 1 s per point).
CREATE TABLE pools (
  name                  TEXT   PRIMARY KEY,
  max_running           INT    CHECK (max_running > 0),
  priority_aging_millis BIGINT CHECK (priority_aging_millis >= 0),
  updated_at            BIGINT NOT NULL
);

-- A run of a job at its maxActiveRuns waits, created but held: its tasks are queued once one of the
-- job's runs has ended. Only such runs have an entry in runs_held (held is written once more, on
-- release), so the hot path's run updates stay HOT.
ALTER TABLE runs ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX runs_held ON runs (namespace, job_name, id) WHERE held;
