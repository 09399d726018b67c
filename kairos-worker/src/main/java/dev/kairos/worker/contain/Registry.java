package dev.kairos.worker.contain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers that run on this host, one small file each in a directory they share, named by the
 * {@link Instance} and holding its process's pid namespace. A worker that starts looks for the
 * files of workers whose process is gone (killed with SIGKILL, the machine's OOM killer) and kills
 * what their attempts left running. Only workers of its own pid namespace are judged: a pid means
 * nothing in another one; and a live worker's processes are never touched.
 */
final class Registry {
  private final Path dir;
  private final String namespace;

  Registry(Path dir) {
    this.dir = dir;
    this.namespace = pidNamespace();
  }

  Path dir() {
    return dir;
  }

  /** Records that {@code self} runs. */
  void add(Instance self) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(self.id()), namespace + "\n");
  }

  /** Removes the record of an instance that has stopped, or that was cleaned up after. */
  void remove(Instance instance) {
    try {
      Files.deleteIfExists(dir.resolve(instance.id()));
    } catch (IOException e) {
      // a stale file is judged dead again by the next worker: harmless
    }
  }

  /** The recorded instances of this pid namespace whose process has gone. */
  List<Instance> dead() {
    List<Instance> dead = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return dead;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Instance instance = Instance.parse(file.getFileName().toString());
        if (instance != null && ofThisNamespace(file) && !instance.alive()) {
          dead.add(instance);
        }
      }
    } catch (IOException e) {
      // unreadable: nothing to judge
    }
    return dead;
  }

  private boolean ofThisNamespace(Path file) {
    try {
      return Files.readString(file).trim().equals(namespace);
    } catch (IOException e) {
      return false;
    }
  }

  /** This process's pid namespace ({@code pid:[4026531836]}), or "" where there is none. */
  private static String pidNamespace() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}
