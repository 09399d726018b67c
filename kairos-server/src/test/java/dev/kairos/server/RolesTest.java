package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.server.auth.Permission;
import dev.kairos.server.auth.RouteTable;
import dev.kairos.store.TokenRecord.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens with roles (issue 19): every route of the running server against a token of every role,
 * from the server's own list of routes, so that a route added without a decision fails here (and
 * the server does not start with it). A role either may call a route (any answer but 401 and 403)
 * or gets a 403 that names what it lacks.
 */
class RolesTest {
  static TestServer server;
  static ApiClient admin;
  static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    admin = server.api();
    for (Role role : Role.values()) {
      String name = "t-" + role.name().toLowerCase(Locale.ROOT);
      ApiClient.Response r =
          admin.call(
              "POST",
              "/api/v1/tokens",
              "{\"name\": \"%s\", \"role\": \"%s\"}"
                  .formatted(name, role.name().toLowerCase(Locale.ROOT)));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
      TOKENS.put(role, r.body().get("token").asText());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A path of the template, with made-up values for its parameters. */
  static String path(String template) {
    return template
        .replace("{namespace}", "default")
        .replace("{name}", "no-such-thing")
        .replace("{id}", "999999")
        .replace("{pool}", "default")
        .replace("{task}", "main")
        .replace("{file}", "app.js");
  }

  /** The status of a call, or 0 when it answered nothing in 3 s (a stream that was let in). */
  static int status(String method, String template, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + path(template)))
            .timeout(Duration.ofSeconds(3))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("GET") || method.equals("DELETE")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (HttpTimeoutException e) {
      return 0;
    }
  }

  @Test
  void theRouteTableNamesEveryRouteOfTheServerAndNoOther() {
    Set<String> tabled = new HashSet<>(RouteTable.OPEN);
    tabled.addAll(RouteTable.PROTECTED.keySet());

    assertThat(new HashSet<>(server.server().routes())).isEqualTo(tabled);
  }

  @Test
  void everyRoleMayCallWhatItsPermissionsAllowAndGetsA403ForTheRest() throws Exception {
    for (String route : server.server().routes()) {
      String method = route.substring(0, route.indexOf(' '));
      String template = route.substring(route.indexOf(' ') + 1);
      Permission needed = RouteTable.of(method, template);
      if (needed == null) {
        assertThat(status(method, template, null))
            .as("%s without a token", route)
            .isNotIn(401, 403);
        continue;
      }
      assertThat(status(method, template, null)).as("%s without a token", route).isEqualTo(401);
      for (Role role : Role.values()) {
        int status = status(method, template, TOKENS.get(role));
        if (needed.grantedTo(role)) {
          assertThat(status).as("%s as %s", route, role).isNotIn(401, 403);
        } else {
          assertThat(status).as("%s as %s", route, role).isEqualTo(403);
        }
      }
    }
  }

  @Test
  void theRolesAreWhatTheDocsSay() {
    assertThat(Permission.READ.roles()).isEqualTo("admin, operator, viewer");
    assertThat(Permission.OPERATE.roles()).isEqualTo("admin, operator");
    assertThat(Permission.EVENTS.roles()).isEqualTo("admin, events");
    assertThat(Permission.WORKER.roles()).isEqualTo("admin, worker");
    assertThat(Permission.ADMIN.roles()).isEqualTo("admin");
  }

  @Test
  void aRefusalNamesTheTokenItsRoleAndWhatTheRouteNeeds() throws Exception {
    ApiClient viewer = new ApiClient(server.url(), TOKENS.get(Role.VIEWER));
    ApiClient.Response r = viewer.call("POST", "/api/v1/jobs/default/x/runs", null);

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body().get("detail").asText())
        .isEqualTo(
            "token 't-viewer' (viewer) may not POST /api/v1/jobs/{namespace}/{name}/runs: it"
                + " needs operate, which admin, operator tokens have");
  }

  @Test
  void aTokenIsShownOnceListedWithoutItsSecretAndRevokedWithinASecond() throws Exception {
    ApiClient.Response made =
        admin.call("POST", "/api/v1/tokens", "{\"name\": \"ci\", \"role\": \"operator\"}");
    assertThat(made.status()).isEqualTo(201);
    String secret = made.body().get("token").asText();
    assertThat(secret).hasSizeGreaterThan(30);
    ApiClient ci = new ApiClient(server.url(), secret);
    assertThat(ci.call("GET", "/api/v1/jobs", null).status()).isEqualTo(200);

    JsonNode listed = admin.get("/api/v1/tokens").get("items");
    assertThat(listed.toString()).contains("\"name\":\"ci\"").contains("\"role\":\"operator\"");
    assertThat(listed.toString()).doesNotContain(secret);
    assertThat(
            admin
                .call("POST", "/api/v1/tokens", "{\"name\": \"ci\", \"role\": \"viewer\"}")
                .status())
        .isEqualTo(409);

    assertThat(admin.call("DELETE", "/api/v1/tokens/ci", null).status()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> ci.call("GET", "/api/v1/jobs", null).status() == 401);
    assertThat(admin.call("DELETE", "/api/v1/tokens/ci", null).status()).isEqualTo(404);
  }

  @Test
  void aTokenOfAnUnknownRoleOrBadNameIsA400NamingTheField() throws Exception {
    ApiClient.Response r =
        admin.call("POST", "/api/v1/tokens", "{\"name\": \"Bad Name\", \"role\": \"root\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("errors").findValuesAsText("path")).containsExactly("name", "role");
    assertThat(r.body().toString()).contains("admin, operator, viewer, events, worker");
  }

  @Test
  void aRotatedTokenKeepsItsNameAndRoleAndTheOldSecretStopsWithinASecond() throws Exception {
    String old =
        admin
            .call("POST", "/api/v1/tokens", "{\"name\": \"rotated\", \"role\": \"viewer\"}")
            .body()
            .get("token")
            .asText();
    ApiClient.Response rotated = admin.call("POST", "/api/v1/tokens/rotated/rotate", null);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.body().get("role").asText()).isEqualTo("viewer");
    String fresh = rotated.body().get("token").asText();
    assertThat(fresh).isNotEqualTo(old);

    await()
        .atMost(Duration.ofSeconds(2))
        .until(() ->
            new ApiClient(server.url(), old).call("GET", "/api/v1/jobs", null).status() == 401);
    ApiClient now = new ApiClient(server.url(), fresh);
    assertThat(now.call("GET", "/api/v1/jobs", null).status()).isEqualTo(200);
    assertThat(now.call("PUT", "/api/v1/jobs", "{}").status()).isEqualTo(403);
    assertThat(admin.call("POST", "/api/v1/tokens/no-such/rotate", null).status()).isEqualTo(404);
  }
}
