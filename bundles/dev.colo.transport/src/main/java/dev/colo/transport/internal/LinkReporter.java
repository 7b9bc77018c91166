package dev.colo.transport.internal;

import dev.colo.api.ColoException;
import dev.colo.api.NodeId;
import dev.colo.api.Role;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.LinkStateChanged;
import dev.colo.api.event.PeerRefused;
import dev.colo.api.transport.LinkState;
import java.util.function.Supplier;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the operator (log) and the other bundles (EventAdmin, when bound) what the link does. */
public final class LinkReporter implements LinkStatus.Observer {
    private static final Logger LOG = LoggerFactory.getLogger(LinkReporter.class);

    private final NodeId nodeId;
    private final Role role;
    private final Supplier<EventAdmin> eventAdmin;
    private final LinkCounters counters;

    public LinkReporter(NodeId nodeId, Role role, Supplier<EventAdmin> eventAdmin, LinkCounters counters) {
        this.nodeId = nodeId;
        this.role = role;
        this.eventAdmin = eventAdmin;
        this.counters = counters;
    }

    @Override
    public void stateChanged(LinkState previous, LinkState current, String reason) {
        LOG.info("Peer link {} -> {}: {}", previous, current, reason);
        ColoEvents.post(eventAdmin.get(), new LinkStateChanged(source(), previous, current, reason));
    }

    /** An incoming connection was refused: count it, warn, and publish it. */
    public void peerRefused(String remote, ColoException error) {
        counters.peerRefused();
        LOG.warn("Refused connection from {}: {}", remote, error.getMessage());
        ColoEvents.post(eventAdmin.get(), new PeerRefused(source(), remote, error.code(), error.getMessage()));
    }

    private EventSource source() {
        return EventSource.now(nodeId.value(), role);
    }
}
