package dev.kairos.store;

/**
 * Where a job's {@code spec.history} cuts its runs: a run that ended in a state {@code
 * successfulRuns} counts is past the history when its id is below {@code successfulBefore}, one
 * that ended any other way when its id is below {@code failedBefore}. A cut stays true as more runs
 * end: they are newer, and can only move it up. So a cut found once can be used for a backlog's
 * batches, without reading the job's newest runs again for each.
 *
 * @param successfulBefore the id of the oldest succeeded run kept (0: none is past, {@link
 *     Long#MAX_VALUE}: the job keeps none)
 * @param failedBefore the same for the runs that ended any other way
 * @param kept how many ended runs the job keeps in all ({@code successfulRuns + failedRuns})
 */
public record HistoryCut(long successfulBefore, long failedBefore, int kept) {
  /** Nothing is past the history (or there is no such job). */
  public static final HistoryCut NONE = new HistoryCut(0, 0, 0);

  /** Whether no run is past it. */
  public boolean nonePast() {
    return successfulBefore <= 0 && failedBefore <= 0;
  }
}
