package dev.colo.management.internal;

import dev.colo.api.event.ColoTopics;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.PeerLinkMXBean;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerLinkStats;
import javax.management.DynamicMBean;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The {@value PeerLinkMXBean#OBJECT_NAME} MXBean, there while the peer link runs; notifications of its state. */
@Component(service = {DynamicMBean.class, EventHandler.class}, property = {
    "jmx.objectname=" + PeerLinkMXBean.OBJECT_NAME,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.LINK_STATE_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_REFUSED})
public final class PeerLinkMXBeanComponent extends NotifyingMXBean implements PeerLinkMXBean {
    private final PeerLink link;

    @Activate
    public PeerLinkMXBeanComponent(@Reference PeerLink link) {
        super(PeerLinkMXBean.class, new EventNotifications(OBJECT_NAME,
                EventNotifications.Topic.changing(ColoTopics.LINK_STATE_CHANGED, "State"),
                EventNotifications.Topic.of(ColoTopics.PEER_REFUSED)));
        this.link = link;
    }

    @Override
    public String getState() {
        return link.state().name();
    }

    @Override
    public String getPeerAddress() {
        return link.stats().peerAddress();
    }

    @Override
    public PeerLinkStats getStatistics() {
        return link.stats();
    }

    @Override
    public long getLastHeardAgoMillis() {
        return agoMillis(link.lastHeardNanos());
    }

    @Override
    public long getLastRefusedAgoMillis() {
        return agoMillis(link.lastRefusedNanos());
    }
}
