package dev.colo.failover.internal.switchover;

import dev.colo.api.checkpoint.CheckpointRequests;
import java.time.Duration;

/**
 * The checkpoint coordinator while the pair is protected (it offers itself only then), and a way to wait for it: a
 * component that fails just as a checkpoint completes must not find the pair "unprotected" only because the
 * coordinator's service is still being announced.
 */
public final class ProtectedPair {
    private CheckpointRequests coordinator;

    public synchronized void offered(CheckpointRequests offered) {
        coordinator = offered;
        notifyAll();
    }

    public synchronized void withdrawn(CheckpointRequests withdrawn) {
        if (coordinator == withdrawn) {
            coordinator = null;
        }
    }

    /** The coordinator now, or null while the pair is not protected. */
    public synchronized CheckpointRequests now() {
        return coordinator;
    }

    /** The coordinator as soon as the pair is protected, or null if it is not within {@code atMost}. */
    public synchronized CheckpointRequests await(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (long left = atMost.toNanos(); coordinator == null && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return coordinator;
    }
}
