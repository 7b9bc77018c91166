package dev.colo.checkpoint.internal.run;

import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The secondary's replies to the checkpoint the primary runs, in arrival order. Replies of another epoch (a
 * checkpoint given up on) are skipped; a {@code failed} reply of the current epoch ends the wait.
 */
public final class Replies {
    private final LinkedBlockingQueue<CheckpointMessage> queue = new LinkedBlockingQueue<>();

    /** {@code ready}, {@code received}, ... as the messages are called in errors. */
    private static String name(Class<?> reply) {
        return reply.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** A reply from the secondary (any thread). */
    public void offer(CheckpointMessage reply) {
        queue.add(reply);
    }

    /** Forgets replies still queued (before a checkpoint begins). */
    void clear() {
        queue.clear();
    }

    /**
     * Waits for the reply of type {@code expected} to checkpoint {@code epoch}.
     *
     * @throws CheckpointFailure when the secondary failed it, or nothing came within {@code timeout}
     */
    <T extends CheckpointMessage> T await(long epoch, Class<T> expected, CheckpointStep step, Duration timeout)
            throws InterruptedException, CheckpointFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CheckpointMessage reply = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (reply == null) {
                throw new CheckpointFailure(step, "no " + name(expected) + " from the secondary within "
                        + timeout.toMillis() + " ms");
            }
            if (reply.epoch() != epoch) {
                continue;
            }
            if (reply instanceof CheckpointMessage.Failed failed) {
                throw new CheckpointFailure(step, "the secondary failed it: " + failed.detail());
            }
            if (expected.isInstance(reply)) {
                return expected.cast(reply);
            }
            throw new CheckpointFailure(step, "the secondary sent " + reply.type() + " where " + name(expected)
                    + " was due");
        }
    }
}
