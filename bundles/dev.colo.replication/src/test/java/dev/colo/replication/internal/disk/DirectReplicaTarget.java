package dev.colo.replication.internal.disk;

import dev.colo.api.storage.BlockDevice;
import dev.colo.replication.internal.primary.ReplicaTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A replica target that calls the secondary's replica device in-process; it can be cut like a dead link.
 * With an executor, each request runs there (after a short pause), so that requests complete later and out
 * of order, as over a network.
 */
final class DirectReplicaTarget implements ReplicaTarget {
    private final BlockDevice replica;
    private final Executor network;
    private volatile boolean cut;
    private long unflushedBytes;
    private long mostUnflushedBytes;

    DirectReplicaTarget(BlockDevice replica) {
        this(replica, null);
    }

    DirectReplicaTarget(BlockDevice replica, Executor network) {
        this.replica = replica;
        this.network = network;
    }

    void cut() {
        cut = true;
    }

    @Override
    public long sizeBytes() {
        return replica.sizeBytes();
    }

    /** The most bytes written between two FLUSHes (what a secondary's page cache would hold of them). */
    synchronized long mostUnflushedBytes() {
        return mostUnflushedBytes;
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        synchronized (this) {
            unflushedBytes += data.remaining();
            mostUnflushedBytes = Math.max(mostUnflushedBytes, unflushedBytes);
        }
        // a copy now, as the NBD client makes one: the caller may consume or reuse its buffer at once
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
        return call(() -> {
            if (fua) {
                replica.writeDurable(offset, copy);
            } else {
                replica.write(offset, copy);
            }
        });
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
        synchronized (this) {
            unflushedBytes = 0;
        }
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
        if (network != null) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(0, ThreadLocalRandom.current().nextInt(500_000));
                    call.run();
                    return null;
                } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                }
            }, network);
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
