package dev.colo.cli;

import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.NodeMXBean;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What the commands see of a node over JMX, served from this JVM over an RMI connector: the Role of
 * {@value NodeMXBean#OBJECT_NAME} and the operations of {@value FailoverMXBean#OBJECT_NAME} the commands invoke.
 */
public final class FakeNode implements AutoCloseable {
    /** The part of the Node MXBean the commands read. */
    public interface NodeViewMXBean {
        boolean isConfigured();

        String getRole();
    }

    /** The operations of the Failover MXBean the commands invoke. */
    public interface FailoverOperationsMXBean {
        String switchover();

        String resolveSplitBrain(String keep);
    }

    volatile String role;
    volatile Supplier<String> switchover = () -> "refused: not protected";
    /** The operations invoked, with their argument: {@code switchover}, {@code resolveSplitBrain colo-a}. */
    final List<String> invoked = new CopyOnWriteArrayList<>();
    private final JMXConnectorServer connector;

    FakeNode(String role) throws Exception {
        this.role = role;
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        server.registerMBean(new StandardMBean(new NodeViewMXBean() {
            @Override
            public boolean isConfigured() {
                return true;
            }

            @Override
            public String getRole() {
                return FakeNode.this.role;
            }
        }, NodeViewMXBean.class, true), new ObjectName(NodeMXBean.OBJECT_NAME));
        server.registerMBean(new StandardMBean(new FailoverOperationsMXBean() {
            @Override
            public String switchover() {
                invoked.add("switchover");
                return switchover.get();
            }

            @Override
            public String resolveSplitBrain(String keep) {
                invoked.add("resolveSplitBrain " + keep);
                return "kept " + keep;
            }
        }, FailoverOperationsMXBean.class, true), new ObjectName(FailoverMXBean.OBJECT_NAME));
        connector = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1"),
                null, server);
        connector.start();
    }

    /** How pair.json tells the commands to reach this node (no TLS, any login). */
    PairFile.Jmx jmx() {
        return new PairFile.Jmx(connector.getAddress().toString(), "admin", "pw", null, null);
    }

    /** A node of pair.json reached at {@code jmx}, with the process {@code pid} running from {@code home}. */
    static PairFile.Node node(String nodeId, String role, long pid, Path home, PairFile.Jmx jmx) {
        return new PairFile.Node(nodeId, role, pid, home, jmx, 1, 2, "nbd://127.0.0.1:3/scratch", List.of(), 0,
                PairFile.Host.LOOPBACK);
    }

    /** JMX of a node that does not answer: nothing listens at port 1. */
    static PairFile.Jmx unreachable() {
        return new PairFile.Jmx("service:jmx:rmi:///jndi/rmi://127.0.0.1:1/karaf-gone", "admin", "pw", null, null);
    }

    @Override
    public void close() throws IOException {
        connector.stop();
    }
}
