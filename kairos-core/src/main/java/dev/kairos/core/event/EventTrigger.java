package dev.kairos.core.event;

/**
 * {@code spec.triggers[].event}: start a run of the job for each event of {@code type} that the
 * filter matches.
 *
 * @param type the event type, e.g. {@code data-ready}
 * @param filter which of them; null = all
 */
public record EventTrigger(String type, Filter filter) {
  /** Whether this trigger starts a run for the event. */
  public boolean matches(Filter.Event event) {
    return type.equals(event.type()) && (filter == null || filter.matches(event));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventTrigger t
        && type.equals(t.type)
        && java.util.Objects.equals(
            filter == null ? null : filter.source(), t.filter == null ? null : t.filter.source());
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(type, filter == null ? null : filter.source());
  }
}
