package dev.colo.replication.internal.primary;

import dev.colo.api.replication.ReplicationMode;
import dev.colo.api.storage.BlockDevice;
import dev.colo.replication.internal.blocks.BlockLocks;
import dev.colo.replication.internal.blocks.IoAction;
import dev.colo.replication.internal.generation.LackedChanges;
import dev.colo.storage.DirtyBitmap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The primary's write path: each write goes to the local disk and to the secondary, and (in
 * {@link ReplicationMode#SYNC}) is acknowledged when both completed. A failure or a timeout of the
 * secondary never fails the guest's write: the secondary is dropped (degraded), the write is recorded as one
 * the secondary lacks ({@link LackedChanges}) before it is acknowledged, and every later write is recorded the
 * same way until re-protection.
 */
public final class PrimaryFanOut {

    /** Told once when the secondary is dropped. */
    @FunctionalInterface
    public interface DegradedListener {
        void degraded(String reason);
    }

    private final BlockDevice local;
    private final LackedChanges lacked;
    private final DirtyBitmap dirty;
    private final ReplicationMode mode;
    private final Duration timeout;
    private final DegradedListener listener;
    private final AtomicReference<ReplicaTarget> target = new AtomicReference<>();
    /** Held by each write for its blocks and by the resynchronisation for the blocks it copies. */
    private final BlockLocks locks = new BlockLocks();
    private volatile boolean resynchronising;

    public PrimaryFanOut(BlockDevice local, LackedChanges lacked, ReplicationMode mode, Duration timeout,
            DegradedListener listener) {
        this.local = local;
        this.lacked = lacked;
        this.dirty = lacked.dirty();
        this.mode = mode;
        this.timeout = timeout;
        this.listener = listener;
    }

    /**
     * Starts sending to {@code replica}. With {@code resynchronising}, the blocks it lacks (the dirty ones)
     * are still to be copied: the pair is not protected until {@link #resynchronised}.
     */
    public void attach(ReplicaTarget replica, boolean resynchronising) {
        this.resynchronising = resynchronising;
        ReplicaTarget previous = target.getAndSet(replica);
        if (previous != null) {
            previous.close();
        }
    }

    /** The secondary has every block: the pair is protected again. */
    public void resynchronised() {
        resynchronising = false;
    }

    /** Whether every write reaches the secondary and it lacks no block: checkpoints are meaningful. */
    public boolean protecting() {
        return target.get() != null && !resynchronising;
    }

    /**
     * Whether {@code replica} is still attached and lacks no block (at the end of its resynchronisation): a
     * change it failed is marked dirty before it is dropped.
     */
    public boolean hasEverything(ReplicaTarget replica) {
        return target.get() == replica && dirty.dirtyBlocks() == 0;
    }

    ReplicaTarget target() {
        return target.get();
    }

    BlockLocks locks() {
        return locks;
    }

    BlockDevice local() {
        return local;
    }

    DirtyBitmap dirty() {
        return dirty;
    }

    Duration timeout() {
        return timeout;
    }

    /** Stops sending; later writes are recorded in the dirty bitmap. */
    public void detach() {
        ReplicaTarget previous = target.getAndSet(null);
        if (previous != null) {
            previous.close();
        }
    }

    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        int length = src.remaining();
        fanOut(offset, length, "WRITE", replica -> replica.write(offset, src, fua), () -> {
            if (fua) {
                local.writeDurable(offset, src);
            } else {
                local.write(offset, src);
            }
        });
    }

    public void writeZeroes(long offset, long length) throws IOException {
        fanOut(offset, length, "WRITE_ZEROES", replica -> replica.writeZeroes(offset, length),
                () -> local.writeZeroes(offset, length));
    }

    public void trim(long offset, long length) throws IOException {
        fanOut(offset, length, "TRIM", replica -> replica.trim(offset, length), () -> local.trim(offset, length));
    }

    /**
     * One change under the lock of its blocks: sent to the secondary, applied locally meanwhile, settled;
     * with no secondary, recorded as lacked first.
     */
    private void fanOut(long offset, long length, String what, Function<ReplicaTarget, CompletableFuture<Void>> send,
            IoAction apply) throws IOException {
        try (BlockLocks.Held held = locks.lockBytes(offset, length, dirty.blockBytes())) {
            ReplicaTarget replica = target.get();
            if (replica == null) {
                lacked.record(offset, length);
                apply.run();
                return;
            }
            CompletableFuture<Void> sent = send.apply(replica);
            apply.run();
            settle(replica, sent, offset, length, what);
        }
    }

    /** Flushes both disks; a secondary that cannot flush is dropped (its unflushed blocks are unknown). */
    public void flush() throws IOException {
        ReplicaTarget replica = target.get();
        CompletableFuture<Void> sent = replica == null ? null : replica.flush();
        local.flush();
        if (sent != null && !completes(sent)) {
            drop(replica, "the secondary did not complete a FLUSH: " + failureOf(sent));
            // the guest is told its writes are durable, which they may not be on the secondary
            lacked.generations().diverge();
        }
    }

    /** Waits for the secondary (SYNC) or not (ASYNC); on its failure, records the change as lacked and drops it. */
    private void settle(ReplicaTarget replica, CompletableFuture<Void> sent, long offset, long length, String what)
            throws IOException {
        if (mode == ReplicationMode.ASYNC) {
            sent.whenComplete((ok, failure) -> {
                if (failure != null) {
                    try {
                        lost(replica, "the secondary failed " + what + ": " + failure, offset, length);
                    } catch (IOException e) {
                        // the bitmap or generation file failed too: the disk's error says so
                        listener.degraded("could not record a write the secondary lacks: " + e.getMessage());
                    }
                }
            });
            return;
        }
        if (!completes(sent)) {
            lost(replica, "the secondary did not complete " + what + " at " + offset + ": " + failureOf(sent), offset,
                    length);
        }
    }

    /** {@code replica} failed a change the guest is told is done: recorded as lacked, then dropped (in any case). */
    private void lost(ReplicaTarget replica, String reason, long offset, long length) throws IOException {
        try {
            lacked.record(offset, length);
        } finally {
            drop(replica, reason);
        }
    }

    boolean completes(CompletableFuture<Void> sent) {
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    String failureOf(CompletableFuture<Void> sent) {
        if (!sent.isDone()) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        try {
            sent.join();
            return "completed late";
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
    }

    /** Drops {@code replica} if it is still the target: the pair is degraded. */
    void drop(ReplicaTarget replica, String reason) {
        if (target.compareAndSet(replica, null)) {
            replica.close();
            listener.degraded(reason);
        }
    }
}
