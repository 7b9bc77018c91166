package dev.colo.heartbeat.internal;

import dev.colo.api.heartbeat.PeerHealth;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The peer-health state machine, free of threads and OSGi: fed the time since the peer was last heard
 * and whether any connection to it is up, it moves between {@link PeerHealth} states by compare-and-set
 * and reports each transition once.
 */
final class FailureDetector {
    /** Silence after which a live peer is only suspected: two intervals, but never more than half the timeout. */
    static long suspectAfterMillis(long intervalMillis, long timeoutMillis) {
        return Math.min(2 * intervalMillis, timeoutMillis / 2);
    }

    /** A change of health, with the silence that caused it. */
    record Transition(PeerHealth previous, PeerHealth current, long silenceMillis) {
    }

    private static final long NEVER = Long.MIN_VALUE;

    private final long suspectAfterMillis;
    private final long timeoutMillis;
    private final long startedNanos;
    private final AtomicReference<PeerHealth> health = new AtomicReference<>(PeerHealth.UNKNOWN);

    /** @param startedNanos {@link System#nanoTime()} when this detector starts judging the peer */
    FailureDetector(long intervalMillis, long timeoutMillis, long startedNanos) {
        this.suspectAfterMillis = suspectAfterMillis(intervalMillis, timeoutMillis);
        this.timeoutMillis = timeoutMillis;
        this.startedNanos = startedNanos;
    }

    PeerHealth health() {
        return health.get();
    }

    long suspectAfterMillis() {
        return suspectAfterMillis;
    }

    long startedNanos() {
        return startedNanos;
    }

    /**
     * What the health should be at {@code nowNanos}. Pure: a function of the silence ({@code -1} = never heard), of
     * when the peer was last heard, of whether a connection to the peer is up, and of whether the peer's host refused
     * a connection since the peer was last heard. A peer never heard stays UNKNOWN: a node alone draws no conclusion.
     * A peer that is silent for the suspicion time and whose host refuses connections is DEAD without waiting for the
     * timeout: its process is gone (a crash, {@code kill -9}), which a partition or a frozen process never looks like.
     * That proof counts only for a peer heard since this detector started: for a peer last heard before, a refusal
     * may come from this node's own restart (both ends of the link being torn down), not from the peer's death. And no
     * peer is DEAD before this detector has run for one timeout (the start-up grace): after a restart of this node,
     * the peer's last frames date from before it, and a live peer must be given a full timeout to be heard again.
     */
    PeerHealth assess(long nowNanos, long lastHeardNanos, long silenceMillis, boolean anyConnectionUp,
            boolean refusedSinceHeard) {
        if (silenceMillis < 0) {
            return PeerHealth.UNKNOWN;
        }
        boolean refusalProvesDeath = refusedSinceHeard && heardSinceStart(lastHeardNanos);
        if (!inStartUpGrace(nowNanos) && (silenceMillis >= timeoutMillis
                || (refusalProvesDeath && silenceMillis >= suspectAfterMillis))) {
            return PeerHealth.DEAD;
        }
        if (silenceMillis >= suspectAfterMillis || !anyConnectionUp) {
            return PeerHealth.SUSPECTED;
        }
        return PeerHealth.ALIVE;
    }

    /** Re-assesses and moves the state by compare-and-set; returns the transition if there was one. */
    Optional<Transition> update(long nowNanos, long lastHeardNanos, long silenceMillis, boolean anyConnectionUp,
            boolean refusedSinceHeard) {
        PeerHealth next = assess(nowNanos, lastHeardNanos, silenceMillis, anyConnectionUp, refusedSinceHeard);
        PeerHealth previous = health.get();
        if (previous == PeerHealth.UNKNOWN && next == PeerHealth.SUSPECTED && silenceMillis < suspectAfterMillis) {
            // first contact: the peer's first frames can arrive before all connections are counted up
            return Optional.empty();
        }
        if (previous == PeerHealth.ALIVE && next == PeerHealth.DEAD) {
            // a late check (a pause of this JVM) must not skip the warning: DEAD follows on the next check
            next = PeerHealth.SUSPECTED;
        }
        if (previous == next || !health.compareAndSet(previous, next)) {
            return Optional.empty();
        }
        return Optional.of(new Transition(previous, next, silenceMillis));
    }

    private boolean inStartUpGrace(long nowNanos) {
        return nowNanos - startedNanos < TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    private boolean heardSinceStart(long lastHeardNanos) {
        return lastHeardNanos != NEVER && lastHeardNanos - startedNanos > 0;
    }
}
