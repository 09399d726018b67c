package dev.kairos.store;

import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import java.time.Instant;

/**
 * A stored job: its current version and scheduling state.
 *
 * @param key namespace and name
 * @param version increases by one on every apply that changes the manifest
 * @param manifest the parsed current manifest
 * @param manifestJson the manifest as stored (canonical JSON)
 * @param suspended whether schedule fires are paused (spec.suspend or the suspend API)
 * @param nextFireAt the next schedule fire not yet handled; null when unscheduled or suspended
 * @param missedFires fires recorded as MISSED over the job's life
 * @param createdAt first apply
 * @param updatedAt last change
 * @param scheduleError why the schedule was set aside (its fire failed alone for a reason that will
 *     not pass), until the job is applied or resumed again; null normally
 */
public record JobRecord(
    JobKey key,
    long version,
    JobManifest manifest,
    String manifestJson,
    boolean suspended,
    Instant nextFireAt,
    long missedFires,
    Instant createdAt,
    Instant updatedAt,
    String scheduleError) {}
