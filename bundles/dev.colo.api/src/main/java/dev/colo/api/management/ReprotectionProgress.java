package dev.colo.api.management;

/**
 * Re-protection as an operator follows it.
 *
 * @param phase                where it stands
 * @param resyncPercent        how much of the disks' resynchronisation is done (100 when nothing is left), -1
 *                             while no copy can run (no secondary, not the primary, a failover under way)
 * @param resyncEtaSeconds     the resynchronisation's expected remaining time, -1 when unknown
 * @param resyncRemainingBytes bytes the secondary still lacks, over all disks
 * @param secondary            the secondary's configured address (host:port of its peer link)
 * @param detail               what is waited for, in words
 */
public record ReprotectionProgress(ReprotectionPhase phase, int resyncPercent, long resyncEtaSeconds,
        long resyncRemainingBytes, String secondary, String detail) {
}
