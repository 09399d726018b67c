package dev.kairos.core.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Fuzzing input for jqwik properties: valid examples edited the ways that break parsers (a
 * character flipped, inserted or deleted, tokens swapped, a token replaced by an extreme number, a
 * slice repeated, the text cut short), values of the wrong type or size put into a JSON tree, and
 * texts chosen to hurt (999999999999d, -0, 1e400, NaN, deep nesting, unicode, control characters).
 * Every edit is a value jqwik generates, so a failure shrinks to few, small edits.
 */
public final class Mutations {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Texts that break number, duration, quantity, name and expression parsers. */
  public static final List<String> NASTY =
      List.of(
          "",
          " ",
          "0",
          "-0",
          "-1",
          "00",
          "0.0",
          "-0.0",
          ".5",
          "5.",
          "1e400",
          "-1e400",
          "1e-400",
          "NaN",
          "Infinity",
          "-Infinity",
          "999999999999d",
          "999999999999h",
          "99999999999999999999m",
          "999999999999999999999",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "2147483647",
          "2147483648",
          "4294967296",
          "0x1F",
          "1_000",
          "1,000",
          "\uff11\uff12",
          "\u0663",
          "PT-5M",
          "PT0.0015S",
          "P999999999999D",
          "-PT1S",
          "0.0001",
          "0.5m",
          "1Ei",
          "9Ei",
          "1e3",
          "null",
          "~",
          "true",
          "[]",
          "{}",
          "\u0000",
          "\u202e",
          "\u00e9",
          "\ud83d\ude00",
          "\ud800",
          "'",
          "\"",
          "\\",
          "\n",
          "\t",
          "${x}",
          "%s",
          "*/0",
          "59/2147483647",
          "?",
          "@",
          "#",
          ":",
          "- ",
          "&a",
          "*a",
          "!!binary",
          ".inf",
          ".nan",
          "<<",
          "KAIROS_X",
          "a".repeat(300));

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.+@*/-]+");

  private Mutations() {}

  /** One edit of a text; positions are taken modulo the text's length, so any int will do. */
  public sealed interface Edit {
    String apply(String s);
  }

  /** Replaces the character at {@code at} with {@code text}. */
  public record Flip(int at, String text) implements Edit {
    public String apply(String s) {
      if (s.isEmpty()) {
        return text;
      }
      int i = at % s.length();
      return s.substring(0, i) + text + s.substring(i + 1);
    }
  }

  /** Inserts {@code text} before the character at {@code at}. */
  public record Insert(int at, String text) implements Edit {
    public String apply(String s) {
      int i = at % (s.length() + 1);
      return s.substring(0, i) + text + s.substring(i);
    }
  }

  /** Deletes {@code length} characters from {@code at}. */
  public record Delete(int at, int length) implements Edit {
    public String apply(String s) {
      if (s.isEmpty()) {
        return s;
      }
      int i = at % s.length();
      return s.substring(0, i) + s.substring(Math.min(s.length(), i + length));
    }
  }

  /** Repeats {@code length} characters from {@code at} {@code times} times. */
  public record Repeat(int at, int length, int times) implements Edit {
    public String apply(String s) {
      if (s.isEmpty()) {
        return s;
      }
      int i = at % s.length();
      int end = Math.min(s.length(), i + length);
      return s.substring(0, end) + s.substring(i, end).repeat(times) + s.substring(end);
    }
  }

  /** Swaps the {@code a}-th and {@code b}-th tokens (words, numbers, durations). */
  public record SwapTokens(int a, int b) implements Edit {
    public String apply(String s) {
      List<int[]> tokens = tokens(s);
      if (tokens.size() < 2) {
        return s;
      }
      int[] x = tokens.get(a % tokens.size());
      int[] y = tokens.get(b % tokens.size());
      if (x[0] > y[0]) {
        int[] t = x;
        x = y;
        y = t;
      }
      if (x == y) {
        return s;
      }
      return s.substring(0, x[0])
          + s.substring(y[0], y[1])
          + s.substring(x[1], y[0])
          + s.substring(x[0], x[1])
          + s.substring(y[1]);
    }
  }

  /** Replaces the {@code at}-th token with {@code text}. */
  public record ReplaceToken(int at, String text) implements Edit {
    public String apply(String s) {
      List<int[]> tokens = tokens(s);
      if (tokens.isEmpty()) {
        return s + text;
      }
      int[] t = tokens.get(at % tokens.size());
      return s.substring(0, t[0]) + text + s.substring(t[1]);
    }
  }

  /** Cuts the text after {@code at} characters. */
  public record Truncate(int at) implements Edit {
    public String apply(String s) {
      return s.substring(0, at % (s.length() + 1));
    }
  }

  private static List<int[]> tokens(String s) {
    List<int[]> list = new ArrayList<>();
    Matcher m = TOKEN.matcher(s);
    while (m.find()) {
      list.add(new int[] {m.start(), m.end()});
    }
    return list;
  }

  /** A nasty text: one of {@link #NASTY}, deep nesting, any unicode, or a long run. */
  public static Arbitrary<String> nastyText() {
    Arbitrary<Integer> depth = Arbitraries.integers().between(1, 1_200);
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(NASTY)),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(8)),
        Tuple.of(
            1,
            Combinators.combine(Arbitraries.of("[", "{a: ", "(", "!", "- "), depth)
                .as(String::repeat)),
        Tuple.of(1, depth.map(n -> "[".repeat(n) + "]".repeat(n))),
        Tuple.of(
            1,
            Arbitraries.integers()
                .between(1, 20)
                .map(n -> "9".repeat(n * 10) + (n % 2 == 0 ? "d" : "m"))));
  }

  /** A small text to put into another: a character, a nasty text, or punctuation. */
  static Arbitrary<String> insertion() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.chars().all().map(String::valueOf)),
        Tuple.of(3, Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "'", "-", " ", "\n", "  ")),
        Tuple.of(4, nastyText()));
  }

  /** Any one edit; most often a token replaced by a nasty text, which reaches the validators. */
  public static Arbitrary<Edit> edits() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 100_000);
    Arbitrary<Integer> length = Arbitraries.integers().between(1, 40);
    return Arbitraries.frequencyOf(
        Tuple.of(1, Combinators.combine(at, insertion()).as(Flip::new)),
        Tuple.of(1, Combinators.combine(at, insertion()).as(Insert::new)),
        Tuple.of(1, Combinators.combine(at, length).as(Delete::new)),
        Tuple.of(
            1,
            Combinators.combine(at, length, Arbitraries.integers().between(1, 50)).as(Repeat::new)),
        Tuple.of(1, Combinators.combine(at, at).as(SwapTokens::new)),
        Tuple.of(4, Combinators.combine(at, nastyText()).as(ReplaceToken::new)),
        Tuple.of(1, at.map(Truncate::new)));
  }

  /** Each of {@code valid}, edited one to four times (once, half of the time). */
  public static Arbitrary<String> edited(Arbitrary<String> valid) {
    Arbitrary<List<Edit>> list =
        Arbitraries.frequencyOf(
            Tuple.of(1, edits().list().ofSize(1)),
            Tuple.of(1, edits().list().ofMinSize(1).ofMaxSize(4)));
    return Combinators.combine(valid, list)
        .as((s, edits) -> {
          String out = s;
          for (Edit e : edits) {
            out = e.apply(out);
          }
          return out;
        });
  }

  // ---- JSON trees -----------------------------------------------------------------------------

  /** A JSON value of the wrong type, size or sign for almost any field. */
  public static Arbitrary<JsonNode> nastyJson() {
    // deeper trees cannot be written as JSON text; nastyText() nests deeper
    Arbitrary<Integer> depth = Arbitraries.integers().between(1, 900);
    return Arbitraries.frequencyOf(
        Tuple.of(
            6,
            Arbitraries.of(
                F.nullNode(),
                F.booleanNode(true),
                F.booleanNode(false),
                F.numberNode(0),
                F.numberNode(-1),
                F.numberNode(-0.0),
                F.numberNode(0.5),
                F.numberNode(999_999_999_999L),
                F.numberNode(Long.MAX_VALUE),
                F.numberNode(Long.MIN_VALUE),
                F.numberNode(new BigInteger("99999999999999999999999")),
                F.numberNode(new BigDecimal("1e400")),
                F.numberNode(new BigDecimal("-1e400")),
                F.numberNode(Double.MAX_VALUE),
                F.numberNode(Double.NaN),
                F.numberNode(Double.POSITIVE_INFINITY),
                F.objectNode(),
                F.arrayNode(),
                F.arrayNode().addNull(),
                F.objectNode().putNull("x"))),
        Tuple.of(6, nastyText().map(F::textNode)),
        Tuple.of(1, depth.map(Mutations::nested)));
  }

  /**
   * Writes {@code tree} as JSON text, however deep: edits can stack nested payloads past the 1,000
   * levels Jackson writes by default (a fuzz run failed before sending its request), and a body
   * nested that deep is a case worth sending, which the reader must refuse cleanly.
   */
  public static String text(JsonNode tree) {
    try {
      return DEEP_WRITER.writeValueAsString(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written: " + e.getMessage(), e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper DEEP_WRITER =
      new com.fasterxml.jackson.databind.ObjectMapper(
          com.fasterxml.jackson.core.JsonFactory.builder()
              .streamWriteConstraints(
                  com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                      .maxNestingDepth(Integer.MAX_VALUE)
                      .build())
              .build());

  /** Arrays nested {@code depth} deep. */
  public static JsonNode nested(int depth) {
    ArrayNode root = F.arrayNode();
    ArrayNode at = root;
    for (int i = 1; i < depth; i++) {
      at = at.addArray();
    }
    return root;
  }

  /** What a {@link TreeEdit} does at its node. */
  public enum TreeAction {
    /** The node becomes the payload. */
    REPLACE,
    /** The node is removed from its object or array. */
    REMOVE,
    /** An object gains a field (an unknown name, or one of its own renamed), an array an item. */
    ADD,
    /** The node becomes a list of itself. */
    WRAP,
    /** The node becomes a copy of another node of the tree. */
    COPY_OTHER,
    /** A value's text is edited (a character flipped or inserted, a token replaced). */
    EDIT_TEXT
  }

  /** One edit of a JSON tree: {@code action} at the {@code target}-th node (pre-order, modulo). */
  public record TreeEdit(
      TreeAction action, int target, int other, String name, JsonNode payload, Edit edit) {
    /** Applies the edit to {@code root} in place; the root itself is never removed. */
    public void apply(JsonNode root) {
      List<Slot> slots = new ArrayList<>();
      slots(root, slots);
      if (slots.isEmpty()) {
        return;
      }
      Slot s = slots.get(target % slots.size());
      JsonNode node = s.node();
      switch (action) {
        case REPLACE -> s.set(payload.deepCopy());
        case REMOVE -> s.remove();
        case ADD -> {
          if (node instanceof ObjectNode o) {
            o.set(name, payload.deepCopy());
          } else if (node instanceof ArrayNode a) {
            a.add(payload.deepCopy());
          } else {
            s.set(payload.deepCopy());
          }
        }
        case WRAP -> s.set(F.arrayNode().add(node));
        case COPY_OTHER -> s.set(slots.get(other % slots.size()).node().deepCopy());
        case EDIT_TEXT -> {
          if (node.isValueNode()) {
            s.set(F.textNode(edit.apply(node.asText())));
          }
        }
      }
    }
  }

  /** A node and where it sits in its parent. */
  private record Slot(JsonNode parent, String field, int index, JsonNode node) {
    void set(JsonNode value) {
      if (parent instanceof ObjectNode o) {
        o.set(field, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }

    void remove() {
      if (parent instanceof ObjectNode o) {
        o.remove(field);
      } else {
        ((ArrayNode) parent).remove(index);
      }
    }
  }

  private static void slots(JsonNode parent, List<Slot> out) {
    if (parent instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        out.add(new Slot(o, name, -1, o.get(name)));
        slots(o.get(name), out);
      }
    } else if (parent instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new Slot(a, null, i, a.get(i)));
        slots(a.get(i), out);
      }
    }
  }

  /** A field name: a known one of a manifest or event, or a nasty one. */
  static Arbitrary<String> fieldNames() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "name",
            "spec",
            "task",
            "tasks",
            "shell",
            "command",
            "env",
            "retryPolicy",
            "resources",
            "requests",
            "limits",
            "cpu",
            "memory",
            "timeout",
            "priority",
            "schedule",
            "triggers",
            "filter",
            "dependsOn",
            "data",
            "type",
            "id",
            "source",
            "secret",
            "value",
            "KAIROS_RUN_ID"),
        nastyText());
  }

  /** Any one tree edit. */
  public static Arbitrary<TreeEdit> treeEdits() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 10_000);
    return Combinators.combine(
            Arbitraries.of(TreeAction.class), at, at, fieldNames(), nastyJson(), edits())
        .as(TreeEdit::new);
  }

  /** Each of {@code valid}, edited one to four times as a tree. */
  public static Arbitrary<JsonNode> editedTrees(Arbitrary<JsonNode> valid) {
    return Combinators.combine(valid, treeEdits().list().ofMinSize(1).ofMaxSize(4))
        .as((tree, list) -> {
          JsonNode out = tree.deepCopy();
          for (TreeEdit e : list) {
            e.apply(out);
          }
          return out;
        });
  }
}
