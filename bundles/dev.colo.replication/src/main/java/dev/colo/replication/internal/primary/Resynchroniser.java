package dev.colo.replication.internal.primary;

import dev.colo.api.replication.CopyProgress;
import dev.colo.replication.internal.blocks.BlockLocks;
import dev.colo.storage.DirtyBitmap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Re-protection's copy: the blocks marked dirty go from the local disk to the secondary (already attached,
 * so new writes reach it too), runs of up to {@value #MAX_RUN_BYTES} bytes, up to {@value #MAX_IN_FLIGHT}
 * runs in flight. Each run holds the lock of its blocks until the secondary has it, so that a concurrent
 * guest write cannot be overtaken by an older copy; a run whose lock is busy waits only after every run in
 * flight completed and released its own (so the copy never waits while holding locks). A block's bit is
 * cleared only once the secondary has it; if the secondary fails, it is dropped again and the bits left
 * stay for the next attempt.
 */
public final class Resynchroniser {
    /** Largest run copied at once. */
    public static final int MAX_RUN_BYTES = 1 << 20;
    /** Runs sent and not yet acknowledged. */
    static final int MAX_IN_FLIGHT = 16;
    /**
     * Bytes copied between two FLUSHes of the secondary: what its page cache holds of the copy at most. A guest's
     * FLUSH (every commit of a guest that makes its writes durable) waits for the secondary to write back all it
     * holds; unbounded, that is the whole copy so far, seconds of it.
     */
    public static final long FLUSH_EVERY_BYTES = 32L << 20;
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final PrimaryFanOut fanOut;
    private final long maxBytesPerSecond;
    private final Consumer<CopyProgress> progress;

    /** @param maxBytesPerSecond rate limit, 0 for none */
    public Resynchroniser(PrimaryFanOut fanOut, long maxBytesPerSecond, Consumer<CopyProgress> progress) {
        this.fanOut = fanOut;
        this.maxBytesPerSecond = maxBytesPerSecond;
        this.progress = progress;
    }

    /** A run sent to the secondary, its blocks locked until it answers. */
    private record InFlight(long first, long last, BlockLocks.Held held, CompletableFuture<Void> sent, long offset) {
    }

    /**
     * Copies every dirty block to {@code replica}; returns the final progress (nothing remaining).
     *
     * @throws IOException when the local disk fails or the secondary does (it is dropped then)
     */
    public CopyProgress run(ReplicaTarget replica) throws IOException, InterruptedException {
        DirtyBitmap dirty = fanOut.dirty();
        long total = dirty.dirtyBytes();
        long started = System.nanoTime();
        long lastReport = started;
        long copied = 0;
        long flushedAt = 0;
        ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        try {
            long block = dirty.nextDirty(0);
            while (block >= 0) {
                if (fanOut.target() != replica) {
                    throw new IOException("the secondary was dropped during the resynchronisation");
                }
                long runEnd = runEnd(dirty, block);
                copied += send(replica, block, runEnd, inFlight);
                if (inFlight.size() >= MAX_IN_FLIGHT) {
                    complete(replica, inFlight.poll());
                }
                if (copied - flushedAt >= FLUSH_EVERY_BYTES) {
                    drain(replica, inFlight);
                    flush(replica);
                    flushedAt = copied;
                }
                throttle(copied, started);
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                    lastReport = now;
                    progress.accept(CopyProgress.measured(total, dirty.dirtyBytes(), copied, started, now));
                }
                block = runEnd + 1 < dirty.blockCount() ? dirty.nextDirty(runEnd + 1) : -1;
            }
            drain(replica, inFlight);
        } finally {
            inFlight.forEach(run -> run.held().close()); // after a failure: give the blocks back to the guest
        }
        flush(replica);
        dirty.writeExact(); // the file names no extent's untouched rest any longer
        return CopyProgress.measured(total, dirty.dirtyBytes(), copied, started, System.nanoTime());
    }

    private void flush(ReplicaTarget replica) throws IOException {
        CompletableFuture<Void> flushed = replica.flush();
        if (!fanOut.completes(flushed)) {
            fail(replica, "FLUSH", fanOut.failureOf(flushed));
        }
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

    /** Locks a run's blocks (waiting only with no run in flight), reads it and sends it; returns its bytes. */
    private long send(ReplicaTarget replica, long first, long last, ArrayDeque<InFlight> inFlight) throws IOException {
        BlockLocks.Held held = fanOut.locks().tryLock(first, last);
        if (held == null) {
            drain(replica, inFlight);
            held = fanOut.locks().lock(first, last);
        }
        try {
            DirtyBitmap dirty = fanOut.dirty();
            long offset = first * dirty.blockBytes();
            long end = Math.min((last + 1) * dirty.blockBytes(), fanOut.local().sizeBytes());
            ByteBuffer data = ByteBuffer.allocate((int) (end - offset));
            fanOut.local().read(offset, data);
            inFlight.add(new InFlight(first, last, held, replica.write(offset, data.flip(), false), offset));
            return end - offset;
        } catch (IOException | RuntimeException e) {
            held.close();
            throw e;
        }
    }

    private void drain(ReplicaTarget replica, ArrayDeque<InFlight> inFlight) throws IOException {
        while (!inFlight.isEmpty()) {
            complete(replica, inFlight.poll());
        }
    }

    /** Waits for one run; on success its bits are cleared; its blocks are unlocked either way. */
    private void complete(ReplicaTarget replica, InFlight run) throws IOException {
        try {
            if (!fanOut.completes(run.sent())) {
                fail(replica, "WRITE at " + run.offset(), fanOut.failureOf(run.sent()));
            }
            for (long block = run.first(); block <= run.last(); block++) {
                fanOut.dirty().clear(block);
            }
        } finally {
            run.held().close();
        }
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
}
