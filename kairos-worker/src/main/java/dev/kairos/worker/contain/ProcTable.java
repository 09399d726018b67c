package dev.kairos.worker.contain;

import java.io.IOException;
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
    List<Proc> all = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
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
