package dev.colo.guest.kv.internal.store;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/** Where the store makes its changes durable before it acknowledges them. */
public interface Durability {
    /**
     * Makes a batch of mutations durable as one write; returns once they are (on a replicated disk: on both nodes).
     * A batch that fails may or may not be on the disk; the next call does not write where it may be.
     *
     * @return false, having written nothing, when the log has no room for the batch (or must not go on after a
     *         failed batch): {@link #compact} with everything the store holds after it instead
     */
    boolean append(List<Mutation> batch) throws IOException;

    /** Replaces the log by {@code everything}, durably, as one write; the old log stays valid until it is done. */
    void compact(Collection<Mutation> everything) throws IOException;

    /** Where the log goes on, for a checkpoint: the secondary's disk becomes the primary's, so must its log. */
    byte[] cursor();

    /** Goes on with the log where {@link #cursor()} of the primary said (after a checkpoint). */
    void continueAt(byte[] cursor) throws IOException;
}
