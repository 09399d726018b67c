package dev.kairos.server.auth;

import dev.kairos.store.Store;
import dev.kairos.store.TokenRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Creating and storing tokens. Tokens are 256 random bits; only their SHA-256 is stored, so a
 * database dump does not reveal them. There are no default credentials: the first start creates an
 * admin token and writes it to a file only its owner can read.
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A new random token, e.g. {@code kairos_3q2...}. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "kairos_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String sha256Hex(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /**
   * Makes sure the admin token file ({@code admin.token}) and a worker token file ({@code
   * worker.token}) exist in the state directory (mode 0600) and that the store knows their tokens.
   *
   * @return the admin token file
   */
  public static Path ensureLocalTokens(Path stateDir, Store store, Instant now) throws IOException {
    Files.createDirectories(stateDir);
    ensureToken(
        stateDir.resolve("worker.token"),
        new TokenRecord("local-worker", TokenRecord.Role.WORKER),
        store,
        now);
    return ensureToken(
        stateDir.resolve("admin.token"),
        new TokenRecord("admin", TokenRecord.Role.ADMIN),
        store,
        now);
  }

  private static Path ensureToken(Path file, TokenRecord record, Store store, Instant now)
      throws IOException {
    String token;
    if (Files.exists(file)) {
      token = Files.readString(file, StandardCharsets.UTF_8).trim();
    } else {
      token = generate();
      writeOwnerOnly(file, token + "\n");
    }
    store.saveToken(sha256Hex(token), record, now);
    return file;
  }

  /** Writes a file readable only by its owner (0600), created with those permissions. */
  public static void writeOwnerOnly(Path file, String content) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system (Windows): fall back to the default ACLs
      Files.deleteIfExists(file);
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
