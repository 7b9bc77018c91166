package dev.colo.api.replication;

/**
 * Where a copy of a disk's blocks stands: a resynchronisation (re-protection's copy of the blocks the secondary
 * lacks) or a failover commit (the secondary's overlays A and H into S).
 *
 * @param totalBytes      bytes to copy when it started
 * @param remainingBytes  bytes still to copy
 * @param bytesPerSecond  the copy rate so far
 */
public record CopyProgress(long totalBytes, long remainingBytes, long bytesPerSecond) {
    /** No copy has run. */
    public static final CopyProgress NONE = new CopyProgress(0, 0, 0);

    /** Progress at {@code nowNanos} of a copy that started at {@code startedNanos} and has copied {@code copied}. */
    public static CopyProgress measured(long totalBytes, long remainingBytes, long copied, long startedNanos,
            long nowNanos) {
        long elapsedNanos = Math.max(1, nowNanos - startedNanos);
        return new CopyProgress(totalBytes, remainingBytes, (long) (copied * 1e9 / elapsedNanos));
    }

    public int percent() {
        return totalBytes == 0 ? 100 : (int) (100 * (totalBytes - remainingBytes) / totalBytes);
    }

    /** Seconds to go at the rate so far, -1 when unknown. */
    public long etaSeconds() {
        return bytesPerSecond <= 0 ? -1 : remainingBytes / bytesPerSecond;
    }

    /** The sum of several copies (the disks of a node), at their combined rate. */
    public CopyProgress plus(CopyProgress other) {
        return new CopyProgress(totalBytes + other.totalBytes, remainingBytes + other.remainingBytes,
                bytesPerSecond + other.bytesPerSecond);
    }
}
