package dev.colo.heartbeat.internal;

import dev.colo.api.heartbeat.PeerHealth;
import java.util.Optional;
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

    private final long suspectAfterMillis;
    private final long timeoutMillis;
    private final AtomicReference<PeerHealth> health = new AtomicReference<>(PeerHealth.UNKNOWN);

    FailureDetector(long intervalMillis, long timeoutMillis) {
        this.suspectAfterMillis = suspectAfterMillis(intervalMillis, timeoutMillis);
        this.timeoutMillis = timeoutMillis;
    }

    PeerHealth health() {
        return health.get();
    }

    long suspectAfterMillis() {
        return suspectAfterMillis;
    }

    /**
     * What the health should be. Pure: a function of the silence ({@code -1} = never heard), of whether
     * a connection to the peer is up, and of whether the peer's host refused a connection since the peer was last
     * heard. A peer never heard stays UNKNOWN: a node alone draws no conclusion. A peer that is silent for the
     * suspicion time and whose host refuses connections is DEAD without waiting for the timeout: its process is
     * gone (a crash, {@code kill -9}), which a partition or a frozen process never looks like.
     */
    PeerHealth assess(long silenceMillis, boolean anyConnectionUp, boolean refusedSinceHeard) {
        if (silenceMillis < 0) {
            return PeerHealth.UNKNOWN;
        }
        if (silenceMillis >= timeoutMillis || (refusedSinceHeard && silenceMillis >= suspectAfterMillis)) {
            return PeerHealth.DEAD;
        }
        if (silenceMillis >= suspectAfterMillis || !anyConnectionUp) {
            return PeerHealth.SUSPECTED;
        }
        return PeerHealth.ALIVE;
    }

    /** Re-assesses and moves the state by compare-and-set; returns the transition if there was one. */
    Optional<Transition> update(long silenceMillis, boolean anyConnectionUp, boolean refusedSinceHeard) {
        PeerHealth next = assess(silenceMillis, anyConnectionUp, refusedSinceHeard);
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
}
