package dev.colo.management.internal;

import dev.colo.api.event.ColoTopics;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.HeartbeatStats;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.HeartbeatMXBean;
import javax.management.DynamicMBean;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The {@value HeartbeatMXBean#OBJECT_NAME} MXBean, there while the failure detector runs; its health changes. */
@Component(service = {DynamicMBean.class, EventHandler.class}, property = {
    "jmx.objectname=" + HeartbeatMXBean.OBJECT_NAME,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_HEALTH_CHANGED})
public final class HeartbeatMXBeanComponent extends NotifyingMXBean implements HeartbeatMXBean {
    private final HeartbeatMonitor monitor;

    @Activate
    public HeartbeatMXBeanComponent(@Reference HeartbeatMonitor monitor) {
        super(HeartbeatMXBean.class, new EventNotifications(OBJECT_NAME,
                EventNotifications.Topic.changing(ColoTopics.PEER_HEALTH_CHANGED, "PeerHealth")));
        this.monitor = monitor;
    }

    @Override
    public String getPeerHealth() {
        return monitor.health().name();
    }

    @Override
    public long getIntervalMillis() {
        return monitor.stats().intervalMillis();
    }

    @Override
    public long getSuspectAfterMillis() {
        return monitor.stats().suspectAfterMillis();
    }

    @Override
    public long getTimeoutMillis() {
        return monitor.stats().timeoutMillis();
    }

    @Override
    public HeartbeatStats getStatistics() {
        return monitor.stats();
    }
}
