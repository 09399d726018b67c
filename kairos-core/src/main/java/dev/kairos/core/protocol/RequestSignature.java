package dev.kairos.core.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature Kairos puts on the HTTP requests it sends (alert webhooks, {@code http} tasks):
 * {@code X-Kairos-Signature: sha256=HEX(HMAC-SHA256(key, timestamp + "." + body))} with {@code
 * X-Kairos-Timestamp: timestamp} (epoch seconds), so that a receiver can check who sent it and
 * refuse an old one replayed.
 */
public final class RequestSignature {
  private RequestSignature() {}

  /** The {@code X-Kairos-Signature} value of {@code body} sent at {@code timestamp}. */
  public static String header(byte[] key, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is always available", e);
    }
  }
}
