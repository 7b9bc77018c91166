package dev.colo.itests.support;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;

/** The Replication MXBean of one disk on one node, over the node's remote JMX, as an operator reaches it. */
public final class ReplicationJmx implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;
    private final ObjectName name;
    private final String where;

    private ReplicationJmx(LocalPair.Node node, String disk) throws IOException {
        this.connector = node.connectJmx();
        this.mbeans = connector.getMBeanServerConnection();
        try {
            this.name = new ObjectName("dev.colo:type=Replication,name=" + ObjectName.quote(disk));
        } catch (JMException e) {
            throw new IllegalArgumentException(disk, e);
        }
        this.where = node.nodeId() + " " + disk;
    }

    public static ReplicationJmx of(LocalPair.Node node, String disk) throws IOException {
        return new ReplicationJmx(node, disk);
    }

    public Object attribute(String attribute) throws IOException {
        try {
            return mbeans.getAttribute(name, attribute);
        } catch (JMException e) {
            throw new IOException(where + ": " + attribute + ": " + e, e);
        }
    }

    public String stage() throws IOException {
        return String.valueOf(attribute("Stage"));
    }

    public boolean degraded() throws IOException {
        return (Boolean) attribute("Degraded");
    }

    public long dirtyBytes() throws IOException {
        return ((Number) attribute("DirtyBytes")).longValue();
    }

    /** The last resynchronisation: totalBytes, remainingBytes, bytesPerSecond. */
    public CompositeData resync() throws IOException {
        return (CompositeData) attribute("Resync");
    }

    public Object invoke(String operation) throws IOException {
        try {
            return mbeans.invoke(name, operation, new Object[0], new String[0]);
        } catch (JMException e) {
            throw new IOException(where + ": " + operation + ": " + e, e);
        }
    }

    /** Polls until {@code condition} holds for this bean; fails naming the last status after {@code timeout}. */
    public void await(String what, Predicate<ReplicationJmx> condition, Duration timeout)
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
                throw new AssertionError(where + ": not " + what + " within " + timeout.toSeconds() + " s; status "
                        + attribute("Status"));
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

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
