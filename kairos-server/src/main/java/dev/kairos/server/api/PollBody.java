package dev.kairos.server.api;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.Labels;
import dev.kairos.core.spec.Names;
import dev.kairos.core.spec.Quantities;
import dev.kairos.core.spec.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/worker/poll}: the worker's declaration of itself and how much
 * work it takes. Checked field by field, since it comes from another process.
 *
 * @param cluster optional; {@code default} when left out
 * @param labels optional
 * @param capacity required: {@code {cpu: "2", memory: "4Gi", slots: 16}}, quantities as in a job's
 *     {@code resources}
 * @param free optional: {@code {cpu: "1500m", memory: "2Gi"}}, the cpu and memory not reserved by
 *     the attempts it runs (at most its capacity, zero when none); all of its capacity when left
 *     out
 * @param max required, 1 to {@code capacity.slots}: the worker's free slots
 * @param waitMillis how long to wait for work; capped at {@link #MAX_WAIT_MILLIS}
 */
record PollBody(
    String workerId,
    String pool,
    String cluster,
    Map<String, String> labels,
    CapacityBody capacity,
    FreeBody free,
    int max,
    long waitMillis) {
  static final long MAX_WAIT_MILLIS = 60_000;
  static final int MAX_LABELS = 64;
  static final int MAX_WORKER_ID = 200;

  record CapacityBody(String cpu, String memory, String slots) {}

  record FreeBody(String cpu, String memory) {}

  /**
   * The poll this body asks for.
   *
   * @throws ApiException 400 naming every bad field
   */
  PollRequest toRequest() {
    List<FieldError> errors = new ArrayList<>();
    if (workerIdProblem(workerId) != null) {
      errors.add(new FieldError("workerId", workerId, workerIdProblem(workerId)));
    }
    name("pool", pool, errors);
    if (cluster != null) {
      name("cluster", cluster, errors);
    }
    labels(errors);
    Capacity checked = capacity(errors);
    int slots = checked == null ? Capacity.MAX_SLOTS : checked.slots();
    if (max < 1 || max > slots) {
      errors.add(
          new FieldError(
              "max", String.valueOf(max), "must be 1 to capacity.slots (" + slots + ")"));
    }
    Allocation freeNow = free(checked, errors);
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    WorkerInfo worker =
        new WorkerInfo(
            workerId,
            pool,
            cluster == null ? WorkerInfo.DEFAULT_CLUSTER : cluster,
            labels == null ? Map.of() : labels,
            checked);
    return new PollRequest(
        worker, max, Math.max(0, Math.min(MAX_WAIT_MILLIS, waitMillis)), freeNow);
  }

  /**
   * What is wrong with a worker id, or null; every worker call checks it the same way. It is stored
   * (the lease owner of its attempts), and PostgreSQL's text cannot hold a NUL.
   */
  static String workerIdProblem(String id) {
    return id == null
            || id.isBlank()
            || id.length() > MAX_WORKER_ID
            || id.chars().anyMatch(Character::isISOControl)
        ? "is required, at most " + MAX_WORKER_ID + " characters without control characters"
        : null;
  }

  static void name(String field, String value, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(field, null, "is required"));
    } else if (Names.checkDnsLabel(value) != null) {
      errors.add(new FieldError(field, value, Names.checkDnsLabel(value)));
    }
  }

  private void labels(List<FieldError> errors) {
    if (labels == null) {
      return;
    }
    if (labels.size() > MAX_LABELS) {
      errors.add(new FieldError("labels", labels.size() + " labels", "at most " + MAX_LABELS));
      return;
    }
    labels.forEach((key, value) -> {
      if (Labels.checkKey(key) != null) {
        errors.add(new FieldError("labels", key, Labels.checkKey(key)));
      } else if (value == null || Labels.checkValue(value) != null) {
        errors.add(
            new FieldError(
                "labels." + key, value, value == null ? "is null" : Labels.checkValue(value)));
      }
    });
  }

  /** The free cpu and memory, checked against the capacity; all of it when not given. */
  private Allocation free(Capacity checked, List<FieldError> errors) {
    if (checked == null) {
      return null;
    }
    Allocation all = Allocation.of(checked);
    if (free == null) {
      return all;
    }
    long cpu = all.millicores();
    long memory = all.memoryBytes();
    // none free may be: a worker whose attempts reserve all of its cpu may still have slots for
    // attempts that request none
    if (free.cpu() != null) {
      String problem = Quantities.checkCpuOrZero(free.cpu());
      if (problem != null) {
        errors.add(new FieldError("free.cpu", free.cpu(), problem));
      } else if ((cpu = Quantities.millicores(free.cpu())) > all.millicores()) {
        errors.add(new FieldError("free.cpu", free.cpu(), "must not exceed capacity.cpu"));
      }
    }
    if (free.memory() != null) {
      String problem = Quantities.checkMemoryOrZero(free.memory());
      if (problem != null) {
        errors.add(new FieldError("free.memory", free.memory(), problem));
      } else if ((memory = Quantities.bytes(free.memory())) > all.memoryBytes()) {
        errors.add(new FieldError("free.memory", free.memory(), "must not exceed capacity.memory"));
      }
    }
    return errors.isEmpty() ? new Allocation(cpu, memory) : null;
  }

  private Capacity capacity(List<FieldError> errors) {
    if (capacity == null) {
      errors.add(new FieldError("capacity", null, "is required: {cpu, memory, slots}"));
      return null;
    }
    try {
      return Capacity.of(capacity.cpu(), capacity.memory(), capacity.slots(), null, "capacity.");
    } catch (ValidationException e) {
      errors.addAll(e.errors());
      return null;
    }
  }
}
