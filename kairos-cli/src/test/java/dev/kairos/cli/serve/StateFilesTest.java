package dev.kairos.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19, case 7: the state directory and the SQLite files are the owner's alone. */
class StateFilesTest {
  @TempDir Path dir;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aStateDirectoryKairosCreatesIsTheOwnersAlone() throws Exception {
    Path state = dir.resolve("a/b/.kairos");

    assertThat(StateFiles.prepareDirectory(state)).isEmpty();

    assertThat(mode(state)).isEqualTo("rwx------");
  }

  @Test
  void anExistingDirectoryOthersMayEnterIsLeftAsItIsWithAWarning() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(StateFiles.prepareDirectory(shared))
        .singleElement()
        .asString()
        .contains("is mode rwxr-xr-x: other users may enter it")
        .contains("chmod 700 " + shared);
    assertThat(mode(shared)).isEqualTo("rwxr-xr-x");

    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
    assertThat(StateFiles.prepareDirectory(shared)).isEmpty();
  }

  @Test
  void theDatabaseAndItsWalAreTheOwnersAloneWhenSqliteHasWrittenThem() throws Exception {
    Path db = dir.resolve("kairos.db");

    StateFiles.createDatabase(db);
    try (var store = StoreFactory.open(StoreConfig.sqlite(dir))) {
      StateFiles.restrictDatabase(db);
      assertThat(Files.exists(dir.resolve("kairos.db-wal"))).isTrue();
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("kairos.db-wal"))).isEqualTo("rw-------");
    }
  }

  @Test
  void anExistingDatabaseIsMadeTheOwnersAlone() throws Exception {
    Path db = Files.createFile(dir.resolve("kairos.db"));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

    StateFiles.restrictDatabase(db);

    assertThat(mode(db)).isEqualTo("rw-------");
  }

  @Test
  void aHostOtherMachinesCanReachIsWarnedAboutWithoutTls() {
    assertThat(StateFiles.exposureWarning("127.0.0.1", false)).isNull();
    assertThat(StateFiles.exposureWarning("localhost", false)).isNull();
    assertThat(StateFiles.exposureWarning("::1", false)).isNull();
    assertThat(StateFiles.exposureWarning("0.0.0.0", false))
        .isEqualTo(
            "--host 0.0.0.0 serves the API to other machines over plain HTTP, without TLS: tokens"
                + " and inline secrets cross the network in clear. Give the server a certificate"
                + " with --tls-cert FILE --tls-key FILE, or serve it on 127.0.0.1 behind a"
                + " TLS-terminating proxy.");
    assertThat(StateFiles.exposureWarning("0.0.0.0", true)).isNull();
  }
}
