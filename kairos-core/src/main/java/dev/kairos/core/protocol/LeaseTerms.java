package dev.kairos.core.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * A server's lease rules, which its workers follow: each server may set its own ({@code --lease},
 * {@code --heartbeat}), so a worker asks instead of assuming.
 *
 * @param lease how long an attempt stays with its worker without a heartbeat before it is presumed
 *     lost and retried
 * @param heartbeatInterval how often the server wants leases renewed; under the lease, so that a
 *     lost heartbeat or two does not lose the attempt
 */
public record LeaseTerms(Duration lease, Duration heartbeatInterval) {
  public LeaseTerms {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    if (heartbeatInterval.isNegative()
        || heartbeatInterval.isZero()
        || heartbeatInterval.compareTo(lease) >= 0) {
      throw new IllegalArgumentException(
          "the heartbeat interval must be positive and shorter than the lease: "
              + heartbeatInterval
              + " vs "
              + lease);
    }
  }
}
