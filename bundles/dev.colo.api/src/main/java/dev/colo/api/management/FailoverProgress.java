package dev.colo.api.management;

/**
 * A failover as an operator follows it.
 *
 * @param state                NONE, REQUESTED, ACTIVE, COMPLETED or FAILED
 * @param step                 what it does now (fencing, committing the disks, becoming the primary, takeover
 *                             command); empty when none runs
 * @param commitPercent        how much of the disks' commit of A and H into S is done (100 when nothing is left)
 * @param commitEtaSeconds     the commit's expected remaining time, -1 when unknown
 * @param commitRemainingBytes bytes still to copy into S, over all disks
 * @param elapsedMillis        since it was requested, or its whole duration once it ended; 0 before the first
 */
public record FailoverProgress(String state, String step, int commitPercent, long commitEtaSeconds,
        long commitRemainingBytes, long elapsedMillis) {
}
