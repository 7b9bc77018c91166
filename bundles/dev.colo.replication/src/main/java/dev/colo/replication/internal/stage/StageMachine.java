package dev.colo.replication.internal.stage;

import dev.colo.api.replication.ReplicationStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stage of one disk with compare-and-set transitions: a transition happens only from the stage the
 * caller saw and only along {@link ReplicationStage#next()}, so two concurrent failovers cannot both start.
 * Each transition is reported to the listener (which logs and publishes it).
 */
public final class StageMachine {

    /** Told of every transition, after it happened, on the thread that made it. */
    @FunctionalInterface
    public interface TransitionListener {
        void moved(ReplicationStage from, ReplicationStage to, String reason);
    }

    private final AtomicReference<ReplicationStage> stage;
    private final TransitionListener listener;

    public StageMachine(ReplicationStage initial, TransitionListener listener) {
        this.stage = new AtomicReference<>(initial);
        this.listener = listener;
    }

    public ReplicationStage current() {
        return stage.get();
    }

    /**
     * Moves from {@code expected} to {@code target}.
     *
     * @return false if the stage was not {@code expected} (someone else moved it first)
     * @throws IllegalStateException if the design does not allow {@code expected → target}
     */
    public boolean move(ReplicationStage expected, ReplicationStage target, String reason) {
        if (!expected.canMoveTo(target)) {
            throw new IllegalStateException("a disk cannot go from " + expected + " to " + target);
        }
        if (!stage.compareAndSet(expected, target)) {
            return false;
        }
        listener.moved(expected, target, reason);
        return true;
    }

    /**
     * Moves from the current stage to {@code target}, if allowed from there.
     *
     * @throws IllegalStateException naming the current stage when {@code target} cannot be reached from it
     */
    public ReplicationStage moveTo(ReplicationStage target, String reason) {
        while (true) {
            ReplicationStage from = stage.get();
            if (!from.canMoveTo(target)) {
                throw new IllegalStateException("the disk is " + from + "; it cannot go to " + target);
            }
            if (move(from, target, reason)) {
                return from;
            }
        }
    }
}
