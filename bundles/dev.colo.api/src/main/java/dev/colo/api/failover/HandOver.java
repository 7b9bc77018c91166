package dev.colo.api.failover;

import java.util.concurrent.CompletableFuture;

/**
 * Asked by a component of the primary that cannot serve and that restarting did not mend (a guest or a proxy beyond
 * its {@link dev.colo.api.health.RestartWindow}): the primary role goes to the secondary if it holds this node's
 * state, as in a switchover but without a final checkpoint (a failed component has no state to give; the secondary
 * ran every request whose reply a client received, as it does for a failover). A service of the failover bundle.
 */
public interface HandOver {
    /**
     * Starts the hand-over and returns at once; completes with {@code handed over to NODE} once this node is the
     * secondary, or with why not (not the primary, the pair not protected, the secondary refused or did not
     * answer). The failed component stays as it is until then: a guest that stopped would let the proxy release
     * output the secondary has not confirmed.
     */
    CompletableFuture<String> request(String component, String problem);
}
