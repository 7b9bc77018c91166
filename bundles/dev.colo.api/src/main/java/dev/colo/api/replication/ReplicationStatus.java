package dev.colo.api.replication;

import dev.colo.api.Role;

/**
 * One protected disk at one moment.
 *
 * @param disk             the disk's name
 * @param role             the node's role for this disk
 * @param stage            the disk's stage
 * @param epoch            the checkpoint epoch (incremented by every checkpoint)
 * @param degraded         primary only: replicating without a secondary (writes are recorded as dirty)
 * @param dirtyBytes       bytes marked in the dirty bitmap (to resynchronise)
 * @param activeBytes      secondary only: bytes allocated in the active overlay A
 * @param hiddenBytes      secondary only: bytes allocated in the hidden overlay H
 * @param error            the last error, or empty
 */
public record ReplicationStatus(String disk, Role role, ReplicationStage stage, long epoch, boolean degraded,
        long dirtyBytes, long activeBytes, long hiddenBytes, String error) {
}
