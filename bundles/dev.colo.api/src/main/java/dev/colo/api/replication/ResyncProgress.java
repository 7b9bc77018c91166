package dev.colo.api.replication;

/**
 * Where a resynchronisation (re-protection's copy of the blocks the secondary lacks) stands.
 *
 * @param totalBytes      dirty bytes when it started
 * @param remainingBytes  dirty bytes still to copy
 * @param bytesPerSecond  the copy rate so far
 */
public record ResyncProgress(long totalBytes, long remainingBytes, long bytesPerSecond) {
    /** No resynchronisation has run. */
    public static final ResyncProgress NONE = new ResyncProgress(0, 0, 0);

    public int percent() {
        return totalBytes == 0 ? 100 : (int) (100 * (totalBytes - remainingBytes) / totalBytes);
    }

    /** Seconds to go at the rate so far, -1 when unknown. */
    public long etaSeconds() {
        return bytesPerSecond <= 0 ? -1 : remainingBytes / bytesPerSecond;
    }
}
