package dev.colo.failover.internal.reprotect;

import dev.colo.api.Role;
import dev.colo.api.failover.FailoverState;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.management.ReprotectionPhase;
import dev.colo.api.management.ReprotectionProgress;
import dev.colo.api.replication.CopyProgress;
import java.util.List;

/**
 * Where re-protection stands, judged from what this node knows: its role, a failover under way, the peer's
 * health, its disks (dirty bytes and the resynchronisation) and whether the pair is protected. Pure: no
 * threads, no OSGi.
 */
public final class Reprotection {
    /** What the node knows at one moment. */
    public record Facts(Role role, FailoverState failover, PeerHealth peer, List<Disk> disks, boolean protecting,
            String secondary) {
    }

    /**
     * One protected disk as re-protection sees it.
     *
     * @param degraded without its secondary: writes are recorded, nothing is copied until it is attached again
     */
    public record Disk(String name, long dirtyBytes, CopyProgress resync, boolean degraded) {
    }

    private Reprotection() {
    }

    public static ReprotectionProgress assess(Facts facts) {
        long remaining = facts.disks().stream().mapToLong(Disk::dirtyBytes).sum();
        long total = facts.disks().stream().mapToLong(disk -> Math.max(disk.resync().totalBytes(), disk.dirtyBytes()))
                .sum();
        ReprotectionPhase phase = phase(facts, remaining);
        // a share done and a time left only while a copy runs: nothing moves while the secondary is away
        boolean copying = phase == ReprotectionPhase.RESYNCHRONISING || phase == ReprotectionPhase.CHECKPOINTING
                || phase == ReprotectionPhase.PROTECTED;
        int percent = !copying ? -1 : total == 0 ? 100 : (int) (100 * (total - Math.min(remaining, total)) / total);
        long rate = facts.disks().stream().mapToLong(disk -> disk.resync().bytesPerSecond()).sum();
        long eta = !copying ? -1 : remaining == 0 ? 0 : rate <= 0 ? -1 : (remaining + rate - 1) / rate;
        return new ReprotectionProgress(phase, percent, eta, remaining, facts.secondary(), detail(phase, facts,
                remaining));
    }

    private static ReprotectionPhase phase(Facts facts, long remaining) {
        if (facts.role() != Role.PRIMARY) {
            return ReprotectionPhase.NOT_PRIMARY;
        }
        if (facts.failover() == FailoverState.REQUESTED || facts.failover() == FailoverState.ACTIVE) {
            return ReprotectionPhase.FAILOVER_UNDER_WAY;
        }
        if (facts.protecting()) {
            return ReprotectionPhase.PROTECTED;
        }
        if (facts.peer() != PeerHealth.ALIVE) {
            return ReprotectionPhase.WAITING_FOR_SECONDARY;
        }
        boolean detached = facts.disks().stream().anyMatch(Disk::degraded);
        return remaining > 0 || detached ? ReprotectionPhase.RESYNCHRONISING : ReprotectionPhase.CHECKPOINTING;
    }

    private static String detail(ReprotectionPhase phase, Facts facts, long remaining) {
        return switch (phase) {
            case NOT_PRIMARY -> "this node is the " + (facts.role() == null ? "(unconfigured)"
                    : facts.role().configValue()) + ": re-protection is driven from the primary";
            case FAILOVER_UNDER_WAY -> "a failover is " + facts.failover() + " on this node";
            case WAITING_FOR_SECONDARY -> "waiting for a secondary at " + facts.secondary() + " (peer "
                    + facts.peer() + "): start the returning or new node there with role = secondary; "
                    + remaining + " bytes to copy to it then";
            case RESYNCHRONISING -> facts.disks().stream().filter(Disk::degraded).findFirst()
                    .map(disk -> "attaching disk " + disk.name() + " to the secondary again (" + remaining
                            + " bytes to copy then)")
                    .orElse("copying the " + remaining + " bytes the secondary lacks");
            case CHECKPOINTING -> "disks in sync; waiting for the full checkpoint";
            case PROTECTED -> "the pair is protected";
        };
    }
}
