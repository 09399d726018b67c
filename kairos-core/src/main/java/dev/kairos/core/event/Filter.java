package dev.kairos.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, safe expression over an event that says whether a job starts for it: comparisons of the
 * event's fields with literals, joined by {@code &&}, {@code ||} and {@code !}. It cannot call
 * code, loop or allocate without bound: it is parsed into a tree once (at most {@value #MAX_LENGTH}
 * characters, nested at most {@value #MAX_DEPTH} deep) and evaluated by walking it.
 *
 * <pre>
 * expr    := or
 * or      := and ("||" and)*
 * and     := unary ("&amp;&amp;" unary)*
 * unary   := "!" unary | compare
 * compare := operand (("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "in" | "contains"
 *                       | "startsWith" | "endsWith") operand)?
 * operand := "(" expr ")" | literal | list | path
 * path    := ("data" | "source" | "type" | "id") ("." name | "[" integer "]")*
 * literal := 'text' | "text" | number | true | false | null
 * list    := "[" (literal ("," literal)*)? "]"
 * </pre>
 *
 * Examples: {@code data.table == "orders" && data.rows > 1000}, {@code source startsWith
 * "s3://lake/" && type in ["created", "updated"]}, {@code !(data.dryRun == true)}. A path that is
 * not there is null; comparing with null is false except {@code == null}; an operand alone is true
 * when it is true, a non-zero number, or a non-empty text.
 */
public final class Filter {
  static final int MAX_LENGTH = 1_000;
  static final int MAX_DEPTH = 32;

  private final String source;
  private final Node root;

  private Filter(String source, Node root) {
    this.source = source;
    this.root = root;
  }

  /** Parses an expression; throws {@link FilterException} saying what is wrong and where. */
  public static Filter parse(String expression) {
    if (expression.length() > MAX_LENGTH) {
      throw new FilterException("longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
    }
    Parser p = new Parser(Lexer.tokens(expression));
    Node root = p.expr(0);
    p.expectEnd();
    return new Filter(expression, root);
  }

  /** Whether the event matches. */
  public boolean matches(Event event) {
    return Values.truthy(root.eval(event));
  }

  /** The expression as written. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  /** What a filter sees of an event. */
  public record Event(String type, String source, String id, JsonNode data) {}

  // ---- the tree -------------------------------------------------------------------------------

  sealed interface Node permits Literal, Path, ListNode, Not, And, Or, Compare {
    Object eval(Event e);
  }

  record Literal(Object value) implements Node {
    public Object eval(Event e) {
      return value;
    }
  }

  /** A field of the event: {@code root} then names (String) and indexes (Integer). */
  record Path(String root, List<Object> steps) implements Node {
    public Object eval(Event e) {
      JsonNode node;
      switch (root) {
        case "type" -> {
          return steps.isEmpty() ? e.type() : null;
        }
        case "source" -> {
          return steps.isEmpty() ? e.source() : null;
        }
        case "id" -> {
          return steps.isEmpty() ? e.id() : null;
        }
        default -> node = e.data();
      }
      for (Object step : steps) {
        if (node == null) {
          return null;
        }
        node = step instanceof Integer i ? node.get(i) : node.get((String) step);
      }
      return Values.of(node);
    }
  }

  record ListNode(List<Object> values) implements Node {
    public Object eval(Event e) {
      return values;
    }
  }

  record Not(Node inner) implements Node {
    public Object eval(Event e) {
      return !Values.truthy(inner.eval(e));
    }
  }

  record And(Node left, Node right) implements Node {
    public Object eval(Event e) {
      return Values.truthy(left.eval(e)) && Values.truthy(right.eval(e));
    }
  }

  record Or(Node left, Node right) implements Node {
    public Object eval(Event e) {
      return Values.truthy(left.eval(e)) || Values.truthy(right.eval(e));
    }
  }

  record Compare(Node left, String op, Node right) implements Node {
    public Object eval(Event e) {
      return Values.compare(left.eval(e), op, right.eval(e));
    }
  }

  // ---- parsing --------------------------------------------------------------------------------

  private static final class Parser {
    private final List<Lexer.Token> tokens;
    private int at;

    Parser(List<Lexer.Token> tokens) {
      this.tokens = tokens;
    }

    Lexer.Token peek() {
      return tokens.get(at);
    }

    boolean accept(String text) {
      if (peek().is(text)) {
        at++;
        return true;
      }
      return false;
    }

    void expectEnd() {
      if (peek().kind() != Lexer.Kind.END) {
        throw new FilterException("unexpected " + peek().describe(), peek().position());
      }
    }

    Node expr(int depth) {
      if (depth > MAX_DEPTH) {
        throw new FilterException("nested deeper than " + MAX_DEPTH, peek().position());
      }
      Node left = and(depth);
      while (accept("||")) {
        left = new Or(left, and(depth));
      }
      return left;
    }

    Node and(int depth) {
      Node left = unary(depth);
      while (accept("&&")) {
        left = new And(left, unary(depth));
      }
      return left;
    }

    Node unary(int depth) {
      if (accept("!")) {
        if (depth > MAX_DEPTH) {
          throw new FilterException("nested deeper than " + MAX_DEPTH, peek().position());
        }
        return new Not(unary(depth + 1));
      }
      Node left = operand(depth);
      Lexer.Token t = peek();
      if (t.kind() == Lexer.Kind.OPERATOR || t.kind() == Lexer.Kind.WORD_OPERATOR) {
        at++;
        Node right = operand(depth);
        if (t.text().equals("in") && !(right instanceof ListNode)) {
          throw new FilterException("in needs a list such as [\"a\", \"b\"]", t.position());
        }
        return new Compare(left, t.text(), right);
      }
      return left;
    }

    Node operand(int depth) {
      Lexer.Token t = peek();
      switch (t.kind()) {
        case STRING, NUMBER -> {
          at++;
          return new Literal(t.value());
        }
        case NAME -> {
          at++;
          return switch (t.text()) {
            case "true" -> new Literal(true);
            case "false" -> new Literal(false);
            case "null" -> new Literal(null);
            case "data", "source", "type", "id" -> path(t.text());
            default ->
                throw new FilterException(
                    "unknown name " + t.text() + "; start a path with data, source, type or id",
                    t.position());
          };
        }
        case PUNCT -> {
          if (accept("(")) {
            Node inner = expr(depth + 1);
            if (!accept(")")) {
              throw new FilterException("missing )", peek().position());
            }
            return inner;
          }
          if (accept("[")) {
            return list();
          }
          throw new FilterException("unexpected " + t.describe(), t.position());
        }
        default -> throw new FilterException("unexpected " + t.describe(), t.position());
      }
    }

    Node path(String root) {
      List<Object> steps = new ArrayList<>();
      while (true) {
        if (accept(".")) {
          Lexer.Token name = peek();
          if (name.kind() != Lexer.Kind.NAME && name.kind() != Lexer.Kind.WORD_OPERATOR) {
            throw new FilterException("a field name must follow '.'", name.position());
          }
          at++;
          steps.add(name.text());
        } else if (peek().is("[")) {
          at++;
          Lexer.Token index = peek();
          if (index.kind() != Lexer.Kind.NUMBER
              || !(index.value() instanceof Double d)
              || d < 0
              || d != Math.floor(d)) {
            throw new FilterException("an index must be a whole number", index.position());
          }
          at++;
          if (!accept("]")) {
            throw new FilterException("missing ]", peek().position());
          }
          steps.add(((Double) index.value()).intValue());
        } else {
          return new Path(root, steps);
        }
      }
    }

    Node list() {
      List<Object> values = new ArrayList<>();
      if (accept("]")) {
        return new ListNode(values);
      }
      do {
        Lexer.Token t = peek();
        if (t.kind() == Lexer.Kind.STRING || t.kind() == Lexer.Kind.NUMBER) {
          values.add(t.value());
        } else if (t.is("true") || t.is("false")) {
          values.add(Boolean.parseBoolean(t.text()));
        } else {
          throw new FilterException("a list holds texts, numbers and booleans", t.position());
        }
        at++;
      } while (accept(","));
      if (!accept("]")) {
        throw new FilterException("missing ]", peek().position());
      }
      return new ListNode(values);
    }
  }
}
