package dev.colo.replication.internal.primary;

import dev.colo.nbd.client.NbdClient;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** The secondary's replication export, reached with the project's NBD client (over mutual TLS). */
public final class NbdReplicaTarget implements ReplicaTarget {
    /** NBD lengths are 32-bit: longer zeroing or trimming is sent in parts of this size. */
    private static final long MAX_RANGE_BYTES = 1L << 30;

    private final NbdClient client;

    public NbdReplicaTarget(NbdClient client) {
        this.client = client;
    }

    @Override
    public long sizeBytes() {
        return client.export().sizeBytes();
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        return client.write(offset, data.duplicate(), fua);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length) {
        return inParts(offset, length, (start, n) -> client.writeZeroes(start, n, false));
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        return inParts(offset, length, client::trim);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return client.flush();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "NBD " + client;
    }

    private static CompletableFuture<Void> inParts(long offset, long length, RangeRequest request) {
        CompletableFuture<?>[] parts = new CompletableFuture<?>[(int) ((length + MAX_RANGE_BYTES - 1) / MAX_RANGE_BYTES)];
        for (int i = 0; i < parts.length; i++) {
            long start = offset + i * MAX_RANGE_BYTES;
            parts[i] = request.send(start, (int) Math.min(MAX_RANGE_BYTES, offset + length - start));
        }
        return CompletableFuture.allOf(parts);
    }

    @FunctionalInterface
    private interface RangeRequest {
        CompletableFuture<Void> send(long offset, int length);
    }
}
