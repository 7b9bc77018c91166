package dev.colo.api.management;

/**
 * The counters of one protected service's proxy.
 *
 * @param connections          connections (or flows) open now
 * @param comparedBytes        output bytes of the primary's guest
 * @param releasedBytes        bytes released to clients
 * @param heldBytes            bytes held back now, waiting for the secondary or a checkpoint
 * @param miscompares          times the guests' outputs differed
 * @param compareTimeouts      times held output waited longer than the compare timeout
 * @param boundsReached        times a connection's held output reached its bound
 * @param peerBacklogBytes     bytes waiting for the peer link now (reading stops at the service's bound)
 * @param datagramsDropped     UDP client datagrams dropped, before either guest saw them, while the peer
 *                             link's backlog was at its bound (a UDP flow cannot be paused)
 * @param releaseLatencyP50Micros median wait of released output (µs; an upper bound by power of two)
 * @param releaseLatencyP99Micros 99th percentile of that wait (µs)
 */
public record ProxyStats(int connections, long comparedBytes, long releasedBytes, long heldBytes, long miscompares,
        long compareTimeouts, long boundsReached, long peerBacklogBytes, long datagramsDropped,
        long releaseLatencyP50Micros, long releaseLatencyP99Micros) {
}
