package dev.colo.api.management;

import java.util.Collection;

/**
 * Whether a node's pair is protected, as {@code colo:status} and {@code bin/colo status} report it from the node's
 * MXBeans: its checkpoints protect it ({@link CheckpointMXBean#isProtecting()}) and every service proxy of the node
 * listens ({@link ProxyMXBean#isServiceListening()}). A client refused a connection is not protected, whatever the
 * checkpoints say.
 */
public final class PairProtection {
    private PairProtection() {
    }

    /** @param servicesListening {@code ServiceListening} of each Proxy MXBean of the node (none: nothing refused) */
    public static boolean isProtected(boolean checkpointsProtect, Collection<Boolean> servicesListening) {
        return checkpointsProtect && servicesListening.stream().allMatch(Boolean.TRUE::equals);
    }
}
