package dev.colo.api.replication;

import java.util.EnumSet;
import java.util.Set;

/**
 * The stage of one protected disk: {@code NONE → RUNNING → (FAILOVER → DONE | FAILOVER_FAILED) | DONE}.
 * How a read or write behaves is a function of (stage, role) only.
 */
public enum ReplicationStage {
    /** Not started yet: reads are served from the local disk, writes are refused (nothing unrecorded). */
    NONE,
    /** Replicating: the primary fans writes out; the secondary keeps S, H and A. */
    RUNNING,
    /** The secondary commits A (through H) into S; no I/O until that ends. */
    FAILOVER,
    /** The commit failed; the disk refuses I/O and says why in its error. */
    FAILOVER_FAILED,
    /** Replication ended: the disk is served from the local disk (S on a former secondary). */
    DONE;

    /** The stages this one may move to. */
    public Set<ReplicationStage> next() {
        return switch (this) {
            case NONE -> EnumSet.of(RUNNING);
            case RUNNING -> EnumSet.of(FAILOVER, DONE);
            case FAILOVER -> EnumSet.of(DONE, FAILOVER_FAILED);
            case FAILOVER_FAILED -> EnumSet.of(FAILOVER); // a retried commit (it is idempotent)
            case DONE -> EnumSet.of(RUNNING); // re-protection starts replicating again
        };
    }

    public boolean canMoveTo(ReplicationStage target) {
        return next().contains(target);
    }
}
