package dev.colo.api.health;

import java.util.List;

/**
 * This node's own health, as its components report it: {@code OK}, or {@code FAILED} while any component has a
 * failure it has not recovered from (a thread that died of an uncaught error, a guest that stopped making
 * progress). A service of the management bundle; every change is a {@link dev.colo.api.event.NodeHealthChanged}
 * event.
 */
public interface NodeHealth {
    /** {@code OK} or {@code FAILED}. */
    enum Status { OK, FAILED }

    Status status();

    /** The failures not yet recovered from, each {@code component: problem}. */
    List<String> problems();

    /** {@code component} failed; the node is FAILED until it {@link #recovered}. */
    void failed(String component, String problem);

    /** {@code component} works again (a no-op if it had not failed). */
    void recovered(String component, String how);
}
