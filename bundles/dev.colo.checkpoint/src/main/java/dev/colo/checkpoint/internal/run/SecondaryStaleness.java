package dev.colo.checkpoint.internal.run;

import dev.colo.api.heartbeat.PeerHealth;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether this secondary holds the primary's state. It does from a loaded checkpoint on, for as long as nothing
 * could have let the primary go on alone unseen: a failed checkpoint or the primary ending protection (told), the
 * contact with the primary lost (the failure detector left ALIVE) and regained, or a stall of this node (a GC
 * pause, SIGSTOP) make it stale until the next checkpoint loads. A coordinator that (re)starts begins stale. Lost
 * contact alone does not: that is what a dying primary looks like, and then this node must take over. Pure; every
 * method is thread-safe and returns the change it made, if any.
 */
public final class SecondaryStaleness {
    private static final long NEVER = Long.MIN_VALUE;

    /** A change between holding the primary's state and being stale. */
    public record Change(long epoch, boolean stale, String reason) {
    }

    private long loadedEpoch = -1;
    private long loadedNanos = NEVER;
    private String staleReason = "no checkpoint loaded since this node's checkpoint coordinator started";
    private Instant staleSince = Instant.now();
    /** The worst health the primary had since contact was lost, while this node still held its state. */
    private PeerHealth interruption;

    public synchronized long loadedEpoch() {
        return loadedEpoch;
    }

    /** Empty while this node holds the primary's state; otherwise why not, and since when. */
    public synchronized Optional<String> staleReason() {
        return staleReason == null ? Optional.empty() : Optional.of(staleReason + " (since " + staleSince + ")");
    }

    /** The primary's state of {@code epoch} is loaded here (at {@code nowNanos}, {@link System#nanoTime()}). */
    public synchronized Optional<Change> loaded(long epoch, long nowNanos) {
        loadedEpoch = epoch;
        loadedNanos = nowNanos;
        interruption = null;
        if (staleReason == null) {
            return Optional.empty();
        }
        staleReason = null;
        return Optional.of(new Change(epoch, false, "checkpoint " + epoch + " loaded"));
    }

    /** This node no longer holds the primary's state, for {@code why}; the first reason stays until a load. */
    public synchronized Optional<Change> stale(String why) {
        if (staleReason != null) {
            return Optional.empty();
        }
        staleReason = why;
        staleSince = Instant.now();
        return Optional.of(new Change(loadedEpoch, true, why));
    }

    /** The failure detector's view of the primary, in the order it changed. */
    public synchronized Optional<Change> peerHealth(PeerHealth health) {
        if (health != PeerHealth.ALIVE) {
            if (staleReason == null && (interruption == null || health.compareTo(interruption) > 0)) {
                interruption = health;
            }
            return Optional.empty();
        }
        PeerHealth lost = interruption;
        interruption = null;
        return lost == null ? Optional.empty() : stale("the contact with the primary was lost (it was " + lost
                + ") and came back: the primary may have gone on alone meanwhile");
    }

    /**
     * This node's failure detector saw a stall of this node end at {@code stallEndedNanos} ({@link Long#MIN_VALUE}:
     * never): after a load, the primary may have found this node silent and gone on alone.
     */
    public synchronized Optional<Change> stalled(long stallEndedNanos) {
        if (stallEndedNanos == NEVER || loadedNanos == NEVER || stallEndedNanos - loadedNanos <= 0) {
            return Optional.empty();
        }
        return stale("this node was stalled after checkpoint " + loadedEpoch
                + " loaded (a GC pause, a frozen process): the primary may have gone on alone meanwhile");
    }
}
