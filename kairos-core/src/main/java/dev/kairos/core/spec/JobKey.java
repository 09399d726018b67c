package dev.kairos.core.spec;

/** A job's identity: namespace and name. */
public record JobKey(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
