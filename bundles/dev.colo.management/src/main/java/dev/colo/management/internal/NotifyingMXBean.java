package dev.colo.management.internal;

import dev.colo.api.management.EventNotifications;
import javax.management.StandardEmitterMBean;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * An MXBean of this bundle that is also the {@link EventHandler} of its concern's topics (declared in its
 * component's {@code event.topics}), which it sends as its notifications.
 */
abstract class NotifyingMXBean extends StandardEmitterMBean implements EventHandler {
    private final EventNotifications notifications;

    protected <T> NotifyingMXBean(Class<T> mxbeanInterface, EventNotifications notifications) {
        super(mxbeanInterface, true, notifications.emitter());
        this.notifications = notifications;
    }

    /** What this bean sends, for attribute changes it reports itself. */
    protected final EventNotifications notifications() {
        return notifications;
    }

    @Override
    public final void handleEvent(Event event) {
        notifications.handleEvent(event);
    }

    /** Milliseconds since {@code nanos} ({@link System#nanoTime()}), or -1 for {@link Long#MIN_VALUE} (never). */
    static long agoMillis(long nanos) {
        return nanos == Long.MIN_VALUE ? -1 : (System.nanoTime() - nanos) / 1_000_000;
    }
}
