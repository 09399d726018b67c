-- Repairing a finished run (retry its failed tasks, re-run a task and its downstream, mark a task
-- succeeded or skipped) clears the tasks' attempts: they stay as history, but the task's state no
-- longer comes from them. retry_base is the attempt number a task's retry policy counts from (a
-- re-run task gets its retries anew).
ALTER TABLE attempts ADD COLUMN cleared BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE attempts ADD COLUMN retry_base INT NOT NULL DEFAULT 0;

-- An operator's decision about a task: it stands as SUCCEEDED or SKIPPED without (more) attempts.
CREATE TABLE task_marks (
  run_id    BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  task_name TEXT   NOT NULL,
  state     TEXT   NOT NULL CHECK (state IN ('SUCCEEDED', 'SKIPPED')),
  marked_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, task_name)
);
