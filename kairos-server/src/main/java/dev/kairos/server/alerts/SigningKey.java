package dev.kairos.server.alerts;

import dev.kairos.server.auth.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** The key that signs webhook requests: read from a file, made on first start if none is given. */
public final class SigningKey {
  private SigningKey() {}

  /**
   * The key in {@code file} (its text, trimmed); without a file, the one in {@code
   * alert-signing.key} in the state directory, made (256 random bits, mode 0600) if missing.
   */
  public static byte[] load(Path file, Path stateDir) throws IOException {
    Path path = file != null ? file : stateDir.resolve("alert-signing.key");
    if (file == null && !Files.exists(path)) {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Tokens.writeOwnerOnly(
          path, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n");
    }
    String key = Files.readString(path, StandardCharsets.UTF_8).trim();
    if (key.length() < 16) {
      throw new IllegalArgumentException(
          "the alert signing key in " + path + " is too short: use at least 16 characters");
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
