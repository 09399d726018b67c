package dev.kairos.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import dev.kairos.store.TokenRecord;
import dev.kairos.store.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens on a real store with a settable clock: expiry, revocation within the cache's second. */
class TokenAuthenticatorTest {
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;
  final SettableClock clock = new SettableClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Store store;
  TokenAuthenticator auth;

  @BeforeEach
  void open() {
    store = StoreFactory.open(StoreConfig.sqlite(dir));
    auth = new TokenAuthenticator(store, clock, registry);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aTokenStopsWorkingWhenItExpiresEvenIfCached() {
    TokenRecord ci =
        new TokenRecord(
            "ci", TokenRecord.Role.OPERATOR, List.of(), null, null, T0.plusSeconds(60), null);
    store.saveToken(Tokens.sha256Hex("secret-ci"), ci, T0);
    assertThat(auth.authenticate("Bearer secret-ci")).isEqualTo(ci);
    clock.advance(Duration.ofMillis(59_999));
    assertThat(auth.authenticate("Bearer secret-ci")).isEqualTo(ci);
    clock.advance(Duration.ofMillis(1));
    assertThatThrownBy(() -> auth.authenticate("Bearer secret-ci"))
        .isInstanceOf(AuthException.class)
        .hasMessage(
            "token 'ci' expired at 2026-12-03T10:01:00Z: ask an administrator for a new one")
        .hasMessageNotContaining("secret-ci");
    assertThat(
            registry
                .get("kairos.unauthenticated.requests")
                .tag("reason", "invalid")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aRevokedTokenStopsWorkingOnceItsCachedSecondIsOver() {
    store.saveToken(
        Tokens.sha256Hex("secret-v"), new TokenRecord("v", TokenRecord.Role.VIEWER), T0);
    assertThat(auth.authenticate("Bearer secret-v").name()).isEqualTo("v");
    store.revokeTokens("v");
    clock.advance(Duration.ofMillis(999));
    assertThat(auth.authenticate("Bearer secret-v").name()).isEqualTo("v");
    clock.advance(Duration.ofMillis(1));
    assertThatThrownBy(() -> auth.authenticate("Bearer secret-v"))
        .isInstanceOf(AuthException.class)
        .hasMessage("invalid token");
  }
}
