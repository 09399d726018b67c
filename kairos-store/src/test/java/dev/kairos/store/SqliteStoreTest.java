package dev.kairos.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The store contract on SQLite, each test on a new database file. */
class SqliteStoreTest extends StoreContract {
  @Override
  protected StoreConfig newDatabase() throws IOException {
    Path dir = Files.createTempDirectory("kairos-store-test");
    cleanup(() -> deleteTree(dir));
    return StoreConfig.sqlite(dir);
  }

  @Override
  protected boolean sharedByProcesses() {
    return false;
  }
}
