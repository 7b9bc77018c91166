package dev.colo.itests.support;

import java.io.IOException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/** The Replication MXBean of one disk on one node, over the node's remote JMX, as an operator reaches it. */
public final class ReplicationJmx extends NodeMBean {
    private ReplicationJmx(LocalPair.Node node, String disk) throws IOException {
        super(node, "dev.colo:type=Replication,name=" + ObjectName.quote(disk), "Status");
    }

    public static ReplicationJmx of(LocalPair.Node node, String disk) throws IOException {
        return new ReplicationJmx(node, disk);
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
}
