package dev.kairos.core.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough DER to read and write the key structures PEM files hold (PKCS#1, SEC 1, PKCS#8):
 * elements of definite length, object identifiers. The JDK reads PKCS#8 keys; these are the
 * envelopes that turn the other two into PKCS#8.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OBJECT_IDENTIFIER = 0x06;
  static final int SEQUENCE = 0x30;

  /** The tag of the first explicitly tagged, constructed element: {@code [0]}. */
  static final int CONTEXT_0 = 0xA0;

  private Der() {}

  /** One element: its tag (the first byte: no multi-byte tags in these structures). */
  record Element(int tag, byte[] content) {}

  /** The one element {@code der} holds, with nothing after it. */
  static Element element(byte[] der) {
    List<Element> all = elements(der);
    if (all.size() != 1) {
      throw new IllegalArgumentException("expected one DER element, found " + all.size());
    }
    return all.get(0);
  }

  /** The elements one after another in {@code der}: the content of a SEQUENCE, say. */
  static List<Element> elements(byte[] der) {
    List<Element> out = new ArrayList<>();
    int i = 0;
    while (i < der.length) {
      int tag = der[i++] & 0xFF;
      if ((tag & 0x1F) == 0x1F) {
        throw new IllegalArgumentException("multi-byte DER tags are not expected here");
      }
      if (i >= der.length) {
        throw new IllegalArgumentException("DER ends inside an element");
      }
      int first = der[i++] & 0xFF;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int bytes = first & 0x7F;
        if (bytes == 0 || bytes > 4 || i + bytes > der.length) {
          throw new IllegalArgumentException("a DER length is malformed");
        }
        length = 0;
        for (int b = 0; b < bytes; b++) {
          length = (length << 8) | (der[i++] & 0xFF);
        }
      }
      if (length > der.length - i) {
        throw new IllegalArgumentException("a DER element is longer than the data");
      }
      byte[] content = new byte[(int) length];
      System.arraycopy(der, i, content, 0, content.length);
      i += content.length;
      out.add(new Element(tag, content));
    }
    return out;
  }

  /** {@code tag}, length, then the parts one after another. */
  static byte[] encode(int tag, byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = body.size();
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] bytes = BigInteger.valueOf(length).toByteArray();
      int skip = bytes[0] == 0 ? 1 : 0;
      out.write(0x80 | (bytes.length - skip));
      out.write(bytes, skip, bytes.length - skip);
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** An object identifier's content as {@code 1.2.840.10045.2.1}. */
  static String oid(byte[] content) {
    if (content.length == 0) {
      throw new IllegalArgumentException("an empty object identifier");
    }
    StringBuilder s = new StringBuilder();
    long value = 0;
    boolean first = true;
    for (byte b : content) {
      value = (value << 7) | (b & 0x7F);
      if ((b & 0x80) == 0) {
        if (first) {
          int top = (int) Math.min(2, value / 40);
          s.append(top).append('.').append(value - 40L * top);
          first = false;
        } else {
          s.append('.').append(value);
        }
        value = 0;
      }
    }
    return s.toString();
  }

  /** An encoded object identifier element (tag and all) for {@code dotted}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return encode(OBJECT_IDENTIFIER, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int g = groups - 1; g >= 0; g--) {
      int bits = (int) ((value >>> (7 * g)) & 0x7F);
      out.write(g == 0 ? bits : bits | 0x80);
    }
  }
}
