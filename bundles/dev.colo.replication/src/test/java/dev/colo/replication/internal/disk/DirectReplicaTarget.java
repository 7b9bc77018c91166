package dev.colo.replication.internal.disk;

import dev.colo.api.storage.BlockDevice;
import dev.colo.replication.internal.primary.ReplicaTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A replica target that calls the secondary's replica device in-process; it can be cut like a dead link. */
final class DirectReplicaTarget implements ReplicaTarget {
    private final BlockDevice replica;
    private volatile boolean cut;

    DirectReplicaTarget(BlockDevice replica) {
        this.replica = replica;
    }

    void cut() {
        cut = true;
    }

    @Override
    public long sizeBytes() {
        return replica.sizeBytes();
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        return call(() -> replica.write(offset, data.duplicate()));
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length) {
        return call(() -> replica.writeZeroes(offset, length));
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        return call(() -> replica.trim(offset, length));
    }

    @Override
    public CompletableFuture<Void> flush() {
        return call(replica::flush);
    }

    @Override
    public void close() {
        cut = true;
    }

    private CompletableFuture<Void> call(IoCall call) {
        if (cut) {
            return CompletableFuture.failedFuture(new IOException("link cut"));
        }
        try {
            call.run();
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @FunctionalInterface
    private interface IoCall {
        void run() throws IOException;
    }
}
