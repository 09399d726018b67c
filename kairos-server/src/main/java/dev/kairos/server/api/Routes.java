package dev.kairos.server.api;

import io.javalin.config.RoutesConfig;

/** A group of HTTP routes: one feature's endpoints. */
public interface Routes {
  /** Adds its routes (and handlers) to the app's routes, while the app is being configured. */
  void register(RoutesConfig app);
}
