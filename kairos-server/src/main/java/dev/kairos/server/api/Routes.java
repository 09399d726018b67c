package dev.kairos.server.api;

import io.javalin.Javalin;

/** A group of HTTP routes: one feature's endpoints. */
public interface Routes {
  /** Adds its routes (and handlers) to the app. */
  void register(Javalin app);
}
