package dev.kairos.server;

import org.junit.jupiter.api.BeforeEach;

/** The concurrency policies with a real server and worker on PostgreSQL. */
class PostgresConcurrencyPolicyTest extends ConcurrencyPolicyTest {
  @Override
  @BeforeEach
  void start() throws Exception {
    server = TestServer.postgres();
    api = server.api();
  }
}
