package dev.colo.api.checkpoint;

/**
 * How a requested checkpoint ended.
 *
 * @param epoch      the epoch the checkpoint started (requests that coalesced share it)
 * @param completed  whether the secondary loaded the state; false means the checkpoint failed and the
 *                   failover controller decides what happens (never a silent divergence)
 * @param detail     why it failed, or empty
 */
public record CheckpointOutcome(long epoch, boolean completed, String detail) {
}
