-- What a succeeded attempt published for its downstream tasks: a JSON object of key -> value
-- (TaskOutputs, at most 16 KiB of key=value text); NULL when it published nothing.
ALTER TABLE attempts ADD COLUMN outputs_json TEXT;

-- The run's schedule fire time (NULL for a manual run), copied like namespace and job_name so that
-- a claim hands it to the worker (KAIROS_FIRE_TIME) without a join.
ALTER TABLE attempts ADD COLUMN fire_time BIGINT;
