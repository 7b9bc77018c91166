package dev.colo.replication.internal.generation;

import java.io.IOException;

/**
 * The peer's side of the generation exchange for one disk, as the primary needs it around a
 * resynchronisation (over the peer link in production).
 */
public interface PeerGenerations {

    /** The peer disk's current generation. */
    long peerCurrent() throws IOException;

    /**
     * Tells the peer disk it now holds the data of generation {@code current} (after a resynchronisation),
     * if its generation is still {@code expected} — the one it had when the copy began; a disk that is not
     * the one that was copied to (replaced meanwhile) refuses, so it is never taken for synchronised.
     */
    void adopt(long expected, long current) throws IOException;
}
