package dev.colo.replication.internal.stage;

import dev.colo.api.Role;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.replication.internal.stage.IoRoute.GuestRead;
import dev.colo.replication.internal.stage.IoRoute.GuestWrite;
import dev.colo.replication.internal.stage.IoRoute.ReplicaWrite;

/**
 * How I/O behaves, as a pure function of (stage, role) — the whole table in one place, tested cell by cell.
 *
 * <pre>
 * stage            primary: read / write / replica     secondary: read / write / replica
 * NONE             LOCAL / REFUSED / REFUSED           LOCAL / REFUSED / REFUSED
 * RUNNING          LOCAL / REPLICATED / REFUSED        LAYERED / ACTIVE_OVERLAY / COPY_BEFORE_WRITE
 * FAILOVER         LOCAL / LOCAL_RECORDED / REFUSED    REFUSED / REFUSED / REFUSED  (commit running)
 * FAILOVER_FAILED  LOCAL / LOCAL_RECORDED / REFUSED    REFUSED / REFUSED / REFUSED
 * DONE             LOCAL / LOCAL_RECORDED / REFUSED    LOCAL / LOCAL_RECORDED / REFUSED
 * </pre>
 *
 * A disk opened and not yet started (NONE) takes no write: one would neither reach the secondary nor be recorded
 * (on a primary, re-protection would never send it; on a secondary, it would bypass A and change S). After
 * replication ran once, every write that does not reach the secondary is recorded, so that re-protection can send
 * only those blocks.
 */
public final class IoPolicy {
    private static final IoRoute NOT_STARTED = new IoRoute(GuestRead.LOCAL, GuestWrite.REFUSED, ReplicaWrite.REFUSED);
    private static final IoRoute ALONE = new IoRoute(GuestRead.LOCAL, GuestWrite.LOCAL_RECORDED, ReplicaWrite.REFUSED);
    private static final IoRoute PRIMARY_RUNNING =
            new IoRoute(GuestRead.LOCAL, GuestWrite.REPLICATED, ReplicaWrite.REFUSED);
    private static final IoRoute SECONDARY_RUNNING =
            new IoRoute(GuestRead.LAYERED, GuestWrite.ACTIVE_OVERLAY, ReplicaWrite.COPY_BEFORE_WRITE);
    private static final IoRoute UNUSABLE = new IoRoute(GuestRead.REFUSED, GuestWrite.REFUSED, ReplicaWrite.REFUSED);

    private IoPolicy() {
    }

    public static IoRoute route(ReplicationStage stage, Role role) {
        boolean primary = role == Role.PRIMARY;
        return switch (stage) {
            case NONE -> NOT_STARTED;
            case RUNNING -> primary ? PRIMARY_RUNNING : SECONDARY_RUNNING;
            case FAILOVER, FAILOVER_FAILED -> primary ? ALONE : UNUSABLE;
            case DONE -> ALONE;
        };
    }
}
