package dev.colo.replication.internal.primary;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Where the primary sends its writes: the secondary's replication export (over NBD in production). */
public interface ReplicaTarget extends AutoCloseable {

    /** The size of the secondary's disk, as its export announced it. */
    long sizeBytes();

    /** Sends {@code data} (position to limit; not consumed) to be written at {@code offset}. */
    CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua);

    CompletableFuture<Void> writeZeroes(long offset, long length);

    CompletableFuture<Void> trim(long offset, long length);

    CompletableFuture<Void> flush();

    /** Drops the connection; requests still pending fail. */
    @Override
    void close();
}
