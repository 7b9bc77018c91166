package dev.colo.itests.support;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/** One MBean on one node, over the node's remote JMX, as an operator reaches it. */
public class NodeMBean implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;
    private final ObjectName name;
    private final String where;
    private final String statusAttribute;

    /** @param statusAttribute the attribute a failed {@link #await} reports */
    protected NodeMBean(LocalPair.Node node, String objectName, String statusAttribute) throws IOException {
        try {
            this.name = new ObjectName(objectName);
        } catch (JMException e) {
            throw new IllegalArgumentException(objectName, e);
        }
        this.connector = node.connectJmx();
        this.mbeans = connector.getMBeanServerConnection();
        this.where = node.nodeId() + " " + objectName;
        this.statusAttribute = statusAttribute;
    }

    /** {@code dev.colo:type=<type>,name=<quoted name>} on {@code node}. */
    public static NodeMBean of(LocalPair.Node node, String type, String name, String statusAttribute)
            throws IOException {
        return new NodeMBean(node, "dev.colo:type=" + type + ",name=" + ObjectName.quote(name), statusAttribute);
    }

    /** The MBean {@code objectName} on {@code node}, e.g. {@code dev.colo:type=Checkpoint}. */
    public static NodeMBean at(LocalPair.Node node, String objectName, String statusAttribute) throws IOException {
        return new NodeMBean(node, objectName, statusAttribute);
    }

    public Object attribute(String attribute) throws IOException {
        try {
            return mbeans.getAttribute(name, attribute);
        } catch (JMException e) {
            throw new IOException(where + ": " + attribute + ": " + e, e);
        }
    }

    /** Every notification this MBean sends from now on, as this remote client receives them, until closed. */
    public BlockingQueue<Notification> notifications() throws IOException {
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        try {
            mbeans.addNotificationListener(name, (notification, handback) -> received.add(notification), null, null);
        } catch (JMException e) {
            throw new IOException(where + ": cannot listen: " + e, e);
        }
        return received;
    }

    /** The first notification of {@code type} within {@code timeout}; fails naming what came instead. */
    public static Notification next(BlockingQueue<Notification> notifications, String type, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder others = new StringBuilder();
        while (true) {
            Notification notification = notifications.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (notification == null) {
                throw new AssertionError("no " + type + " notification within " + timeout.toSeconds() + " s; received "
                        + others);
            }
            if (notification.getType().equals(type)) {
                return notification;
            }
            others.append(notification.getType()).append(' ');
        }
    }

    /** Invokes {@code operation}, whose parameters (if any) are all strings. */
    public Object invoke(String operation, String... arguments) throws IOException {
        String[] signature = new String[arguments.length];
        java.util.Arrays.fill(signature, String.class.getName());
        try {
            return mbeans.invoke(name, operation, arguments, signature);
        } catch (JMException e) {
            throw new IOException(where + ": " + operation + ": " + e, e);
        }
    }

    /** Polls until {@code condition} holds for this bean; fails naming the last status after {@code timeout}. */
    public void await(String what, Predicate<NodeMBean> condition, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.test(this)) {
                    return;
                }
            } catch (RuntimeException e) {
                // not registered yet, or a transient JMX failure: poll again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(where + ": not " + what + " within " + timeout.toSeconds() + " s; "
                        + statusAttribute + " " + attribute(statusAttribute));
            }
            Thread.sleep(200);
        }
    }

    /** For conditions: an attribute read that fails the poll instead of throwing a checked exception. */
    public Object unchecked(String attribute) {
        try {
            return attribute(attribute);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Closes the connection; a node killed meanwhile, or dying during the close (a node armed to crash at its next
     * checkpoint), has nothing left to close: RMI's refused or reset close is ignored.
     */
    @Override
    public void close() throws IOException {
        try {
            connector.close();
        } catch (java.rmi.RemoteException gone) {
            // the node is gone: nothing to release on its side
        }
    }
}
