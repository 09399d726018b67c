package dev.kairos.server;

import org.junit.jupiter.api.BeforeAll;

/** Worker identity and fencing on PostgreSQL. */
class PostgresWorkerIdentityTest extends WorkerIdentityTest {
  @BeforeAll
  static void start() throws Exception {
    server = TestServer.postgres();
    admin = server.api();
  }
}
