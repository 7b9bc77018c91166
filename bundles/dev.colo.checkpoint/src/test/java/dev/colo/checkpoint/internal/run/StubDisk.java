package dev.colo.checkpoint.internal.run;

import dev.colo.api.Role;
import dev.colo.api.replication.DiskGenerations;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.replication.ReplicationStatus;
import dev.colo.api.replication.CopyProgress;
import dev.colo.api.storage.BlockDevice;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A protected disk for tests: counts its checkpoints, and may have a replication error. */
public final class StubDisk implements ProtectedDisk {
    private final String name;
    volatile int checkpoints;
    volatile String error;
    public volatile long dirtyBytes;
    public volatile boolean degraded;
    public volatile DiskGenerations generations = new DiskGenerations(1, 0);

    public StubDisk(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long checkpoint() {
        return ++checkpoints;
    }

    @Override
    public DiskGenerations generations() {
        return generations;
    }

    @Override
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public void reconnectNow() {
    }

    @Override
    public CopyProgress resync() {
        return CopyProgress.NONE;
    }

    @Override
    public CopyProgress commit() {
        return CopyProgress.NONE;
    }

    @Override
    public Role role() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ReplicationStage stage() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long epoch() {
        return checkpoints;
    }

    @Override
    public ReplicationStatus status() {
        return new ReplicationStatus(name, Role.PRIMARY, ReplicationStage.RUNNING, checkpoints, degraded, dirtyBytes, 0, 0,
                error == null ? "" : error);
    }

    @Override
    public BlockDevice device() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<ReplicationStage> failover() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException();
    }
}
