package dev.colo.transport.internal;

import dev.colo.api.pair.PairSettings;

/**
 * What the transport's connections share: the settings, the status they update, the counters, the
 * reporter for refused peers and the whiteboard that receives the peer's messages.
 */
public record LinkContext(
        PairSettings settings,
        LinkStatus status,
        LinkCounters counters,
        LinkReporter reporter,
        MessageDispatcher dispatcher) {

    /** Lower bound of the greeting timeout, so that short heartbeats on a loaded host do not refuse peers. */
    private static final long MIN_GREETING_TIMEOUT_MS = 1_000;
    /** Upper bound of the greeting timeout, so that a silent connection is not kept for long. */
    private static final long MAX_GREETING_TIMEOUT_MS = 10_000;
    /** The greeting timeout in heartbeat intervals. */
    private static final long GREETING_TIMEOUT_HEARTBEATS = 10;

    /**
     * Milliseconds a new connection has to complete TLS and its greeting (HELLO/WELCOME) before it is
     * closed: ten heartbeat intervals, between one and ten seconds.
     */
    public long greetingTimeoutMs() {
        long tenHeartbeats = GREETING_TIMEOUT_HEARTBEATS * settings.heartbeatIntervalMs();
        return Math.max(MIN_GREETING_TIMEOUT_MS, Math.min(MAX_GREETING_TIMEOUT_MS, tenHeartbeats));
    }
}
