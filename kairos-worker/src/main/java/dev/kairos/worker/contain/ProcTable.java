package dev.kairos.worker.contain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process table as Linux shows it in {@code /proc}: each process's parent, process group and
 * start time from {@code /proc/<pid>/stat}, and its environment from {@code /proc/<pid>/environ}
 * (readable for the processes of the same user). Where there is no {@code /proc} the table is
 * empty.
 */
final class ProcTable {
  private static final Path PROC = Path.of("/proc");

  private ProcTable() {}

  /**
   * One process.
   *
   * @param startTicks when it started, in clock ticks since boot: with the pid, it names one
   *     process for good (a pid is reused, the pair is not)
   * @param ended a zombie: it has exited and waits for its parent to collect it
   */
  record Proc(long pid, long ppid, long pgid, long startTicks, boolean ended) {}

  /** Every process it can see; one that ends while it reads is left out. */
  static List<Proc> snapshot() {
    return snapshot(0);
  }

  /**
   * Every process it can see that has a pid of at least {@code fromPid}, when all processes started
   * since the one with that pid have one (pids are handed out in increasing order until they wrap
   * around at {@code pid_max}); every process when the last pid handed out is below it (they have
   * wrapped). Reading only the newer processes' files keeps a search for an attempt's processes
   * from reading the whole table. Not proof against a whole wrap-around while the attempt ran: only
   * for a search that is not the last word.
   */
  static List<Proc> snapshot(long fromPid) {
    long floor = fromPid > 0 && lastPid() >= fromPid ? fromPid : 0;
    List<Proc> all = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        if (floor > 0 && pid(dir) < floor) {
          continue;
        }
        Proc p = read(dir);
        if (p != null) {
          all.add(p);
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to see
    }
    return all;
  }

  private static long pid(Path dir) {
    try {
      return Long.parseLong(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The last pid handed out in this pid namespace, or 0 when unknown. */
  private static long lastPid() {
    // in one read: a sysctl file answers a read from any offset but 0 with its end, so
    // Files.readString, which reads one byte first, sees the first digit alone
    byte[] buffer = new byte[32];
    try (InputStream in = Files.newInputStream(PROC.resolve("sys/kernel/ns_last_pid"))) {
      int n = in.read(buffer);
      return n <= 0
          ? 0
          : Long.parseLong(new String(buffer, 0, n, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** The process with this pid, or null when there is none. */
  static Proc read(long pid) {
    return read(PROC.resolve(Long.toString(pid)));
  }

  private static Proc read(Path dir) {
    String stat;
    try {
      stat = new String(Files.readAllBytes(dir.resolve("stat")), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return null;
    }
    // "pid (comm) state ppid pgrp session tty tpgid flags ... starttime ...": comm may hold
    // anything, parentheses and spaces included, so the fields are counted from its last ')'
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.length()) {
      return null;
    }
    String[] f = stat.substring(close + 2).split(" ");
    if (f.length < 20) {
      return null;
    }
    try {
      return new Proc(
          Long.parseLong(stat.substring(0, stat.indexOf(' '))),
          Long.parseLong(f[1]),
          Long.parseLong(f[2]),
          Long.parseLong(f[19]),
          f[0].equals("Z") || f[0].equals("X"));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The value of an environment variable of a process as it was started, or null when it has none,
   * is gone, or is not ours to read.
   */
  static String variable(long pid, String name) {
    byte[] env;
    try {
      env = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException e) {
      return null;
    }
    byte[] key = (name + "=").getBytes(StandardCharsets.ISO_8859_1);
    int start = 0;
    while (start < env.length) {
      int end = start;
      while (end < env.length && env[end] != 0) {
        end++;
      }
      if (startsWith(env, start, end, key)) {
        return new String(
            env, start + key.length, end - start - key.length, StandardCharsets.UTF_8);
      }
      start = end + 1;
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
