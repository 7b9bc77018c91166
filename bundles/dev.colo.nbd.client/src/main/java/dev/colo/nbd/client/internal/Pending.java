package dev.colo.nbd.client.internal;

import dev.colo.nbd.protocol.NbdCommand;
import java.util.concurrent.CompletableFuture;

/** One request in flight, found by its handle when its reply (or reply chunks) arrive. */
final class Pending {
    final NbdCommand command;
    final long offset;
    final int length;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    /** For READ: the data assembled from OFFSET_DATA / OFFSET_HOLE chunks (zero-filled). */
    byte[] data;
    /** For READ: bytes covered by OFFSET_DATA / OFFSET_HOLE chunks (chunks must not overlap). */
    long covered;
    /** First error chunk of a structured reply, 0 if none; only touched on the session's I/O thread. */
    int errno;
    String errorMessage;

    Pending(NbdCommand command, long offset, int length) {
        this.command = command;
        this.offset = offset;
        this.length = length;
    }
}
