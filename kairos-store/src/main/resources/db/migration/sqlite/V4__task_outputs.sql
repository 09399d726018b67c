-- What a succeeded attempt published for its downstream tasks: a JSON object of key -> value
-- (TaskOutputs, at most 16 KiB of key=value text); NULL when it published nothing.
ALTER TABLE attempts ADD COLUMN outputs_json TEXT;
