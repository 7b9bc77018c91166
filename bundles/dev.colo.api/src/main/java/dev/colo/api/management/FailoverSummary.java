package dev.colo.api.management;

/**
 * One failover as an operator reads it.
 *
 * @param startedAt      when it was requested, ISO-8601 UTC; empty before the first
 * @param durationMillis from the request to COMPLETED or FAILED (0 while under way)
 * @param reason         why it was requested (peer DEAD, operator)
 * @param outcome        COMPLETED, FAILED, or the state it is in
 * @param detail         why it failed; empty otherwise
 */
public record FailoverSummary(String startedAt, long durationMillis, String reason, String outcome, String detail) {
    public static final FailoverSummary NONE = new FailoverSummary("", 0, "", "", "");
}
