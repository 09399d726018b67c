package dev.kairos.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.core.event.EventTrigger;
import dev.kairos.core.event.Filter;
import dev.kairos.core.run.RunState;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobSpec;
import dev.kairos.store.EventIntake;
import dev.kairos.store.JobRecord;
import dev.kairos.store.NewEvent;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events: stored with the runs they start in one transaction, before they are acknowledged; the
 * same source and id starts nothing twice.
 */
final class EventQueries {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final JobQueries jobs;
  private final RunQueries runs;

  EventQueries(Database db, JobQueries jobs, RunQueries runs) {
    this.db = db;
    this.jobs = jobs;
    this.runs = runs;
  }

  /** The {@code jobs.event_types} of a spec: {@code " a b "}, or null when it has no triggers. */
  static String eventTypes(JobSpec spec) {
    if (spec.triggers().isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(" ");
    spec.triggers().stream()
        .map(EventTrigger::type)
        .distinct()
        .forEach(t -> sb.append(t).append(' '));
    return sb.toString();
  }

  EventIntake receive(NewEvent e, Instant now) {
    return db.tx(c -> receive(c, e, now));
  }

  /** As {@link #receive(NewEvent, Instant)}, in the caller's transaction. */
  EventIntake receive(Connection c, NewEvent e, Instant now) throws SQLException {
    Long id = insert(c, e, now);
    if (id == null) {
      return new EventIntake(existing(c, e), true, List.of());
    }
    JsonNode data = parse(e.dataJson());
    Filter.Event event = new Filter.Event(e.type(), e.source(), e.id(), data);
    List<NewRun> toStart = new ArrayList<>();
    for (JobKey key : subscribed(c, e.type())) {
      JobRecord job = jobs.find(c, key, false).orElse(null);
      if (job == null
          || job.suspended()
          || !(e.namespaces().isEmpty() || e.namespaces().contains(key.namespace()))) {
        continue;
      }
      if (job.manifest().spec().triggers().stream().anyMatch(t -> t.matches(event))) {
        toStart.add(
            new NewRun(
                key,
                TriggerKind.EVENT,
                null,
                "event:" + e.source() + ":" + e.id(),
                RunState.PENDING,
                null,
                id,
                size(data, job.manifest().spec().sizeParam())));
      }
    }
    List<RunRecord> started = toStart.isEmpty() ? List.of() : runs.create(c, toStart, now);
    return new EventIntake(id, false, started);
  }

  /**
   * The value of {@code param} in an event's data: a positive finite number, or a text holding one
   * ({@code "rows": "5000"}); null for none.
   */
  static Double size(JsonNode data, String param) {
    if (param == null || data == null || !data.isObject()) {
      return null;
    }
    JsonNode v = data.get(param);
    double d;
    if (v == null) {
      return null;
    } else if (v.isNumber()) {
      d = v.asDouble();
    } else if (v.isTextual()) {
      try {
        d = Double.parseDouble(v.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return d > 0 && Double.isFinite(d) ? d : null;
  }

  /** Events by id as {@code {"type", "source", "id", "data"}} JSON. */
  static Map<Long, String> asJson(Connection c, Database db, List<Long> ids) throws SQLException {
    Map<Long, String> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, type, source, event_id, data_json FROM events WHERE "
                + db.idIn("id", ids.size()))) {
      db.bindIds(ps, 1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ObjectNode o = JSON.createObjectNode();
          o.put("type", rs.getString(2));
          o.put("source", rs.getString(3));
          o.put("id", rs.getString(4));
          o.set("data", parse(rs.getString(5)));
          out.put(rs.getLong(1), o.toString());
        }
      }
    }
    return out;
  }

  private static Long insert(Connection c, NewEvent e, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO events (source, event_id, type, data_json, received_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING RETURNING id")) {
      ps.setString(1, e.source());
      ps.setString(2, e.id());
      ps.setString(3, e.type());
      ps.setString(4, e.dataJson());
      ps.setLong(5, now.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private static long existing(Connection c, NewEvent e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM events WHERE source = ? AND event_id = ?")) {
      ps.setString(1, e.source());
      ps.setString(2, e.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<JobKey> subscribed(Connection c, String type) throws SQLException {
    List<JobKey> keys = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT namespace, name FROM jobs WHERE event_types LIKE ? ORDER BY namespace, name")) {
      // type holds no LIKE wildcard: the spec allows letters, digits and . _ : / - only, and '_'
      // matching any one character can only widen the candidates, which the triggers then check
      ps.setString(1, "% " + type + " %");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(new JobKey(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return keys;
  }

  private static JsonNode parse(String json) {
    if (json == null) {
      return com.fasterxml.jackson.databind.node.NullNode.getInstance();
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("event data is not JSON", e);
    }
  }
}
