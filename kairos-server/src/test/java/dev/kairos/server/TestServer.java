package dev.kairos.server;

import dev.kairos.prerequisites.Part;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import dev.kairos.store.testing.PostgresFixture;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real server replica with a local worker on a real store, on a random loopback port, with a
 * short lease so that failure tests are quick. The shared fixture of the server tests.
 */
public final class TestServer implements AutoCloseable {
  private final Store store;
  private final KairosServer server;
  private final Worker worker;
  private final String token;
  private final State owned;

  private TestServer(StoreConfig storeConfig, Path stateDir, State owned) throws IOException {
    this(storeConfig, stateDir, owned, ServerConfig.defaults(stateDir).fireAhead());
  }

  private TestServer(StoreConfig storeConfig, Path stateDir, State owned, Duration fireAhead)
      throws IOException {
    this.owned = owned;
    this.store = StoreFactory.open(storeConfig);
    ServerConfig config =
        ServerConfig.defaults(stateDir)
            .withPort(0)
            .withLease(Duration.ofSeconds(3), Duration.ofSeconds(1))
            .withFireAhead(fireAhead);
    this.server = new KairosServer(config, store, Clock.systemUTC());
    server.start();
    this.token = Files.readString(server.adminTokenFile()).trim();
    this.worker =
        new Worker(
            WorkerConfig.defaults()
                .withHeartbeatInterval(Duration.ofSeconds(1))
                .withWorkRoot(stateDir.resolve("work")),
            server.workerProtocol());
    worker.start();
  }

  /** A server on a fresh SQLite store in a temporary directory, removed on close. */
  public static TestServer sqlite() throws IOException {
    State state = sqliteState();
    return new TestServer(state.storeConfig, state.dir, state);
  }

  /**
   * A server on a fresh PostgreSQL schema (dropped on close). Skips the test when PostgreSQL is
   * unreachable, except under CI=true, where that fails it.
   */
  public static TestServer postgres() throws IOException {
    Part.POSTGRESQL.require(PostgresFixture.unavailableReason());
    PostgresFixture pg = PostgresFixture.create();
    Path dir = Files.createTempDirectory("kairos-test");
    State state = new State(dir, pg);
    return new TestServer(pg.config(), dir, state);
  }

  /** A state directory that outlives servers: start, stop, start again on the same store. */
  public static State sqliteState() throws IOException {
    return new State(Files.createTempDirectory("kairos-test"));
  }

  public ApiClient api() {
    return new ApiClient(url(), token);
  }

  /**
   * A client acting as worker {@code workerId} of {@code pool}: enrolled (with the admin token) and
   * calling with the credential it got, as a worker process does.
   */
  public ApiClient enrolled(String workerId, String pool) throws Exception {
    return new ApiClient(url(), credential(workerId, pool, "default"));
  }

  /** The credential of worker {@code workerId} of {@code pool} and {@code cluster}, enrolled. */
  public String credential(String workerId, String pool, String cluster) throws Exception {
    ApiClient.Response r =
        api()
            .call(
                "POST",
                "/api/v1/worker/enrol",
                "{\"workerId\": \"%s\", \"pool\": \"%s\", \"cluster\": \"%s\"}"
                    .formatted(workerId, pool, cluster));
    if (r.status() != 201) {
      throw new IllegalStateException("enrolment refused: " + r.status() + " " + r.body());
    }
    return r.body().get("token").asText();
  }

  /** The admin token. */
  public String token() {
    return token;
  }

  public String url() {
    return server.url();
  }

  public KairosServer server() {
    return server;
  }

  public Store store() {
    return store;
  }

  @Override
  public void close() {
    worker.stop(Duration.ofSeconds(2));
    server.close();
    store.close();
    if (owned != null) {
      owned.close();
    }
  }

  /** A temporary state directory with its SQLite store. */
  public static final class State implements AutoCloseable {
    private final Path dir;
    private final StoreConfig storeConfig;
    private final PostgresFixture pg;

    State(Path dir) {
      this.dir = dir;
      this.storeConfig = StoreConfig.sqlite(dir);
      this.pg = null;
    }

    State(Path dir, PostgresFixture pg) {
      this.dir = dir;
      this.storeConfig = pg.config();
      this.pg = pg;
    }

    /** Starts a server on this state; close it to stop it (the state stays). */
    public TestServer start() throws IOException {
      return new TestServer(storeConfig, dir, null);
    }

    /** As {@link #start()}, creating the runs of Allow jobs {@code fireAhead} early. */
    public TestServer start(Duration fireAhead) throws IOException {
      return new TestServer(storeConfig, dir, null, fireAhead);
    }

    @Override
    public void close() {
      if (pg != null) {
        pg.close();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
