package dev.colo.proxy.internal.jmx;

import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.ProxyMXBean;
import dev.colo.api.management.ProxyStats;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.mina.ServiceProxy;
import dev.colo.proxy.internal.primary.ConnectionCounters;
import java.util.Locale;
import javax.management.StandardEmitterMBean;

/** The {@link ProxyMXBean} of one protected service, built as an MXBean for the JMX whiteboard. */
public final class ProxyMBean extends StandardEmitterMBean implements ProxyMXBean {
    private final ServiceSettings settings;
    private final ServiceProxy proxy;

    /**
     * Its notifications: {@code dev.colo.proxy.miscompare} for every difference between the guests' outputs,
     * {@code dev.colo.proxy.listening} when the service starts or stops listening for clients or cannot.
     */
    public static EventNotifications notifications(String service) {
        return new EventNotifications(ProxyMXBean.objectName(service),
                EventNotifications.Topic.of(ColoTopics.PROXY_MISCOMPARE),
                EventNotifications.Topic.of(ColoTopics.PROXY_LISTENING));
    }

    /** The events of this service only. */
    public static String eventFilter(String service) {
        return "(" + EventProperties.SERVICE + "=" + EventNotifications.filterValue(service) + ")";
    }

    public ProxyMBean(ServiceSettings settings, ServiceProxy proxy, EventNotifications notifications) {
        super(ProxyMXBean.class, true, notifications.emitter());
        this.settings = settings;
        this.proxy = proxy;
    }


    @Override
    public String getServiceName() {
        return settings.name();
    }

    @Override
    public String getProtocol() {
        return settings.protocol().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String getListenAddress() {
        return settings.listenAt();
    }

    @Override
    public boolean isProtecting() {
        return proxy.isProtecting();
    }

    @Override
    public boolean isServiceListening() {
        return proxy.isListening();
    }

    @Override
    public ProxyStats getStatistics() {
        ConnectionCounters counters = proxy.counters();
        return new ProxyStats(proxy.connections(), counters.comparedBytes(), counters.releasedBytes(),
                proxy.heldBytes(), counters.miscompares(), counters.timeouts(), counters.boundsReached(),
                proxy.peerBacklogBytes(), counters.datagramsDropped(), counters.releaseWaitMicros(50), counters.releaseWaitMicros(99));
    }
}
