package dev.kairos.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.core.fuzz.Mutations;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fault isolation of the filter language: any text parses into a {@link Filter} or is refused with
 * a {@link FilterException} that says what and where; a filter evaluates against any event (any
 * JSON in its data, values of any type where the filter expects another) without an exception.
 */
class FilterProperties {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Property
  void anyTextParsesOrIsRefusedSayingWhereAndAnyEventEvaluates(
      @ForAll("expressions") String expression, @ForAll("events") Filter.Event event) {
    Filter filter;
    try {
      filter = Filter.parse(expression);
    } catch (FilterException e) {
      assertThat(e.getMessage()).matches("(?s).+ at character \\d+");
      assertThat(e.position()).isBetween(0, Math.max(expression.length(), Filter.MAX_LENGTH));
      return;
    }
    assertThat(filter.source()).isEqualTo(expression);
    filter.matches(event);
    new EventTrigger(event.type() == null ? "t" : event.type(), filter).matches(event);
  }

  // ---- generators -----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> valid = Arbitraries.lazy(() -> expr(4));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, valid),
        net.jqwik.api.Tuple.of(4, Mutations.edited(valid)),
        net.jqwik.api.Tuple.of(1, Mutations.nastyText()),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.strings()
                .withChars("()[]!&|=<>.,'\"\\ -0123456789datsourceypi_")
                .ofMaxLength(60)));
  }

  /** A well-formed expression, nested at most {@code depth} deep. */
  static Arbitrary<String> expr(int depth) {
    Arbitrary<String> compare =
        Combinators.combine(
                operand(),
                Arbitraries.of(
                    "==", "!=", "<", "<=", ">", ">=", "contains", "startsWith", "endsWith"),
                operand())
            .as((a, op, b) -> a + " " + op + " " + b);
    Arbitrary<String> in = Combinators.combine(path(), list()).as((p, l) -> p + " in " + l);
    Arbitrary<String> leaf = Arbitraries.oneOf(compare, in, operand());
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<String> inner = Arbitraries.lazy(() -> expr(depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf),
        net.jqwik.api.Tuple.of(
            1,
            Combinators.combine(inner, Arbitraries.of(" && ", " || "), inner)
                .as((a, op, b) -> a + op + b)),
        net.jqwik.api.Tuple.of(1, inner.map(e -> "!(" + e + ")")),
        net.jqwik.api.Tuple.of(1, inner.map(e -> "(" + e + ")")));
  }

  static Arbitrary<String> path() {
    Arbitrary<String> step =
        Arbitraries.oneOf(
            Arbitraries.of("a", "b", "rows", "table", "tags", "in", "x-y", "_z").map(n -> "." + n),
            Arbitraries.of(0, 1, 2, 999_999_999_999L).map(i -> "[" + i + "]"));
    return Combinators.combine(
            Arbitraries.of("data", "source", "type", "id"), step.list().ofMaxSize(3))
        .as((root, steps) -> root + String.join("", steps));
  }

  static Arbitrary<String> literal() {
    return Arbitraries.oneOf(
        Arbitraries.of("true", "false", "null", "0", "-0", "1.5", "-1", "99999999999999999999"),
        Arbitraries.strings().alpha().numeric().ofMaxLength(6).map(s -> "'" + s + "'"),
        Arbitraries.strings().alpha().ofMaxLength(6).map(s -> "\"" + s + "\""),
        Arbitraries.integers().map(String::valueOf));
  }

  static Arbitrary<String> list() {
    return Arbitraries.oneOf(literal().filter(l -> !l.equals("null")))
        .list()
        .ofMaxSize(3)
        .map(l -> "[" + String.join(", ", l) + "]");
  }

  static Arbitrary<String> operand() {
    return Arbitraries.oneOf(path(), literal());
  }

  @Provide
  Arbitrary<Filter.Event> events() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.of("data-ready", "s3://lake/x", "1500", "", "NaN", "-0"),
            Arbitraries.strings().all().ofMaxLength(8),
            Arbitraries.just(null));
    return Combinators.combine(text, text, text, data()).as(Filter.Event::new);
  }

  /** Event data: objects with the fields filters name, holding values of any type, or not JSON. */
  static Arbitrary<JsonNode> data() {
    Arbitrary<JsonNode> value =
        Arbitraries.oneOf(
            Mutations.nastyJson(),
            Arbitraries.of(
                F.textNode("orders"),
                F.textNode("1500"),
                F.numberNode(1500),
                F.arrayNode().add("eu").add(1).addNull().add(F.objectNode())));
    Arbitrary<ObjectNode> object =
        Combinators.combine(
                Arbitraries.of(List.of("a", "b", "rows", "table", "tags", "in", "x-y", "_z"))
                    .list()
                    .ofMaxSize(5),
                value.list().ofSize(5))
            .as((names, values) -> {
              ObjectNode o = F.objectNode();
              for (int i = 0; i < names.size(); i++) {
                o.set(names.get(i), values.get(i));
              }
              o.set("a", F.objectNode().set("b", values.get(0)));
              return o;
            });
    return Arbitraries.oneOf(object.map(o -> (JsonNode) o), value, Arbitraries.just(null));
  }
}
