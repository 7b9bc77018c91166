package dev.colo.api.replication;

import dev.colo.api.Role;
import dev.colo.api.storage.BlockDevice;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One replicated disk, as the checkpoint coordinator and operators drive it. Registered as a service with
 * {@link BlockDevice#NAME_PROPERTY}. Every stage change is logged and published with the epoch.
 */
@ProviderType
public interface ProtectedDisk {

    String name();

    Role role();

    ReplicationStage stage();

    long epoch();

    ReplicationStatus status();

    /** The disk as the local guest sees it (on a secondary: A over H over S). */
    BlockDevice device();

    /** NONE or DONE → RUNNING. The primary connects to the secondary (the returned stage says if it could). */
    void start();

    /**
     * Ends an epoch: on the secondary empties A and H; on both, starts the next epoch.
     *
     * @return the new epoch
     * @throws IllegalStateException when the disk is not RUNNING
     */
    long checkpoint();

    /**
     * RUNNING → FAILOVER → DONE. On the secondary commits A (through H) into S, so S becomes exactly
     * what the secondary guest saw; on the primary drops the secondary and continues alone. Completes when
     * the disk serves from its local file; fails (stage FAILOVER_FAILED) with the reason.
     */
    CompletableFuture<ReplicationStage> failover();

    /**
     * RUNNING → DONE: replication ends and the disk is served from its local file (on a secondary that is
     * S, with the secondary guest's A and H discarded).
     */
    void stop();

    /**
     * The disk's data history as generation identifiers: current (the data it holds) and base (the data a peer
     * that stopped receiving its writes holds; 0 if none). Two disks with the same current hold the same data;
     * a disk whose current is neither the peer's current nor the peer's base holds writes the peer lacks.
     */
    DiskGenerations generations();

    /** The last error, if any (a forwarding failure, a failed commit). */
    Optional<String> error();

    /**
     * Primary only: tries to reach the secondary now rather than after the reconnect backoff (re-protection asked
     * for by an operator); nothing while a secondary is attached, or on a secondary.
     */
    void reconnectNow();

    /** Primary only: the last (or running) resynchronisation of the secondary; {@link CopyProgress#NONE} before. */
    CopyProgress resync();

    /** Secondary only: the last (or running) failover commit of A and H into S; {@link CopyProgress#NONE} before. */
    CopyProgress commit();
}
