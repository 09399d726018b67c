package dev.kairos.cli.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The state directory and the SQLite files hold the tokens and the jobs' inline secrets, so only
 * their owner may read them: a directory Kairos creates is mode 0700, the database and its WAL and
 * shared-memory files 0600. A directory that existed before is left as it is (it may be one the
 * user shares on purpose), with a warning when others may enter it.
 */
final class StateFiles {
  static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private StateFiles() {}

  /**
   * Creates {@code dir} with mode 0700 if it is missing.
   *
   * @return warnings for the operator (none when all is well)
   */
  static List<String> prepareDirectory(Path dir) throws IOException {
    List<String> warnings = new ArrayList<>();
    if (!Files.exists(dir)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        // the umask may have taken bits away, never added any: set it exactly
        Files.setPosixFilePermissions(dir, OWNER_DIR);
      } catch (FileAlreadyExistsException e) {
        // another process made it meanwhile: treat it as one that existed
      } catch (UnsupportedOperationException e) {
        return warnings; // not a POSIX file system
      }
      return warnings;
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
      if (p.contains(PosixFilePermission.GROUP_EXECUTE)
          || p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        warnings.add(
            "the state directory "
                + dir
                + " is mode "
                + PosixFilePermissions.toString(p)
                + ": other users may enter it (its token files are 0600 still); chmod 700 "
                + dir
                + " to keep them out");
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    return warnings;
  }

  /**
   * Before SQLite opens {@code db}: creates it empty with mode 0600 if missing, so that the WAL and
   * shared-memory files SQLite makes beside it get its mode.
   */
  static void createDatabase(Path db) throws IOException {
    try {
      Files.createFile(db, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    } catch (FileAlreadyExistsException e) {
      // an existing store
    } catch (UnsupportedOperationException e) {
      Files.createFile(db);
    }
  }

  /** After SQLite opened {@code db}: the database, WAL and shared-memory files, mode 0600. */
  static void restrictDatabase(Path db) throws IOException {
    for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
      Path f = db.resolveSibling(db.getFileName() + suffix);
      try {
        Files.setPosixFilePermissions(f, OWNER_FILE);
      } catch (java.nio.file.NoSuchFileException | UnsupportedOperationException e) {
        // not there (or not POSIX)
      }
    }
  }

  /**
   * A warning for a {@code --host} that other machines can reach when the API is plain HTTP: tokens
   * and inline secrets would cross the network in clear. None with TLS, or on a loopback address.
   */
  static String exposureWarning(String host, boolean tls) {
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (loopback || tls) {
      return null;
    }
    return "--host "
        + host
        + " serves the API to other machines over plain HTTP, without TLS: tokens and inline"
        + " secrets cross the network in clear. Give the server a certificate with --tls-cert FILE"
        + " --tls-key FILE, or serve it on 127.0.0.1 behind a TLS-terminating proxy.";
  }
}
