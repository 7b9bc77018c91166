package dev.colo.replication.internal.disk;

import dev.colo.api.Role;
import dev.colo.api.replication.ReplicationMode;
import dev.colo.api.storage.BlockDevice;
import dev.colo.replication.internal.generation.GenerationStore;
import dev.colo.replication.internal.generation.PeerGenerations;
import dev.colo.replication.internal.primary.SecondaryReconnector;
import dev.colo.replication.internal.secondary.SecondaryLayers;
import dev.colo.storage.DirtyBitmap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one replicated disk is made of on this node.
 *
 * @param local        the local disk: the primary's disk, or S on a secondary
 * @param dirty        blocks changed while no secondary received them
 * @param layers       secondary only (null on a primary): S, H and A
 * @param generations  the disk's history, to tell an incremental resynchronisation from a full one
 * @param journal      where a failover commit keeps its intent
 * @param connector    primary only (null on a secondary): opens the connection to the secondary's replication export
 * @param peer         primary only: the secondary's generations
 * @param resyncBytesPerSecond rate limit of resynchronisation, 0 for none
 * @param reconnectMin  first delay before trying the secondary again, doubled up to {@code reconnectMax}
 */
public record DiskParts(String name, Role role, BlockDevice local, DirtyBitmap dirty, SecondaryLayers layers,
        GenerationStore generations, Path journal, ReplicationMode mode, Duration forwardTimeout,
        SecondaryReconnector.Connector connector, PeerGenerations peer, long resyncBytesPerSecond,
        Duration reconnectMin, Duration reconnectMax) {

    public DiskParts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(dirty, "dirty");
        Objects.requireNonNull(journal, "journal");
        if ((role == Role.SECONDARY) != (layers != null)) {
            throw new IllegalArgumentException("a secondary has S, H and A, a primary has none");
        }
        Objects.requireNonNull(generations, "generations");
        if (role == Role.PRIMARY && (connector == null || peer == null)) {
            throw new IllegalArgumentException("a primary needs a connector to its secondary and its generations");
        }
        if (layers != null && layers.active().blockBytes() != dirty.blockBytes()) {
            throw new IllegalArgumentException("overlays and dirty bitmap differ in block size");
        }
    }
}
