package dev.kairos.core.spec;

/**
 * An environment variable (of a shell task) or a request header (of an http task, see {@link
 * HttpSpec}) whose value is a secret: masked as {@code ***} in the task's log output and in what
 * the API and CLI show of the job, never written to a server or worker log. Exactly one source is
 * set.
 *
 * <pre>
 * env:
 *   DB_PASS: {secret: true, value: s3cr3t}       # inline: kept in the store with the job
 *   API_KEY: {fromFile: /run/secrets/api-key}    # read on the worker when the attempt starts
 *   TOKEN:   {fromEnv: DEPLOY_TOKEN}             # the worker's own environment variable
 * </pre>
 *
 * A reference ({@code fromFile}, {@code fromEnv}) never leaves the worker's machine: the store and
 * the server hold only the file's path or the variable's name.
 *
 * @param value the secret itself
 * @param fromFile a file on the worker whose content (less a trailing newline) is the value
 * @param fromEnv a variable of the worker's environment whose value is the value
 */
public record SecretEnv(String value, String fromFile, String fromEnv) {
  public SecretEnv {
    int sources = (value != null ? 1 : 0) + (fromFile != null ? 1 : 0) + (fromEnv != null ? 1 : 0);
    if (sources != 1) {
      throw new IllegalArgumentException("exactly one of value, fromFile, fromEnv is set");
    }
  }

  /** What the API and CLI show: the reference, or {@code ***} for an inline value. */
  public SecretEnv redacted() {
    return value == null ? this : new SecretEnv("***", null, null);
  }
}
