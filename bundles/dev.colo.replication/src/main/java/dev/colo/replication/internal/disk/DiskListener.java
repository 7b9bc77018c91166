package dev.colo.replication.internal.disk;

import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.replication.CopyProgress;

/** What a replicated disk reports: the component logs it and publishes it as events. */
public interface DiskListener {

    void stageChanged(ReplicationStage from, ReplicationStage to, long epoch, String reason);

    /** The primary dropped its secondary ({@code degraded}) or got one again. */
    void degradedChanged(boolean degraded, long epoch, long dirtyBytes, String reason);

    /** Progress of a resynchronisation, about once a second, and once {@code done}. */
    void resyncProgress(CopyProgress progress, boolean done);
}
