package dev.kairos.core.predict;

/**
 * A predicted duration.
 *
 * @param p50 the median: half of such runs take less
 * @param p90 nine in ten take less
 * @param samples how many past runs it was learnt from
 */
public record Prediction(double p50, double p90, int samples) {}
