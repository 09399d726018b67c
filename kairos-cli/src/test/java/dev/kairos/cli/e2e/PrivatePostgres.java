package dev.kairos.cli.e2e;

import dev.kairos.prerequisites.Programs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server of the test's own, made with the system's binaries ({@code initdb},
 * {@code pg_ctl}) in a temporary directory on a free loopback port, so that a test may stop and
 * restart it without touching the shared database other tests and developers use. Closing it stops
 * the server and deletes its files.
 *
 * <p>The binaries are taken from {@code KAIROS_TEST_PG_BIN}, else the newest {@code
 * /usr/lib/postgresql/<version>/bin}, else {@code pg_config --bindir}. PostgreSQL refuses to run as
 * root: as root, its commands run as the {@code postgres} OS user (through {@code runuser} or
 * {@code su}) in a directory that user owns.
 */
final class PrivatePostgres implements AutoCloseable {
  private static final String OS_USER = "postgres";
  private static final long COMMAND_TIMEOUT_SECONDS = 90;

  private final Path bin;
  private final Path base;
  private final Path data;
  private final Path log;
  private final boolean asOsUser;
  private final int port;
  private boolean running;

  private PrivatePostgres(Path bin, Path base, boolean asOsUser, int port) {
    this.bin = bin;
    this.base = base;
    this.data = base.resolve("data");
    this.log = base.resolve("postgres.log");
    this.asOsUser = asOsUser;
    this.port = port;
  }

  /** Null when a private server can be made here, else why not. */
  static String unavailableReason() {
    if (binaries() == null) {
      String env = System.getenv("KAIROS_TEST_PG_BIN");
      return env != null && !env.isBlank()
          ? "KAIROS_TEST_PG_BIN=" + env + " has no initdb and pg_ctl"
          : "no PostgreSQL binaries (initdb, pg_ctl) found: set KAIROS_TEST_PG_BIN, or install"
              + " them under /usr/lib/postgresql/<version>/bin or where pg_config --bindir says";
    }
    try {
      if (isRoot() && osUser() == null) {
        return "running as root and there is no '" + OS_USER + "' OS user to run PostgreSQL as";
      }
    } catch (IOException e) {
      return "cannot tell the current OS user: " + e.getMessage();
    }
    return null;
  }

  /** Makes a new cluster (initdb), starts it and creates the database {@code kairos}. */
  static PrivatePostgres start() throws Exception {
    Path bin = binaries();
    if (bin == null) {
      throw new IllegalStateException(unavailableReason());
    }
    Path base = Files.createTempDirectory("kairos-pg");
    boolean root = isRoot();
    if (root) {
      UserPrincipal user = osUser();
      PosixFileAttributeView view = Files.getFileAttributeView(base, PosixFileAttributeView.class);
      view.setOwner(user);
      view.setGroup(osGroup());
    }
    PrivatePostgres pg = new PrivatePostgres(bin, base, root, freePort());
    try {
      pg.run(
          "initdb",
          "-A",
          "trust",
          "-U",
          "postgres",
          "--no-sync",
          "--encoding=UTF8",
          "--locale=C",
          "-D",
          pg.data.toString());
      pg.startServer();
      try (Connection c = DriverManager.getConnection(pg.url("postgres"));
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE kairos");
      }
      return pg;
    } catch (Exception | Error e) {
      pg.close();
      throw e;
    }
  }

  /** The JDBC URL of the database {@code kairos}. */
  String jdbcUrl() {
    return url("kairos");
  }

  /**
   * Stops the server the way a crash would ({@code pg_ctl -m immediate}: no checkpoint, so the next
   * start replays the WAL), waits {@code down}, and starts it again on the same port.
   */
  void restart(Duration down) throws Exception {
    stopImmediately();
    Thread.sleep(down.toMillis());
    startServer();
  }

  /** The server's own log, for failure messages. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  private void startServer() throws Exception {
    String options = "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=on";
    run("pg_ctl", "-D", data.toString(), "-o", options, "-l", log.toString(), "-w", "start");
    running = true;
  }

  private void stopImmediately() throws Exception {
    run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    running = false;
  }

  /** Runs a PostgreSQL command to its end, as the {@code postgres} OS user when we are root. */
  private void run(String program, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    if (asOsUser) {
      command = asOsUser(command);
    }
    Path out = Files.createTempFile("kairos-pg-cmd", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(base.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(program + " did not finish: " + Files.readString(out));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ": "
                + Files.readString(out)
                + "\nserver log:\n"
                + log());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** {@code runuser -u postgres -- cmd...} where runuser exists, else {@code su postgres -c}. */
  private static List<String> asOsUser(List<String> command) {
    Path runuser = Programs.onPath("runuser");
    if (runuser != null) {
      List<String> wrapped = new ArrayList<>(List.of(runuser.toString(), "-u", OS_USER, "--"));
      wrapped.addAll(command);
      return wrapped;
    }
    StringBuilder line = new StringBuilder();
    for (String arg : command) {
      line.append(line.isEmpty() ? "" : " ").append("'").append(arg.replace("'", "'\\''"));
      line.append("'");
    }
    return List.of("su", OS_USER, "-s", "/bin/sh", "-c", line.toString());
  }

  /** The directory with initdb and pg_ctl, or null if there is none. */
  static Path binaries() {
    String env = System.getenv("KAIROS_TEST_PG_BIN");
    if (env != null && !env.isBlank()) {
      return hasTools(Path.of(env)) ? Path.of(env) : null;
    }
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> dirs = Files.list(versions)) {
        Path newest =
            dirs.map(d -> d.resolve("bin"))
                .filter(PrivatePostgres::hasTools)
                .max(Comparator.comparing(PrivatePostgres::majorVersion))
                .orElse(null);
        if (newest != null) {
          return newest;
        }
      } catch (IOException e) {
        // fall through to pg_config
      }
    }
    return pgConfigBindir();
  }

  private static boolean hasTools(Path dir) {
    return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
  }

  /** {@code /usr/lib/postgresql/17/bin} → 17; a name that is not a number sorts first. */
  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Path pgConfigBindir() {
    Path pgConfig = Programs.onPath("pg_config");
    if (pgConfig == null) {
      return null;
    }
    try {
      Process p = new ProcessBuilder(pgConfig.toString(), "--bindir").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return null;
      }
      Path dir = Path.of(out);
      return hasTools(dir) ? dir : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Whether this JVM runs as root: the owner of a file it makes has uid 0. */
  private static boolean isRoot() throws IOException {
    Path probe = Files.createTempFile("kairos-uid", ".probe");
    try {
      return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
    } finally {
      Files.delete(probe);
    }
  }

  private static UserPrincipal osUser() throws IOException {
    try {
      return lookup().lookupPrincipalByName(OS_USER);
    } catch (UserPrincipalNotFoundException e) {
      return null;
    }
  }

  private static GroupPrincipal osGroup() throws IOException {
    try {
      return lookup().lookupPrincipalByGroupName(OS_USER);
    } catch (UserPrincipalNotFoundException e) {
      // no group of that name: root's group is fine, the directory is the user's
      return lookup().lookupPrincipalByGroupName("root");
    }
  }

  private static UserPrincipalLookupService lookup() {
    return FileSystems.getDefault().getUserPrincipalLookupService();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the server at once (no clean shutdown is needed: it is thrown away) and deletes it. */
  @Override
  public void close() throws Exception {
    try {
      if (running) {
        stopImmediately();
      }
    } finally {
      try (Stream<Path> files = Files.walk(base)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
