package dev.colo.replication.internal.primary;

import dev.colo.replication.internal.blocks.BlockLocks;
import dev.colo.storage.DirtyBitmap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import dev.colo.api.replication.ResyncProgress;
import java.util.function.Consumer;

/**
 * Re-protection's copy: the blocks marked dirty go from the local disk to the secondary (already attached,
 * so new writes reach it too), a run at a time, each run under the lock of its blocks so that a concurrent
 * guest write cannot be overtaken by an older copy. A block's bit is cleared only once the secondary has
 * it; if the secondary fails, it is dropped again and the bits left stay for the next attempt.
 */
public final class Resynchroniser {
    /** Largest run copied at once. */
    static final int MAX_RUN_BYTES = 1 << 20;
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final PrimaryFanOut fanOut;
    private final long maxBytesPerSecond;
    private final Consumer<ResyncProgress> progress;

    /** @param maxBytesPerSecond rate limit, 0 for none */
    public Resynchroniser(PrimaryFanOut fanOut, long maxBytesPerSecond, Consumer<ResyncProgress> progress) {
        this.fanOut = fanOut;
        this.maxBytesPerSecond = maxBytesPerSecond;
        this.progress = progress;
    }

    /**
     * Copies every dirty block to {@code replica}; returns the final progress (nothing remaining).
     *
     * @throws IOException when the local disk fails or the secondary does (it is dropped then)
     */
    public ResyncProgress run(ReplicaTarget replica) throws IOException, InterruptedException {
        DirtyBitmap dirty = fanOut.dirty();
        long total = dirty.dirtyBytes();
        long started = System.nanoTime();
        long lastReport = started;
        long copied = 0;
        long block = dirty.nextDirty(0);
        while (block >= 0) {
            if (fanOut.target() != replica) {
                throw new IOException("the secondary was dropped during the resynchronisation");
            }
            long runEnd = runEnd(dirty, block);
            copied += copyRun(replica, block, runEnd);
            throttle(copied, started);
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                lastReport = now;
                progress.accept(progressAt(total, dirty.dirtyBytes(), copied, started, now));
            }
            block = dirty.nextDirty(runEnd + 1);
        }
        CompletableFuture<Void> flushed = replica.flush();
        if (!fanOut.completes(flushed)) {
            fail(replica, "FLUSH", fanOut.failureOf(flushed));
        }
        return progressAt(total, dirty.dirtyBytes(), copied, started, System.nanoTime());
    }

    /** The last block of the run of dirty blocks from {@code first}, at most {@value #MAX_RUN_BYTES} long. */
    private static long runEnd(DirtyBitmap dirty, long first) {
        long maxBlocks = Math.max(1, MAX_RUN_BYTES / dirty.blockBytes());
        long last = first;
        while (last + 1 < dirty.blockCount() && last + 1 - first < maxBlocks && dirty.isDirty(last + 1)) {
            last++;
        }
        return last;
    }

    private long copyRun(ReplicaTarget replica, long first, long last) throws IOException {
        DirtyBitmap dirty = fanOut.dirty();
        long offset = first * dirty.blockBytes();
        long end = Math.min((last + 1) * dirty.blockBytes(), fanOut.local().sizeBytes());
        try (BlockLocks.Held held = fanOut.locks().lock(first, last)) {
            ByteBuffer data = ByteBuffer.allocate((int) (end - offset));
            fanOut.local().read(offset, data);
            CompletableFuture<Void> sent = replica.write(offset, data.flip(), false);
            if (!fanOut.completes(sent)) {
                fail(replica, "WRITE at " + offset, fanOut.failureOf(sent));
            }
            for (long block = first; block <= last; block++) {
                dirty.clear(block);
            }
        }
        return end - offset;
    }

    private void fail(ReplicaTarget replica, String what, String why) throws IOException {
        String reason = "the secondary did not complete the resynchronisation's " + what + ": " + why;
        fanOut.drop(replica, reason);
        throw new IOException(reason);
    }

    private void throttle(long copied, long started) throws InterruptedException {
        if (maxBytesPerSecond <= 0) {
            return;
        }
        long dueNanos = started + (long) (copied * 1e9 / maxBytesPerSecond);
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    private static ResyncProgress progressAt(long total, long remaining, long copied, long started, long now) {
        long elapsedNanos = Math.max(1, now - started);
        return new ResyncProgress(total, remaining, (long) (copied * 1e9 / elapsedNanos));
    }
}
