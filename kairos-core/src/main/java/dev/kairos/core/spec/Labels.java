package dev.kairos.core.spec;

import java.util.regex.Pattern;

/**
 * Label syntax, the same as Kubernetes labels so that a label written for one fits the other: a key
 * is an optional DNS-subdomain prefix and '/' followed by a name; a value is empty or a name.
 */
public final class Labels {
  /** 63 characters at most, alphanumeric at both ends, '-', '_' and '.' between. */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final int MAX_PREFIX = 253;

  private Labels() {}

  /** Null if {@code key} is a valid label key, else what is allowed. */
  public static String checkKey(String key) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk =
        prefix == null || (prefix.length() <= MAX_PREFIX && PREFIX.matcher(prefix).matches());
    return prefixOk && NAME.matcher(name).matches()
        ? null
        : "not a label key; use a name of up to 63 letters, digits, '-', '_' or '.' (starting and"
            + " ending with a letter or digit), optionally after a DNS prefix and '/', e.g. zone"
            + " or kairos.dev/gpu";
  }

  /** Null if {@code value} is a valid label value, else what is allowed. */
  public static String checkValue(String value) {
    return value.isEmpty() || NAME.matcher(value).matches()
        ? null
        : "not a label value; use up to 63 letters, digits, '-', '_' or '.', starting and ending"
            + " with a letter or digit (or nothing)";
  }
}
