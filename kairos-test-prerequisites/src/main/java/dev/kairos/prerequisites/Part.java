package dev.kairos.prerequisites;

import java.util.Map;
import org.opentest4j.TestAbortedException;

/**
 * A part of the machine that some tests need and that a build alone cannot provide. {@code ./test}
 * sets up every part (installing or starting what it may) and then runs the suite strictly, so that
 * a missing part fails the run; a plain {@code ./mvnw verify} skips the tests that need it, and
 * {@link SkipReport} lists each such skip, with this text, at the end of the module's tests.
 *
 * <p>Each constant says what the part is and how to get it, in the words {@code ./test} uses.
 */
public enum Part {
  POSTGRESQL(
      "PostgreSQL",
      "./test starts a throwaway one; or set KAIROS_TEST_PG_URL to the JDBC URL of a database"
          + " the tests may create schemas in"),
  POSTGRESQL_BINARIES(
      "PostgreSQL's initdb and pg_ctl",
      "apt-get install postgresql (./test does it as root); or set KAIROS_TEST_PG_BIN to their"
          + " directory"),
  CHROMIUM(
      "Chromium and ChromeDriver",
      "apt-get install chromium chromium-driver (./test does it as root); or set"
          + " KAIROS_TEST_CHROMIUM and KAIROS_TEST_CHROMEDRIVER to the two programs"),
  RABBITMQ(
      "RabbitMQ on 127.0.0.1:5672",
      "apt-get install rabbitmq-server, then rabbitmq-server -detached (./test does both as root)"),
  NATS(
      "NATS with JetStream on 127.0.0.1:4222",
      "apt-get install nats-server (./test does it as root, and starts a throwaway server)");

  /**
   * The switch that makes every part mandatory: {@code KAIROS_TEST_STRICT=true}, which {@code
   * ./test} sets, or {@code CI=true}.
   */
  static final String STRICT_VARIABLE = "KAIROS_TEST_STRICT";

  private final String title;
  private final String howToGet;

  Part(String title, String howToGet) {
    this.title = title;
    this.howToGet = howToGet;
  }

  /** Whether every test must run: a missing part then fails its tests instead of skipping them. */
  public static boolean strict() {
    return strict(System.getenv());
  }

  static boolean strict(Map<String, String> env) {
    return "true".equalsIgnoreCase(env.get(STRICT_VARIABLE))
        || "true".equalsIgnoreCase(env.get("CI"));
  }

  /**
   * Goes on when the part is there ({@code whyMissing} is null). Otherwise stops the calling test
   * (or class, from a {@code @BeforeAll}) with one line that says what is missing, why, and how to
   * get it: as a failure when {@link #strict()}, else as a skip that {@link SkipReport} announces.
   */
  public void require(String whyMissing) {
    require(whyMissing, strict());
  }

  void require(String whyMissing, boolean strict) {
    if (whyMissing == null) {
      return;
    }
    String line = missingLine(whyMissing);
    if (strict) {
      throw new MissingPartError(line);
    }
    throw new TestAbortedException(line);
  }

  /** The one line that says what is missing, why, and how to get it. */
  String missingLine(String whyMissing) {
    return title + " missing (" + whyMissing + "): " + howToGet;
  }

  /** A part that a strict run needed and did not find: fails the test with its one line. */
  public static final class MissingPartError extends AssertionError {
    MissingPartError(String line) {
      super(line);
    }
  }
}
