package dev.kairos.core.spec;

import java.util.regex.Pattern;

/**
 * Names of namespaces, jobs, pools and clusters: DNS labels, as Kubernetes names its objects, so
 * that they can appear in URLs, label values and host names unchanged.
 */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private Names() {}

  /** Null if {@code text} is a DNS label, else what is allowed. */
  public static String checkDnsLabel(String text) {
    return DNS_LABEL.matcher(text).matches()
        ? null
        : "must be a DNS label: lower-case letters, digits and '-', 1-63 characters, starting and"
            + " ending with a letter or digit";
  }
}
