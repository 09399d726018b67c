package dev.kairos.server;

import org.junit.jupiter.api.BeforeAll;

/** The API scenarios with a real server and worker on PostgreSQL. */
class PostgresApiTest extends ApiTest {
  @BeforeAll
  static void start() throws Exception {
    server = TestServer.postgres();
    api = server.api();
  }
}
