package dev.colo.checkpoint.internal.run;

import dev.colo.api.checkpoint.CheckpointStep;

/** A checkpoint failed at {@link #step()}; the message says why. */
public final class CheckpointFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final CheckpointStep step;

    public CheckpointFailure(CheckpointStep step, String message) {
        super(message);
        this.step = step;
    }

    public CheckpointStep step() {
        return step;
    }
}
