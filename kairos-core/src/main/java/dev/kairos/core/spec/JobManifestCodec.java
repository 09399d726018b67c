package dev.kairos.core.spec;

/**
 * Reads Job manifests from YAML or JSON, validating every field, and writes them back as canonical
 * JSON. (Implementation in progress: see the core issue.)
 */
public final class JobManifestCodec {
  private JobManifestCodec() {}

  /**
   * Parses and validates a YAML manifest; throws {@link ValidationException} with every problem.
   */
  public static JobManifest parseYaml(String yaml) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Parses and validates a JSON manifest; throws {@link ValidationException} with every problem.
   */
  public static JobManifest parseJson(String json) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Canonical JSON of a manifest; {@code parseJson(toJson(m)).equals(m)}. */
  public static String toJson(JobManifest manifest) {
    throw new UnsupportedOperationException("not yet");
  }
}
