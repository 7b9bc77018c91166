package dev.colo.failover.internal.reprotect;

import dev.colo.api.management.ReprotectionProgress;

/** Re-protection as the Failover MXBean offers it. */
public interface ReprotectionControl {
    ReprotectionProgress progress();

    /** Starts re-protection now if it can; returns what was done or why not. */
    String reprotect();
}
