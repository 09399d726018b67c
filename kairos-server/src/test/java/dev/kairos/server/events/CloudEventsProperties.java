package dev.kairos.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.fuzz.Mutations;
import dev.kairos.core.spec.FieldError;
import dev.kairos.store.NewEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fault isolation of the CloudEvents reader, which every event source (HTTP, RabbitMQ, NATS) goes
 * through: any body, content type and headers give an event whose fields are within their limits
 * and whose data is JSON, or a {@link CloudEvents.BadEvent} naming each bad field; never another
 * exception.
 */
class CloudEventsProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String VALID =
      """
      {"specversion": "1.0", "type": "data-ready", "source": "s3://lake/orders", "id": "evt-1",
       "data": {"table": "orders", "rows": 1500, "tags": ["eu"], "owner": null}}
      """;

  @Property
  void anyMessageIsAnEventOrABadEventNamingItsFields(
      @ForAll("bodies") byte[] body,
      @ForAll("contentTypes") String contentType,
      @ForAll("headers") Map<String, String> headers,
      @ForAll("fallbackIds") String fallbackId)
      throws Exception {
    NewEvent event;
    try {
      event = CloudEvents.read(body, contentType, headers::get, fallbackId);
    } catch (CloudEvents.BadEvent e) {
      assertThat(e.errors()).isNotEmpty();
      for (FieldError error : e.errors()) {
        assertThat(error.path()).isNotBlank();
        assertThat(error.message()).isNotBlank();
      }
      return;
    }
    for (String field : new String[] {event.type(), event.source(), event.id()}) {
      assertThat(field).isNotBlank().hasSizeLessThanOrEqualTo(500);
      assertThat(field.chars().noneMatch(Character::isISOControl)).as(field).isTrue();
    }
    if (event.dataJson() != null) {
      JsonNode data = JSON.readTree(event.dataJson());
      assertThat(data.isMissingNode()).as("data %s is JSON", event.dataJson()).isFalse();
    }
  }

  /**
   * Found by the property: a binary event whose JSON body was white space only was stored with the
   * data "", which is not JSON (and goes raw into a worker's poll reply).
   */
  @Example
  void aJsonBodyOfWhiteSpaceIsNoData() {
    Map<String, String> h = Map.of("ce-type", "t", "ce-source", "s", "ce-id", "i");
    NewEvent event =
        CloudEvents.read(" \n".getBytes(StandardCharsets.UTF_8), "application/json", h::get, null);
    assertThat(event.dataJson()).isNull();
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    JsonNode valid;
    try {
      valid = JSON.readTree(VALID);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.just(VALID),
            Mutations.edited(Arbitraries.just(VALID)),
            Mutations.editedTrees(Arbitraries.just(valid)).map(Mutations::text),
            Mutations.nastyText(),
            Arbitraries.of("", " ", "\n", "null", "[]", "\"text\"", "1e400"));
    return Arbitraries.frequencyOf(
        Tuple.of(6, text.map(s -> s.getBytes(StandardCharsets.UTF_8))),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        null,
        "",
        "application/json",
        "application/cloudevents+json; charset=utf-8",
        "APPLICATION/JSON",
        "text/plain",
        "application/octet-stream",
        "application/yaml",
        "json");
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of("data-ready", "s3://lake/x", "evt-2", "a".repeat(201), "a".repeat(501)),
            Mutations.nastyText(),
            Arbitraries.just(null));
    return Combinators.combine(Arbitraries.of(true, false), value, value, value)
        .as((binary, type, source, id) -> {
          Map<String, String> h = new HashMap<>();
          if (binary) {
            h.put("ce-type", type);
            h.put("ce-source", source);
            h.put("ce-id", id);
          }
          return h;
        });
  }

  @Provide
  Arbitrary<String> fallbackIds() {
    return Arbitraries.oneOf(
        Arbitraries.just(null), Arbitraries.of("msg-1", "", " "), Mutations.nastyText());
  }
}
