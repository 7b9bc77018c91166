package dev.colo.api.management;

import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.replication.ReplicationStatus;
import dev.colo.api.replication.CopyProgress;

/**
 * Management view of one protected disk, {@code dev.colo:type=Replication,name=<quoted disk name>}: where
 * it stands, and the operations of {@link dev.colo.api.replication.ProtectedDisk}. Operations return at
 * once; a failover's outcome shows in {@link #getStage()} and in the events.
 */
public interface ReplicationMXBean {
    /** ObjectName pattern; the name key is the quoted disk name. */
    String OBJECT_NAME_PREFIX = "dev.colo:type=Replication,name=";

    /** {@code OBJECT_NAME_PREFIX} and the quoted disk name. */
    static String objectName(String disk) {
        return OBJECT_NAME_PREFIX + javax.management.ObjectName.quote(disk);
    }

    String getDiskName();

    /** {@code primary} or {@code secondary}. */
    String getRole();

    ReplicationStage getStage();

    long getEpoch();

    /** Primary only: replicating without a (synchronised) secondary; writes are recorded as dirty. */
    boolean isDegraded();

    long getDirtyBytes();

    long getActiveOverlayBytes();

    long getHiddenOverlayBytes();

    /** How long the last checkpoint of this disk held its I/O (emptying A and H), in microseconds; -1 before the first. */
    long getLastCheckpointMicros();

    /** The last error, empty if none. */
    String getError();

    /** Everything above, taken at one moment. */
    ReplicationStatus getStatus();

    /** The last (or running) resynchronisation. */
    CopyProgress getResync();

    String getLocalPath();

    String getActiveOverlayPath();

    String getHiddenOverlayPath();

    /** The local NBD export of the guest's view ({@code nbd://…}), empty if none. */
    String getExportUri();

    /** NONE or DONE → RUNNING. */
    void start();

    /** Ends the epoch (empties A and H on a secondary); returns the new epoch. */
    long checkpoint();

    /** Starts a failover; returns the stage it is in now (FAILOVER, or the outcome if already known). */
    ReplicationStage failover();

    /** RUNNING → DONE. */
    void stop();
}
