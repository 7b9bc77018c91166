package dev.colo.guest.kv.internal.store;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/** Where the store makes its changes durable before it acknowledges them. */
public interface Durability {
    /**
     * Makes {@code mutations} durable; returns once they are (on a replicated disk: on both nodes).
     *
     * @param everything the store's whole content after them, for when the log must be compacted
     */
    void append(List<Mutation> mutations, Supplier<Collection<Mutation>> everything) throws IOException;

    /** Where the log goes on, for a checkpoint: the secondary's disk becomes the primary's, so must its log. */
    byte[] cursor();

    /** Goes on with the log where {@link #cursor()} of the primary said (after a checkpoint). */
    void continueAt(byte[] cursor) throws IOException;
}
