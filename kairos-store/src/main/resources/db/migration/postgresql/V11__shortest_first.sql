-- spec.sizeParam: the value of the declared numeric run parameter, kept with the run so that
-- duration prediction can learn how the job's tasks grow with it (events are pruned, runs stay)
ALTER TABLE runs ADD COLUMN run_size DOUBLE PRECISION;

-- a pool's dispatch order: FIFO (by effective priority, then due time) or SHORTEST_PREDICTED_FIRST
-- (within a priority, shorter predicted attempts first, each held back at most order_window_millis)
ALTER TABLE pools ADD COLUMN dispatch_order TEXT NOT NULL DEFAULT 'FIFO'
  CHECK (dispatch_order IN ('FIFO', 'SHORTEST_PREDICTED_FIRST'));
ALTER TABLE pools ADD COLUMN order_window_millis BIGINT CHECK (order_window_millis >= 0);
