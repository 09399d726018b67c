package dev.kairos.server;

import org.junit.jupiter.api.BeforeAll;

/** The API fuzz with a real server and worker on PostgreSQL. */
class PostgresApiFuzzTest extends ApiFuzzTest {
  @BeforeAll
  static void start() throws Exception {
    server = TestServer.postgres();
    api = server.api();
    workerCredential = server.credential("w-fuzz", "fuzz-pool", "east");
    applyTheFuzzsJobs();
  }
}
