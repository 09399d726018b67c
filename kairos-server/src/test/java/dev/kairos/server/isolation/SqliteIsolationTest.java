package dev.kairos.server.isolation;

import dev.kairos.store.StoreConfig;
import java.nio.file.Files;

/** The isolation contract on SQLite. */
class SqliteIsolationTest extends IsolationContract {
  @Override
  protected StoreConfig newDatabase() throws Exception {
    return StoreConfig.sqlite(Files.createTempDirectory(dir, "sqlite"));
  }
}
