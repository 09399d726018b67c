package dev.kairos.store;

import java.util.List;

/**
 * What receiving an event did.
 *
 * @param eventId the stored event
 * @param duplicate the same source and id was received before (within the dedup window): nothing
 *     was started again
 * @param runs the runs it started, one per subscribed job whose filter matched
 */
public record EventIntake(long eventId, boolean duplicate, List<RunRecord> runs) {}
