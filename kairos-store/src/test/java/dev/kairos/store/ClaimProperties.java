package dev.kairos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the queue (sizes, priorities) and the worker (capacity, free cpu and memory, slots), a
 * claim takes exactly the longest run, in rank order, of the attempts that fit the worker's
 * capacity, whose requests fit its free capacity together: never more than it has free, and never
 * an attempt past one that waits for capacity. On SQLite, a pool of its own per try.
 */
class ClaimProperties {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static Path dir;
  static Store store;
  static final AtomicInteger tries = new AtomicInteger();

  @BeforeContainer
  static void open() throws Exception {
    dir = Files.createTempDirectory("kairos-claim-properties");
    store = StoreFactory.open(StoreConfig.sqlite(dir));
  }

  @AfterContainer
  static void close() throws Exception {
    store.close();
    StoreContract.deleteTree(dir);
  }

  record Shape(int priority, int millicores, int mebibytes) {}

  @Provide
  Arbitrary<List<Shape>> queues() {
    Arbitrary<Shape> shape =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(0, 100, 250, 500, 1000, 1500, 3000, 6000),
                Arbitraries.of(0, 64, 256, 1024, 4096))
            .as(Shape::new);
    return shape.list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 150)
  void aClaimIsTheLongestBestRankedRunThatFits(
      @ForAll("queues") List<Shape> queue,
      @ForAll("cpus") int capacityCpu,
      @ForAll("fractions") double freeShare,
      @ForAll("slots") int max) {
    String pool = "p" + tries.incrementAndGet();
    List<Long> runIds = new ArrayList<>();
    for (int i = 0; i < queue.size(); i++) {
      Shape s = queue.get(i);
      JobManifest m =
          JobManifestCodec.parseYaml(
              """
              apiVersion: kairos.dev/v1
              kind: Job
              metadata: {name: %s-%d}
              spec:
                priority: %d
                resources: {requests: {%s}}
                placement: {pool: %s}
                task: {empty: {}}
              """
                  .formatted(pool, i, s.priority(), requests(s), pool));
      store.applyJob(m, JobManifestCodec.toJson(m), null, T0);
      runIds.add(
          store.createRun(NewRun.manual(new JobKey("default", pool + "-" + i), null), T0).id());
    }
    Capacity capacity = new Capacity(capacityCpu, 2048L << 20, 64);
    Allocation free =
        new Allocation((long) (capacityCpu * freeShare), (long) ((2048L << 20) * freeShare));
    WorkerInfo w = new WorkerInfo("w-" + pool, pool, "default", Map.of(), capacity);
    store.recordWorker(w, T0);
    List<Assignment> got =
        store.claimAttempts(
            new Claim(w, max, free, Duration.ofMinutes(1)),
            T0,
            Duration.ZERO,
            Duration.ofSeconds(15));

    // the expected claim: eligible attempts by priority then age, the prefix that fits free
    List<Integer> eligible = new ArrayList<>();
    for (int i = 0; i < queue.size(); i++) {
      Shape s = queue.get(i);
      if (s.millicores() <= capacity.millicores()
          && ((long) s.mebibytes() << 20) <= capacity.memoryBytes()) {
        eligible.add(i);
      }
    }
    eligible.sort(
        Comparator.comparing((Integer i) -> -queue.get(i).priority()).thenComparing(i -> i));
    List<Long> expected = new ArrayList<>();
    Allocation sum = Allocation.NONE;
    for (int i : eligible) {
      Shape s = queue.get(i);
      Allocation next = sum.plus(new Allocation(s.millicores(), (long) s.mebibytes() << 20));
      if (expected.size() == max || !next.fits(free)) {
        break;
      }
      sum = next;
      expected.add(runIds.get(i));
    }
    assertThat(got).extracting(Assignment::runId).containsExactlyInAnyOrderElementsOf(expected);
    Allocation claimed = Allocation.NONE;
    for (Assignment a : got) {
      claimed = claimed.plus(Allocation.requestedBy(a.task().resources()));
    }
    assertThat(claimed.fits(free)).isTrue();
  }

  /** A quantity may not be 0: a shape that requests none of a resource leaves it out. */
  static String requests(Shape s) {
    List<String> parts = new ArrayList<>();
    if (s.millicores() > 0) {
      parts.add("cpu: " + s.millicores() + "m");
    }
    if (s.mebibytes() > 0) {
      parts.add("memory: " + s.mebibytes() + "Mi");
    }
    return String.join(", ", parts);
  }

  @Provide
  Arbitrary<Integer> cpus() {
    return Arbitraries.of(500, 1000, 2000, 4000, 8000);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.of(0.0, 0.25, 0.5, 0.75, 1.0);
  }

  @Provide
  Arbitrary<Integer> slots() {
    return Arbitraries.integers().between(1, 10);
  }
}
