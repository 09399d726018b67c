package dev.kairos.store;

/**
 * How many runs are active now, in the whole store.
 *
 * @param working runs with an attempt queued or running
 * @param held runs created but held back by their job's maxActiveRuns
 */
public record ActiveRuns(long working, long held) {}
