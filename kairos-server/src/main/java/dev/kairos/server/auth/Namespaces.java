package dev.kairos.server.auth;

import dev.kairos.store.TokenRecord;
import io.javalin.http.Context;
import java.util.List;

/**
 * A token limited to namespaces (operator, viewer and events tokens may be) reads and changes the
 * jobs, runs and alerts of those namespaces only. A route naming a namespace checks it here; a
 * listing asks for {@link #of} and lists those only; a run by id outside them is not found.
 * Cluster-wide settings (pools) need a token of every namespace.
 */
public final class Namespaces {
  private Namespaces() {}

  /** The token the request was authenticated with (set before any route runs). */
  public static TokenRecord caller(Context ctx) {
    return ctx.attribute("token");
  }

  /** The namespaces the caller is limited to; empty when it reaches every namespace. */
  public static List<String> of(Context ctx) {
    TokenRecord token = caller(ctx);
    return token == null ? List.of() : token.namespaces();
  }

  /** Whether the caller may see and change {@code namespace}. */
  public static boolean reaches(Context ctx, String namespace) {
    TokenRecord token = caller(ctx);
    return token == null || token.allowsNamespace(namespace);
  }

  /** A 403 unless the caller may see and change {@code namespace}. */
  public static void check(Context ctx, String namespace) {
    if (!reaches(ctx, namespace)) {
      throw new AuthException(403, outside(caller(ctx), "namespace " + namespace));
    }
  }

  /** A 403 unless the caller reaches every namespace: for settings that span them all. */
  public static void checkAll(Context ctx, String what) {
    TokenRecord token = caller(ctx);
    if (token != null && !token.allNamespaces()) {
      throw new AuthException(403, outside(token, what) + "; " + what + " span every namespace");
    }
  }

  private static String outside(TokenRecord token, String what) {
    return "token '"
        + token.name()
        + "' is limited to namespace"
        + (token.namespaces().size() == 1 ? " " : "s ")
        + String.join(", ", token.namespaces())
        + ", which do not include "
        + what;
  }
}
