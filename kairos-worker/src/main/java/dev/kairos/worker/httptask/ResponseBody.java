package dev.kairos.worker.httptask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What was read of an answer: at most {@code cap} bytes plus one (to know there was more), of which
 * only the first {@code keep} are held in memory; the rest is counted and dropped.
 *
 * @param kept the first bytes of the answer
 * @param length the bytes read, at most {@code cap + 1}
 * @param overCap whether the answer is longer than the cap (it was not read to its end)
 */
record ResponseBody(byte[] kept, long length, boolean overCap) {
  /** Reads {@code in} up to one byte past {@code cap}, holding the first {@code keep} bytes. */
  static ResponseBody read(InputStream in, long cap, int keep) throws IOException {
    ByteArrayOutputStream held = new ByteArrayOutputStream(Math.min(keep, 8192));
    byte[] buf = new byte[8192];
    long total = 0;
    while (total <= cap) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, cap + 1 - total));
      if (n < 0) {
        break;
      }
      held.write(buf, 0, (int) Math.min(n, Math.max(0, keep - held.size())));
      total += n;
    }
    return new ResponseBody(held.toByteArray(), total, total > cap);
  }
}
