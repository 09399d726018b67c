-- Events (CloudEvents: type, source, id, data), stored before they are acknowledged. The same
-- source and id is one event: a second delivery starts nothing (within the dedup window; older
-- events are pruned).
CREATE TABLE events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  source      TEXT   NOT NULL,
  event_id    TEXT   NOT NULL,
  type        TEXT   NOT NULL,
  data_json   TEXT,
  received_at BIGINT NOT NULL,
  UNIQUE (source, event_id)
);
CREATE INDEX events_received ON events (received_at);

-- The event types a job subscribes to (spec.triggers), as ' type1 type2 ', for intake to find the
-- subscribed jobs; NULL for none.
ALTER TABLE jobs ADD COLUMN event_types TEXT;

-- The event that started a run, and on its attempts (as fire_time is), so that a claim hands the
-- event to the worker without reading the run.
ALTER TABLE runs ADD COLUMN event_id BIGINT;
ALTER TABLE attempts ADD COLUMN event_id BIGINT;

-- a run started by an event says so (widening a CHECK: see V6; RESET also reloads the schema of
-- this connection, which the pool hands out again)
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''SCHEDULE'', ''MANUAL'')', '''SCHEDULE'', ''MANUAL'', ''EVENT'')')
  WHERE type = 'table' AND name = 'runs';
PRAGMA writable_schema = RESET;
