package dev.colo.checkpoint.internal.schedule;

import dev.colo.api.checkpoint.CheckpointOutcome;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.util.Threads;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when checkpoints run (DESIGN §5): when asked (miscompare, compare timeout, queue bound, operator),
 * and every {@code interval} without one (periodic). One runs at a time, never sooner than {@code minGap}
 * after the previous ended; requests made meanwhile coalesce into the next one, which records all their
 * reasons, and each request's future completes with the outcome of the checkpoint that served it. Without periodic
 * checkpoints, one that did not complete is followed by another (for {@link CheckpointReason#PROTECT}) every
 * {@value #RETRY_MILLIS} ms until one does: nothing else would end the pair's unprotected state (an unprotected
 * pair compares nothing, so no miscompare asks for one).
 */
public final class CheckpointScheduler implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(CheckpointScheduler.class);
    static final long RETRY_MILLIS = 1000;
    private static final CheckpointOutcome STOPPED = new CheckpointOutcome(-1, false, "the checkpoint scheduler stopped");

    private final long intervalMillis;
    private final long minGapMillis;
    private final Function<Set<CheckpointReason>, CheckpointOutcome> runner;
    private final ScheduledExecutorService thread;
    private final List<CompletableFuture<CheckpointOutcome>> waiting = new ArrayList<>();
    private final Set<CheckpointReason> reasons = EnumSet.noneOf(CheckpointReason.class);
    private boolean drainScheduled;
    private boolean closed;
    private long lastEndNanos = System.nanoTime();
    private ScheduledFuture<?> periodic;
    private boolean lastCompleted = true;

    /**
     * @param intervalMillis periodic checkpoints this long after the last one; 0 for none
     * @param runner         runs one checkpoint for these reasons (on the scheduler's thread)
     */
    public CheckpointScheduler(String name, long intervalMillis, long minGapMillis,
            Function<Set<CheckpointReason>, CheckpointOutcome> runner) {
        this.intervalMillis = intervalMillis;
        this.minGapMillis = minGapMillis;
        this.runner = runner;
        this.thread = Executors.newSingleThreadScheduledExecutor(Threads.named("colo-checkpoint-" + name + "-"));
    }

    /** Starts the periodic checkpoints. */
    public synchronized void start() {
        armPeriodic();
    }

    /** Asks for a checkpoint; completes with the outcome of the one that serves this request. */
    public synchronized CompletableFuture<CheckpointOutcome> request(CheckpointReason reason) {
        if (closed) {
            return CompletableFuture.completedFuture(STOPPED);
        }
        CompletableFuture<CheckpointOutcome> outcome = new CompletableFuture<>();
        waiting.add(outcome);
        reasons.add(reason);
        if (!drainScheduled) {
            drainScheduled = true;
            long waitNanos = Math.max(0, lastEndNanos + minGapMillis * 1_000_000 - System.nanoTime());
            thread.schedule(this::drain, waitNanos, TimeUnit.NANOSECONDS);
        }
        return outcome;
    }

    private void drain() {
        List<CompletableFuture<CheckpointOutcome>> served;
        Set<CheckpointReason> why;
        synchronized (this) {
            served = new ArrayList<>(waiting);
            why = EnumSet.copyOf(reasons);
            waiting.clear();
            reasons.clear();
            drainScheduled = false;
        }
        CheckpointOutcome outcome;
        try {
            outcome = runner.apply(why);
        } catch (RuntimeException e) {
            logger.error("Checkpoint for {} failed unexpectedly", why, e);
            outcome = new CheckpointOutcome(-1, false, e.toString());
        }
        synchronized (this) {
            lastEndNanos = System.nanoTime();
            lastCompleted = outcome.completed();
            armPeriodic();
        }
        CheckpointOutcome result = outcome;
        served.forEach(future -> future.complete(result));
    }

    /**
     * The next periodic checkpoint: {@code interval} after the last one ended, whatever its reason; without them,
     * the next try after one that did not complete.
     */
    private void armPeriodic() {
        if (periodic != null) {
            periodic.cancel(false);
        }
        if (closed) {
            return;
        }
        if (intervalMillis > 0) {
            periodic = thread.schedule(() -> request(CheckpointReason.PERIODIC), intervalMillis, TimeUnit.MILLISECONDS);
        } else if (!lastCompleted) {
            periodic = thread.schedule(() -> request(CheckpointReason.PROTECT), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        thread.shutdownNow();
        waiting.forEach(future -> future.complete(STOPPED));
        waiting.clear();
    }
}
