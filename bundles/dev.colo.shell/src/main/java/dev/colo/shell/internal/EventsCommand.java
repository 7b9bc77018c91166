package dev.colo.shell.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.Notification;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.relation.MBeanServerNotificationFilter;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code colo:events}: follows this node's events live, as the JMX notifications of its dev.colo MBeans (the same a
 * JConsole subscriber receives), until Ctrl-C or {@code --count}. MBeans that register while it runs (components
 * restarting after a failover) are followed too.
 */
@Command(scope = "colo", name = "events", description = "Follow this node's events live (Ctrl-C to stop)")
@Service
public final class EventsCommand extends MbeanCommand {
    /** Held notifications; beyond this, a slow terminal loses lines (counted) instead of the node's memory. */
    private static final int BACKLOG = 10_000;

    @Option(name = "--count", description = "Stop after this many events (default: follow until Ctrl-C)")
    long count;

    @Option(name = "--type", description = "Only types starting with this, e.g. dev.colo.failover")
    String typePrefix = "";

    @Reference
    Session session;

    private final BlockingQueue<Notification> received = new LinkedBlockingQueue<>(BACKLOG);
    private final AtomicLong dropped = new AtomicLong();
    private final Set<ObjectName> followed = new HashSet<>();
    private final NotificationListener listener = (notification, handback) -> {
        if (!received.offer(notification)) {
            dropped.incrementAndGet();
        }
    };

    @Override
    public Object execute() throws Exception {
        if (count < 0) {
            throw new IllegalArgumentException("--count must be positive, was " + count);
        }
        ObjectName domain = Mbeans.name("dev.colo:*");
        NotificationListener registrations = (notification, handback) -> follow(
                ((MBeanServerNotification) notification).getMBeanName());
        MBeanServerNotificationFilter filter = new MBeanServerNotificationFilter();
        filter.enableType(MBeanServerNotification.REGISTRATION_NOTIFICATION);
        server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, registrations, filter, null);
        try {
            server.queryNames(domain, null).forEach(this::follow);
            out().println("Following " + followed.size() + " MBeans of dev.colo" + (typePrefix.isEmpty() ? ""
                    : ", types " + typePrefix + "*") + (count > 0 ? ", " + count + " events" : "; Ctrl-C to stop"));
            out().flush();
            print();
        } finally {
            server.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, registrations);
            for (ObjectName name : followed) {
                try {
                    server.removeNotificationListener(name, listener);
                } catch (InstanceNotFoundException | javax.management.ListenerNotFoundException gone) {
                    // unregistered meanwhile: its listeners went with it
                }
            }
        }
        return null;
    }

    private void print() throws InterruptedException {
        long printed = 0;
        while (count == 0 || printed < count) {
            Notification notification = received.poll(1, TimeUnit.SECONDS);
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                out().println("(" + lost + " events not shown: the terminal fell behind)");
            }
            if (notification != null) {
                out().println(EventLine.of(notification));
                out().flush();
                printed++;
            }
        }
    }

    /** The session's own console: System.out of a command reaches an SSH client only when the command ends. */
    private java.io.PrintStream out() {
        return session.getConsole();
    }

    private synchronized void follow(ObjectName name) {
        if (!"dev.colo".equals(name.getDomain()) || !server.isRegistered(name)) {
            return;
        }
        try {
            if (server.isInstanceOf(name, "javax.management.NotificationBroadcaster")) {
                NotificationFilter types = notification -> notification.getType().startsWith(typePrefix);
                server.addNotificationListener(name, listener, types, null);
                followed.add(name);
            }
        } catch (JMException gone) {
            // unregistered between the query and now: nothing to follow
        }
    }
}
