package dev.colo.api.management;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.DynamicMBean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * An MBean registered through the JMX whiteboard (service property {@code jmx.objectname}), with the
 * {@link EventNotifications} that send its concern's events as its notifications; {@link #close()} takes both
 * away, quietly if the framework already did (the bundle stopping).
 */
public final class ManagedBean implements AutoCloseable {
    private final List<ServiceRegistration<?>> registrations;

    private ManagedBean(List<ServiceRegistration<?>> registrations) {
        this.registrations = registrations;
    }

    /** An MBean without notifications. */
    public static ManagedBean register(BundleContext context, DynamicMBean mbean, String objectName) {
        return new ManagedBean(List.of(registerBean(context, mbean, objectName)));
    }

    /**
     * @param eventFilter an LDAP filter on the events' properties (e.g. {@code (disk=disk0)} for one disk's bean),
     *                    or null for every event of the topics
     */
    public static ManagedBean register(BundleContext context, DynamicMBean mbean, String objectName,
            EventNotifications notifications, String eventFilter) {
        ServiceRegistration<DynamicMBean> bean = registerBean(context, mbean, objectName);
        Map<String, Object> handlerProperties = new HashMap<>(Map.of(EventConstants.EVENT_TOPIC, notifications.topics()));
        if (eventFilter != null) {
            handlerProperties.put(EventConstants.EVENT_FILTER, eventFilter);
        }
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, notifications,
                FrameworkUtil.asDictionary(handlerProperties));
        return new ManagedBean(List.of(bean, handler));
    }

    private static ServiceRegistration<DynamicMBean> registerBean(BundleContext context, DynamicMBean mbean,
            String objectName) {
        return context.registerService(DynamicMBean.class, mbean,
                FrameworkUtil.asDictionary(Map.of("jmx.objectname", objectName)));
    }

    /** Unregisters a service unless the framework already did (its bundle stopping). */
    public static void unregisterQuietly(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework took it away with its bundle
            }
        }
    }

    @Override
    public void close() {
        registrations.forEach(ManagedBean::unregisterQuietly);
    }
}
