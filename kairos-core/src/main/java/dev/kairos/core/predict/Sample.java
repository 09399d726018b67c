package dev.kairos.core.predict;

/**
 * One completed attempt, as history for prediction.
 *
 * @param millis how long it ran
 * @param size the declared numeric run parameter (e.g. input rows), or NaN if none
 */
public record Sample(double millis, double size) {
  public Sample {
    if (!(millis > 0) || Double.isInfinite(millis)) {
      throw new IllegalArgumentException("a duration must be positive: " + millis);
    }
  }

  public static Sample of(double millis) {
    return new Sample(millis, Double.NaN);
  }

  boolean sized() {
    return size > 0 && !Double.isInfinite(size);
  }
}
