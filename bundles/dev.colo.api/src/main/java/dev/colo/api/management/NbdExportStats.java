package dev.colo.api.management;

/**
 * A snapshot of one export's counters since activation; an MXBean attribute (a record, so JMX consoles
 * see it as CompositeData). Request counts and bytes are per command and count requests that passed
 * validation; bytes are payload bytes (READ, WRITE) or the range length (TRIM, WRITE_ZEROES,
 * BLOCK_STATUS). {@code errorReplies} counts every error reply, refused by validation or failed in the
 * store; {@code connectionsClosedForProtocolErrors} counts framing errors.
 */
public record NbdExportStats(long connectionsAccepted, int connectionsOpen, long connectionsClosedForProtocolErrors,
        long readRequests, long readBytes, long writeRequests, long writeBytes, long flushRequests,
        long trimRequests, long trimBytes, long writeZeroesRequests, long writeZeroesBytes,
        long blockStatusRequests, long disconnectRequests, long errorReplies, int requestsInFlight) {
}
